// bench:scale-arxiv --workers N sums the memory of serve's primary and its workers, found as its children.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { childPids, memoryRollup } from '../../bench/lib/proc-memory.ts';

describe('process memory for the workers bench', () => {
  it('finds a live child of a process by its parent pid, and no longer once it is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    await once(child, 'spawn');
    try {
      expect(childPids(process.pid)).toContain(child.pid);
    } finally {
      child.stdin.end();
      await once(child, 'close');
    }
    expect(childPids(process.pid)).not.toContain(child.pid);
  });

  it('reads RSS, PSS and anonymous memory from smaps_rollup, PSS split into anonymous and file parts', () => {
    const r = memoryRollup(process.pid);
    expect(r).not.toBeNull();
    expect(r!.rssMiB).toBeGreaterThan(10);
    expect(r!.pssMiB).toBeGreaterThan(0);
    expect(r!.pssMiB).toBeLessThanOrEqual(r!.rssMiB);
    // Pss = Pss_Anon + Pss_File + Pss_Shmem; each rounded, so within 2 MiB.
    expect(Math.abs(r!.pssAnonMiB + r!.pssFileMiB - r!.pssMiB)).toBeLessThanOrEqual(2);
    expect(r!.anonMiB).toBeGreaterThan(0);
  });

  it('is null for a process that is not there', () => {
    expect(memoryRollup(2 ** 22 + 1)).toBeNull();
  });
});
