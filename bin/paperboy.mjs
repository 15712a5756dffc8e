#!/usr/bin/env -S node --max-semi-space-size=4
// Runs the Paperboy CLI from the TypeScript sources (tsx compiles on the fly, cached).
// A 4 MB young generation (V8 defaults to 16 MB) keeps long imports under 300 MB RSS (docs/BENCHMARKS.md).
import { register } from 'tsx/esm/api';

register();
// tsx turns source maps on, and Node then parses each module's inline map as it loads (about 0.1 s of a cold
// command); only stack traces use them: kept for serve (its logs) and PAPERBOY_DEBUG=1 (the CLI prints them).
if (process.argv[2] !== 'serve' && process.env.PAPERBOY_DEBUG !== '1') process.setSourceMapsEnabled(false);
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2));
