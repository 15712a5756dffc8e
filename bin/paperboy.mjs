#!/usr/bin/env -S node --max-semi-space-size=4
// Runs the Paperboy CLI: the bundle in dist/ when it is up to date with the sources, else the sources through tsx.
// A 4 MB young generation (V8 defaults to 16 MB) keeps long imports under 300 MB RSS (docs/BENCHMARKS.md).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle } from './bundle-check.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const debug = process.env.PAPERBOY_DEBUG === '1';
// The bundle (npm run build; npm ci makes it) starts a command about a second sooner than compiling the
// sources; any source edited since it was built makes it stale, and the sources run instead.
const bundle =
  process.env.PAPERBOY_BUNDLE === '0'
    ? { entry: null, why: 'PAPERBOY_BUNDLE=0' }
    : freshBundle(root, join(root, 'dist'));
if (debug)
  process.stderr.write(`paperboy: running ${bundle.entry ?? `the sources through tsx (${bundle.why})`}\n`);
let main;
if (bundle.entry !== null) {
  // Only stack traces use source maps: kept for serve (its logs) and PAPERBOY_DEBUG=1 (the CLI prints them).
  if (process.argv[2] === 'serve' || debug) process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(bundle.entry).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  // tsx turns source maps on, and Node then parses each module's inline map as it loads (about 0.1 s of a
  // cold command); only stack traces use them: kept for serve (its logs) and PAPERBOY_DEBUG=1.
  if (process.argv[2] !== 'serve' && !debug) process.setSourceMapsEnabled(false);
  ({ main } = await import('../src/main.ts'));
}
await main(process.argv.slice(2));
