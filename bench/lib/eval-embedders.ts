// Resolves the evaluation's --embedder flag to an Embedder: a built-in name or a module that makes one.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { createRandomProjectionEmbedder } from '../../src/index/embedders/random-projection.ts';
import { createEmbedder as createStaticEmbedder } from './static-embedder-module.ts';

/** What a pluggable embedder module receives: the corpus texts it may fit or train on (never the queries). */
export interface EmbedderContext {
  readonly corpus: readonly string[];
}

/** The contract of an `--embedder path/to/module.ts` module. */
export interface EmbedderModule {
  createEmbedder(context: EmbedderContext): Embedder | Promise<Embedder>;
}

/**
 * `static[:seed]` (the corpus-trained model, the default, seed 1; trained once per corpus and seed and cached
 * under .cache/static-models), `static-sample:N` (the same, trained on a seeded sample of N documents), `static-pairs:N` (every document, a budget of N
 * training pairs, as `paperboy train --pairs`), `random-projection[:dim]` (the untrained control), or a path to a module
 * exporting `createEmbedder`.
 * @example const e = await resolveEmbedder('random-projection:512', { corpus });
 */
export async function resolveEmbedder(spec: string, context: EmbedderContext): Promise<Embedder> {
  const [name, arg] = spec.split(':');
  if (name === 'static') return createStaticEmbedder(context, arg === undefined ? 1 : Number(arg));
  // Trained on a seeded sample of `arg` documents (as `paperboy train --sample`), seed 1; embeds them all.
  if (name === 'static-sample') return createStaticEmbedder(context, 1, Number(arg));
  if (name === 'static-pairs') return createStaticEmbedder(context, 1, undefined, Number(arg));
  if (name === 'random-projection') {
    return createRandomProjectionEmbedder({
      corpus: context.corpus,
      dimension: arg === undefined ? 256 : Number(arg),
    });
  }
  if (/\.(ts|js|mjs)$/.test(spec)) {
    const mod = (await import(pathToFileURL(resolve(spec)).href)) as Partial<EmbedderModule>;
    if (typeof mod.createEmbedder !== 'function')
      throw new Error(`${spec} must export createEmbedder({ corpus }) returning an Embedder`);
    return await mod.createEmbedder(context);
  }
  throw new Error(
    `Unknown embedder "${spec}": use static, static-sample:N, static-pairs:N, random-projection[:dim] or a module path exporting createEmbedder`,
  );
}
