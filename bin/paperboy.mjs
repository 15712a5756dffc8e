#!/usr/bin/env -S node --max-semi-space-size=4
// Runs the Paperboy CLI from the TypeScript sources (tsx compiles on the fly, cached).
// A 4 MB young generation (V8 defaults to 16 MB) keeps long imports under 300 MB RSS (docs/BENCHMARKS.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2));
