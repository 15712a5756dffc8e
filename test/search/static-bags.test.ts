// The static embedder's memo of word → token id: the same bags, and so the same vectors, as tokenizing every word.
import { expect, it } from 'vitest';
import { finalizeModel } from '../../src/index/embedders/static/static-model.ts';
import { createStaticEmbedder, embedOne } from '../../src/index/embedders/static/static-embedder.ts';
import { bagMaker, toBag, vocabularyFrom } from '../../src/index/embedders/static/vocabulary.ts';

const tokens = ['protein', 'fold', 'network', 'p53', '3', 'graph', 'naiv', 'bayesian'];
const vocab = vocabularyFrom(
  tokens,
  Float32Array.from(tokens, (_, i) => 1 + i / 10),
);
const TEXTS = [
  'Proteins fold; the folding of PROTEINS is a network problem.',
  'p53 and 3 graphs: naïve Bayesian networks, a b c 7 x',
  `${'w'.repeat(45)} protein ${'graph'.repeat(9)} graph`,
  '',
  'the of and',
  'Folded proteins, folded networks, folded graphs.',
];

it('makes the same bags as toBag, ids in the same order, also after its memo starts over', () => {
  for (const maxWords of [200_000, 3]) {
    const bag = bagMaker(vocab, maxWords);
    for (let pass = 0; pass < 2; pass++)
      for (const text of TEXTS) {
        const want = toBag(vocab, text);
        const got = bag(text);
        expect([...got.ids]).toEqual([...want.ids]);
        expect([...got.tf]).toEqual([...want.tf]);
      }
  }
});

it('embeds exactly as embedOne does', async () => {
  const dim = 4;
  const weighted = Float32Array.from({ length: tokens.length * dim }, (_, i) => Math.sin(i * 1.7));
  const model = finalizeModel(vocab, dim, weighted, {
    docs: 3,
    epochs: 1,
    steps: 1,
    seed: 1,
    seconds: 0,
    finalLoss: 0,
    minDf: 1,
  });
  const vectors = await createStaticEmbedder(model).embed([...TEXTS, ...TEXTS]);
  expect(vectors.map((v) => [...v])).toEqual([...TEXTS, ...TEXTS].map((t) => [...embedOne(model, t)]));
});
