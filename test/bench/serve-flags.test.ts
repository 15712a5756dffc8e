// Benchmarks start serve with the V8 flags production serve runs with (bin/paperboy.mjs's shebang, npm start).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVE_NODE_FLAGS } from '../../bench/lib/serve-flags.ts';

const root = join(import.meta.dirname, '../..');

describe('the flags a benchmark starts serve with', () => {
  it('are the ones `npx paperboy serve` and `npm start` pass to node', () => {
    // bench:scale-arxiv's serve phase spawned bin/paperboy.mjs without them: V8's 16 MB young generation, not 4 (h24p).
    const shebang = readFileSync(join(root, 'bin/paperboy.mjs'), 'utf8').split('\n')[0] ?? '';
    const flags = (line: string): string[] => line.split(/\s+/).filter((w) => w.startsWith('--'));
    expect(flags(shebang)).toEqual([...SERVE_NODE_FLAGS]);
    const start = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
    ).scripts.start;
    expect(flags(start)).toEqual([...SERVE_NODE_FLAGS]);
  });

  it('are passed by bench:scale-arxiv to the serve it restarts', () => {
    const bench = readFileSync(join(root, 'bench/scale-arxiv.bench.ts'), 'utf8');
    expect(bench).toMatch(/const nodeArgs = \[\s*\.\.\.SERVE_NODE_FLAGS,/);
  });
});
