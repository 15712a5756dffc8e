// The ONNX embedder on a model the test writes itself: tokenization, padding, masked mean pooling, errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxEmbedder } from '../../src/index/embedders/onnx.ts';
import { writeTinyModelDir } from './tiny-onnx-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HIDDEN = 8;
const vocab = writeTinyModelDir(join(dir, 'tiny'), ['protein', 'folding', 'graph', '##s', 'neural'], HIDDEN);

/** Expected vector: mean of the table rows of [CLS], the word ids and [SEP], normalised. */
function expected(ids: number[]): number[] {
  const sum = new Array<number>(HIDDEN).fill(0);
  for (const i of ids) {
    sum[i % HIDDEN]! += 1;
    sum[(i * 3 + 1) % HIDDEN]! += 0.5;
  }
  const n = Math.hypot(...sum);
  return sum.map((x) => x / n);
}

describe('createOnnxEmbedder', () => {
  it('tokenizes with WordPiece, pads a batch, and mean-pools only real tokens', async () => {
    const e = await createOnnxEmbedder({ dir: join(dir, 'tiny'), batchSize: 4 });
    expect(e.dimension).toBe(HIDDEN);
    expect(e.model).toMatch(/^onnx:tiny-[0-9a-f]{10}$/);
    const id = (w: string): number => vocab.indexOf(w);
    const [a, b, c] = await e.embed([
      'Protein folding',
      'graphs',
      'neural graph protein folding unknownword',
    ]);
    const close = (got: Float32Array | undefined, want: number[]): void =>
      want.forEach((x, i) => expect(got?.[i]).toBeCloseTo(x, 5));
    close(a, expected([id('[CLS]'), id('protein'), id('folding'), id('[SEP]')]));
    close(b, expected([id('[CLS]'), id('graph'), id('##s'), id('[SEP]')]));
    close(
      c,
      expected([
        id('[CLS]'),
        id('neural'),
        id('graph'),
        id('protein'),
        id('folding'),
        id('[UNK]'),
        id('[SEP]'),
      ]),
    );
    await e.close?.();
  });

  it('truncates to maxTokens', async () => {
    const e = await createOnnxEmbedder({ dir: join(dir, 'tiny'), maxTokens: 3 });
    const [v] = await e.embed(['protein folding graph']);
    const id = (w: string): number => vocab.indexOf(w);
    expected([id('[CLS]'), id('protein'), id('[SEP]')]).forEach((x, i) => expect(v?.[i]).toBeCloseTo(x, 5));
  });

  it('explains a directory without a model, and a broken model file', async () => {
    await expect(createOnnxEmbedder({ dir: join(dir, 'nothing-here') })).rejects.toThrow(
      /must hold model.onnx/,
    );
    const broken = join(dir, 'broken');
    writeTinyModelDir(broken, ['x']);
    writeFileSync(join(broken, 'model.onnx'), 'not a protobuf');
    await expect(createOnnxEmbedder({ dir: broken })).rejects.toMatchObject({ code: 'EMBEDDER' });
  });
});
