// What both stored forms of a static model (the store's blob and the in-place image) say about the model they
// hold: written from the model, and checked against this build before anything else is read.
import { STATIC_MODEL_VERSION, type StaticModel, type TrainingInfo } from './static-model.ts';
import { tokenizerFingerprint } from './tokenizer.ts';

export interface ModelHeader {
  format: number;
  name: string;
  /** tokenizerFingerprint() at training time. */
  tokenizer: string;
  dimension: number;
  vocabSize: number;
  createdAt: string;
  training: TrainingInfo;
}

/**
 * The header that describes `model` as this build writes it.
 */
export function modelHeader(model: StaticModel): ModelHeader {
  return {
    format: STATIC_MODEL_VERSION,
    name: model.name,
    tokenizer: tokenizerFingerprint(),
    dimension: model.dimension,
    vocabSize: model.vocab.tokens.length,
    createdAt: model.createdAt,
    training: model.training,
  };
}

/** Why this build cannot use a model with this header: another format, or another tokenizer. */
export type HeaderMismatch = { kind: 'format'; found: number } | { kind: 'tokenizer'; found: string };

/**
 * Null when this build reads the model the header describes; else what differs (each format words its error).
 * @example headerMismatch({ ...h, format: 0 }) // { kind: 'format', found: 0 }
 */
export function headerMismatch(h: Pick<ModelHeader, 'format' | 'tokenizer'>): HeaderMismatch | null {
  if (h.format !== STATIC_MODEL_VERSION) return { kind: 'format', found: h.format };
  if (h.tokenizer !== tokenizerFingerprint()) return { kind: 'tokenizer', found: h.tokenizer };
  return null;
}
