#!/usr/bin/env node
// Runs the Paperboy CLI from the TypeScript sources (tsx compiles on the fly, cached).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2));
