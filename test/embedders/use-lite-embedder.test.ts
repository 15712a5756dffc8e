// USE-lite from the offline npm weights: unit 512-d vectors, input order kept despite length-sorted batching.
import { describe, expect, it } from 'vitest';
import { createUseLiteEmbedder } from '../../src/index/embedders/use-lite.ts';

describe('createUseLiteEmbedder', () => {
  it('embeds in input order, with meaning: paraphrases are closer than unrelated text', async () => {
    const e = await createUseLiteEmbedder({ maxTokens: 64, batchSize: 2 });
    expect(e.model).toBe('use-lite-energetic-0.2.0-t64');
    const texts = [
      'A heart attack damages the muscle of the heart.',
      'Graph neural networks learn over nodes and edges of graphs.',
      '',
      'Myocardial infarction injures cardiac muscle tissue.',
    ];
    const [heart, graph, empty, infarction] = await e.embed(texts);
    for (const v of [heart, graph, empty, infarction]) {
      expect(v).toHaveLength(512);
      expect(Math.hypot(...v!)).toBeCloseTo(1, 4);
    }
    const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(dot(heart!, infarction!)).toBeGreaterThan(dot(heart!, graph!) + 0.1);
    const [alone] = await e.embed([texts[3]!]);
    await e.close?.();
    alone!.forEach((x, i) => expect(x).toBeCloseTo(infarction![i]!, 4));
  });
});
