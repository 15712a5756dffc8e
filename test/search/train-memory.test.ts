// The trainer keeps the papers it learns from as token ids, never all their texts at once (2.7M papers: GiBs).
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { numberFromGcScript } from '../helpers/gc-script.ts';

const TRAINER = resolve(import.meta.dirname, '../../src/index/embedders/static/index.ts');
const PAPERS = 5000;
/** Characters of abstract a paper: 5,000 papers hold about 50 MB of text. */
const WORDS = 1000;

// Run with --expose-gc in a child: the heap in use (after a full collection) is measured at every progress
// report of the reading phases, against the heap before training; the texts are made fresh as they are read.
const script = `
  const { trainStaticModel } = await import(${JSON.stringify(TRAINER)});
  const words = Array.from({ length: 400 }, (_, i) => 'term' + i.toString(36) + 'x');
  function* papers() {
    for (let i = 0; i < ${PAPERS}; i++) {
      const abstract = Array.from({ length: ${WORDS} }, (_, j) => words[(i * 7 + j * 13) % 400]).join(' ');
      yield { title: 'paper ' + i + ' ' + words[i % 400], abstract };
    }
  }
  gc(); gc();
  const before = process.memoryUsage().heapUsed;
  let most = 0;
  await trainStaticModel(papers(), {
    vocabularyFrom: papers(),
    epochs: 0,
    dim: 8,
    onProgress: (p) => {
      if (p.phase !== 'read') return;
      gc();
      most = Math.max(most, process.memoryUsage().heapUsed - before);
    },
  });
  console.log(most);
`;

test('reading the training papers holds their token ids, not their texts', () => {
  const held = numberFromGcScript(script);
  const textBytes = PAPERS * WORDS * 7; // about 7 characters a word with its space, one byte each
  expect(held).toBeGreaterThan(0);
  // Every text held at once would be all of textBytes (35 MB and more); token ids are off the heap.
  expect(held).toBeLessThan(textBytes / 5);
}, 120_000);
