// The model image (a trained model laid out to be used in place) embeds exactly as the model it was written from,
// and every damage is caught: the header and small sections at open, a row block when a text first needs it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaticEmbedder,
  embedOne,
  openModelImage,
  trainStaticModel,
  writeModelImage,
  type StaticModel,
} from '../../src/index/embedders/static/index.ts';
import { BLOCK, SnapshotDamaged } from '../../src/index/snapshot-sections.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-model-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const corpus = topicCorpus(40).papers.map((p) => ({ title: p.title, abstract: p.abstract }));
let model: StaticModel;
// 512 dimensions (the default): the rows then span several 64 KiB blocks, so damage can hit one a query does not need.
beforeAll(async () => {
  model = await trainStaticModel(corpus, { dim: 512, epochs: 1, seed: 5, batchSize: 32, minDf: 1 });
});

function flipByte(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  writeFileSync(path, bytes);
}

/** Where the rows of `token` start in the file (after the header and small sections). */
function rowsOffset(path: string): number {
  const bytes = readFileSync(path);
  const len = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.subarray(12, 12 + len).toString('utf8')) as {
    sections: { rows: { offset: number } };
  };
  return header.sections.rows.offset;
}

describe('model image', () => {
  it('opens to the same name, vocabulary, weights and embeddings as the model it was written from', () => {
    const path = join(dir, 'round-trip.bin');
    writeModelImage(model, path);
    const opened = openModelImage(path);
    try {
      expect(opened.name).toBe(model.name);
      expect(opened.dimension).toBe(model.dimension);
      expect(opened.training).toEqual(model.training);
      expect(opened.vocab.tokens).toEqual(model.vocab.tokens);
      model.vocab.tokens.forEach((t, i) => expect(opened.vocab.ids.get(t)).toBe(i));
      expect(opened.vocab.ids.has('nosuchtokenanywhere')).toBe(false);
      expect([...opened.vocab.idf]).toEqual([...model.vocab.idf]);
      expect([...opened.scales]).toEqual([...model.scales]);
      for (const text of ['image segmentation', corpus[3]!.abstract, 'words it never saw', ''])
        expect([...embedOne(opened, text)]).toEqual([...embedOne(model, text)]);
    } finally {
      opened.close();
    }
  });

  it('refuses a flipped byte in the header or a small section at open', () => {
    const path = join(dir, 'header.bin');
    writeModelImage(model, path);
    flipByte(path, 20);
    expect(() => openModelImage(path)).toThrow(SnapshotDamaged);
    writeModelImage(model, path);
    flipByte(path, rowsOffset(path) - 8);
    expect(() => openModelImage(path)).toThrow(SnapshotDamaged);
    writeModelImage(model, path);
    writeFileSync(path, readFileSync(path).subarray(0, rowsOffset(path) + 10));
    expect(() => openModelImage(path)).toThrow(SnapshotDamaged);
  });

  it('reads only the row blocks a text needs, and refuses a damaged one when it is needed', () => {
    const path = join(dir, 'rows.bin');
    writeModelImage(model, path);
    const rowsPerBlock = BLOCK / model.dimension;
    expect(model.vocab.tokens.length).toBeGreaterThan(rowsPerBlock);
    // Damage the last row's block; a text of the first token's only does not read it.
    const last = model.vocab.tokens.length - 1;
    flipByte(path, rowsOffset(path) + last * model.dimension);
    const opened = openModelImage(path);
    try {
      const first = model.vocab.tokens[0]!;
      expect([...embedOne(opened, first)]).toEqual([...embedOne(model, first)]);
      expect(() => embedOne(opened, model.vocab.tokens[last]!)).toThrow(SnapshotDamaged);
    } finally {
      opened.close();
    }
  });

  it('reads every row block when warmed (serve, before it is ready), so none is read after', () => {
    const path = join(dir, 'warm.bin');
    writeModelImage(model, path);
    const opened = openModelImage(path);
    const embedder = createStaticEmbedder(opened);
    embedder.warm?.();
    // The file is gone: a row block not read at warm would now fail to read.
    opened.close();
    const last = model.vocab.tokens.at(-1)!;
    expect([...embedOne(opened, last)]).toEqual([...embedOne(model, last)]);
    expect([...opened.quantized]).toEqual([...model.quantized]);
  });

  it('refuses a damaged row block when warmed, wherever it is', () => {
    const path = join(dir, 'warm-damaged.bin');
    writeModelImage(model, path);
    flipByte(path, rowsOffset(path) + (model.vocab.tokens.length - 1) * model.dimension);
    const opened = openModelImage(path);
    try {
      expect(() => createStaticEmbedder(opened).warm?.()).toThrow(SnapshotDamaged);
    } finally {
      opened.close();
    }
  });
});
