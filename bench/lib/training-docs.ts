// A bench's training documents: a vocabulary from the texts themselves, each text tokenized as `train` does.
import { toTrainDoc, type TrainingText } from '../../src/index/embedders/static/trainer.ts';
import type { TrainDoc } from '../../src/index/embedders/static/training-pairs.ts';
import {
  buildVocabulary,
  createDfCounter,
  type Vocabulary,
} from '../../src/index/embedders/static/vocabulary.ts';

/** The vocabulary of `texts` (every word, min df 1) and each text as token ids, in order. */
export function trainingDocs(texts: readonly TrainingText[]): { vocab: Vocabulary; docs: TrainDoc[] } {
  const counter = createDfCounter();
  for (const t of texts) counter.add(`${t.title} ${t.abstract}`);
  const vocab = buildVocabulary(counter.counts, counter.docs(), { minDf: 1 });
  return { vocab, docs: texts.map((t) => toTrainDoc(t, vocab)) };
}
