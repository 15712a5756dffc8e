// Memory tests measure in a fresh process: a module script run with --expose-gc (so it can collect before measuring).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs `script` (an ES module, TypeScript imports allowed) in a fresh Node process with `gc()` exposed and returns
 * the number it prints last.
 * @example const held = numberFromGcScript(`gc(); console.log(process.memoryUsage().arrayBuffers);`);
 */
export function numberFromGcScript(script: string): number {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  return Number(out.trim().split('\n').at(-1));
}

/**
 * A script for `numberFromGcScript`: loads the vector sidecar at `path` (dimension `d`) in a fresh index, reads it
 * ahead as serve does, runs `work` (JavaScript with `idx` and `q`, a unit query, in scope), and prints the array
 * buffer bytes the process then holds beyond what it held before loading.
 */
export function vectorHeldScript(path: string, d: number, work: string): string {
  const module = JSON.stringify(join(import.meta.dirname, '../../src/index/vectors/index.ts'));
  return `
    const { createVectorIndex } = await import(${module});
    gc(); gc();
    const before = process.memoryUsage().arrayBuffers;
    const idx = createVectorIndex({ dimension: ${d}, approximateAbove: 1000, model: 'toy' });
    idx.load(${JSON.stringify(path)});
    while (idx.readAhead(1 << 20));
    const q = new Float32Array(${d}).fill(1 / Math.sqrt(${d}));
    ${work}
    gc(); gc();
    console.log(process.memoryUsage().arrayBuffers - before);
    idx.size;
  `;
}
