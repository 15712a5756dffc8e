// The trained model's image beside the search snapshots: opened in place when sound, rebuilt from the store when not.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../errors.ts';
import type { Embedder } from '../../index/embedders/embedder.ts';
import {
  createStaticEmbedder,
  decodeStaticModel,
  openModelImage,
  writeModelImage,
  type StaticModel,
} from '../../index/embedders/static/index.ts';
import { SnapshotDamaged } from '../../index/snapshot-sections.ts';
import type { Store } from '../../store/store.ts';

const PREFIX = 'model-';
const SUFFIX = '.bin';
/** Images of other models kept besides the one just written (a model still being rolled out, a running serve). */
const KEEP = 1;

export interface ModelImageOptions {
  /** The folder of the search snapshots, or null when there is none (PostgreSQL without INDEX_DIR). */
  dir: string | null;
  /** Told when an image was refused (damaged, unreadable) and is being rebuilt from the store. */
  onRefused?: (file: string, reason: string) => void;
}

/** Where the image of model `name` lives in `dir`. */
export function modelImagePath(dir: string, name: string): string {
  return join(dir, `${PREFIX}${name}${SUFFIX}`);
}

/** The model as stored (the source of truth): one blob read, decoded and re-hashed. */
async function fromStore(store: Store, name: string): Promise<StaticModel> {
  const row = await store.models.get(name);
  if (row === null)
    throw new AppError('EMBEDDER', `The model ${name} is missing from the store; run \`paperboy train\`.`);
  return decodeStaticModel(row.data, `model ${name}`);
}

/**
 * Writes the image of a model (after training, or when one is missing); a folder that cannot be written only
 * costs the next process the slower load from the store.
 */
export function saveModelImage(model: StaticModel, opts: ModelImageOptions): void {
  if (opts.dir === null) return;
  const path = modelImagePath(opts.dir, model.name);
  try {
    writeModelImage(model, path);
    prune(opts.dir, path);
  } catch (err) {
    opts.onRefused?.(path, `not written: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function prune(dir: string, keep: string): void {
  const old = readdirSync(dir)
    .filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX) && join(dir, n) !== keep)
    .map((n) => ({ path: join(dir, n), t: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .slice(KEEP);
  for (const { path } of old) rmSync(path, { force: true });
}

/** The model named `name`, opened from its image when sound, else read from the store (and its image rewritten). */
export async function loadStaticModel(
  store: Store,
  name: string,
  opts: ModelImageOptions,
): Promise<StaticModel> {
  if (opts.dir === null) return fromStore(store, name);
  const path = modelImagePath(opts.dir, name);
  try {
    const opened = openModelImage(path);
    if (opened.name === name) return opened;
    opened.close();
    opts.onRefused?.(path, `it holds another model (${opened.name})`);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing && !(err instanceof SnapshotDamaged)) throw err;
    if (err instanceof SnapshotDamaged) opts.onRefused?.(path, err.message);
  }
  const model = await fromStore(store, name);
  saveModelImage(model, opts);
  return model;
}

/**
 * An embedder over the stored model `name`. Rows of an image are checked as they are read: a damaged block
 * found while embedding switches to the model read from the store (rewriting the image) and embeds again.
 */
export async function staticEmbedder(store: Store, name: string, opts: ModelImageOptions): Promise<Embedder> {
  let model = await loadStaticModel(store, name, opts);
  let inner = createStaticEmbedder(model);
  const closeModel = (): void => (model as { close?: () => void }).close?.();
  return {
    model: inner.model,
    dimension: inner.dimension,
    fusionWeight: inner.fusionWeight,
    knownWords: (text) => inner.knownWords?.(text) ?? { known: 0, total: 0 },
    // A damaged row found here throws: search then keeps its fused order, and the next embed repairs the image.
    tokenMatch: (query, texts) => inner.tokenMatch?.(query, texts) ?? texts.map(() => 0),
    // A damaged row block found here throws, as in tokenMatch: the next embed repairs the image.
    warm: () => inner.warm?.(),
    async embed(texts) {
      try {
        return await inner.embed(texts);
      } catch (err) {
        if (!(err instanceof SnapshotDamaged) || opts.dir === null) throw err;
        opts.onRefused?.(err.file, err.message);
        closeModel();
        model = await fromStore(store, name);
        saveModelImage(model, opts);
        inner = createStaticEmbedder(model);
        return inner.embed(texts);
      }
    },
    close: async () => closeModel(),
  };
}
