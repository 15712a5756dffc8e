// Public face of the corpus-trained static embedding model: train, save, load, embed.
export {
  countDocumentFrequencies,
  DEFAULT_TRAINING,
  trainStaticModel,
  type DocumentFrequencies,
  type TrainOptions,
  type TrainProgress,
  type TrainingText,
} from './trainer.ts';
export { decodeStaticModel, encodeStaticModel, loadStaticModel, saveStaticModel } from './model-file.ts';
export { createRng, type Rng } from './random.ts';
export { openModelImage, writeModelImage, type OpenedStaticModel } from './model-image.ts';
export { createStaticEmbedder, embedOne } from './static-embedder.ts';
export { STATIC_MODEL_VERSION, type StaticModel, type TrainingInfo } from './static-model.ts';
export { tokenize } from './tokenizer.ts';
