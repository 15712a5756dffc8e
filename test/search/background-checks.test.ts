// Snapshot checks made on another thread (h27c): the graph's whole-file checksum before it is mapped, and the
// block checks of the sections a server reads from the file, taken over by the section that owns them.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/index/embedders/static/random.ts';
import { checkFilesInWorker, checkWorkerWaits, foreground } from '../../src/index/file-check-worker.ts';
import { waitFor } from '../helpers/wait-for.ts';
import {
  BLOCK,
  blockChecksums,
  bufferSource,
  PagedBytes,
  SnapshotDamaged,
  type ByteSource,
} from '../../src/index/snapshot-sections.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-background-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes that differ block to block (so a CRC in the wrong place shows). */
function bytes(n: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: n }, () => rng.int(256));
}

describe('checkFilesInWorker', () => {
  // More than one 2 MiB piece, and a part that starts and ends inside blocks of the file.
  const data = bytes(9 * 1024 * 1024 + 12_345, 1);
  const file = join(dir, 'data.bin');
  writeFileSync(file, data);

  it('gives the CRC-32 of each block of a part, as this thread computes them, and the file it read', async () => {
    const offset = 4096 + 8;
    const length = data.length - offset - 1000;
    const [blocks] = checkFilesInWorker([{ path: file, offset, length, blocks: BLOCK }]);
    const b = await blocks!;
    expect(Array.from(b.crcs)).toEqual(Array.from(blockChecksums(data.subarray(offset, offset + length))));
    const st = statSync(file);
    expect([b.dev, b.ino, b.size]).toEqual([st.dev, st.ino, data.length]);
  });

  it('tells each piece of a block job as it is read, together covering every block in order', async () => {
    const pieces: { job: number; first: number; crcs: number[]; ino: number }[] = [];
    const [done] = checkFilesInWorker(
      [{ path: file, offset: 0, length: data.length, blocks: BLOCK }],
      (job, p) => pieces.push({ job, first: p.first, crcs: Array.from(p.crcs), ino: p.ino }),
    );
    await done!;
    // 9 MiB and a little: four 2 MiB pieces (32 blocks each), then the rest.
    expect(pieces.map((p) => [p.job, p.first, p.crcs.length])).toEqual([
      [0, 0, 32],
      [0, 32, 32],
      [0, 64, 32],
      [0, 96, 32],
      [0, 128, Math.ceil(data.length / BLOCK) - 128],
    ]);
    expect(pieces.flatMap((p) => p.crcs)).toEqual(Array.from(blockChecksums(data)));
    expect(pieces[0]?.ino).toBe(statSync(file).ino);
  });

  it('reads nothing while a search is being answered, and goes on when the last one ends', async () => {
    const waitsBefore = checkWorkerWaits();
    foreground(1);
    foreground(1);
    let done = false;
    const [job] = checkFilesInWorker([{ path: file, offset: 0, length: data.length, blocks: BLOCK }]);
    void job!.then(() => (done = true));
    try {
      await waitFor(() => checkWorkerWaits() > waitsBefore, {
        what: 'the check worker to wait',
        intervalMs: 5,
      });
      foreground(-1);
      // One search still being answered: the worker still waits.
      expect(done).toBe(false);
    } finally {
      foreground(-1);
    }
    expect(Array.from((await job!).crcs)).toEqual(Array.from(blockChecksums(data)));
  });

  it('rejects a part past the end of the file and a missing file, and still answers the jobs after them', async () => {
    const [past, missing, after] = checkFilesInWorker([
      { path: file, offset: 10, length: data.length, blocks: BLOCK },
      { path: join(dir, 'missing.bin'), offset: 0, length: 10, blocks: BLOCK },
      { path: file, offset: 0, length: 100, blocks: BLOCK },
    ]);
    await expect(past!).rejects.toThrow(/shorter/);
    await expect(missing!).rejects.toThrow(/ENOENT/);
    expect(Array.from((await after!).crcs)).toEqual([crc32(data.subarray(0, 100))]);
  });
});

/** A buffer source that counts the bytes read from it. */
function counted(buf: Uint8Array, damage: SnapshotDamaged[]): { src: ByteSource; read: () => number } {
  const inner = bufferSource(buf, 'section.bin');
  let read = 0;
  const src: ByteSource = {
    ...inner,
    read(offset, into) {
      read += into.byteLength;
      inner.read(offset, into);
    },
    onDamage: (err) => damage.push(err),
  };
  return { src, read: () => read };
}

describe('PagedBytes.acceptChecks', () => {
  const data = bytes(5 * BLOCK + 100, 2);
  const crcs = blockChecksums(data);

  it('marks every block whose check matches, so a later read checks none of them again', () => {
    const { src, read } = counted(data, []);
    const paged = new PagedBytes(src, 0, data.length, crcs);
    expect(paged.unchecked).toBe(true);
    paged.acceptChecks(blockChecksums(data));
    expect(paged.unchecked).toBe(false);
    // Unchecked, this read would first stream its whole block through a check (64 KiB), then read 16 bytes.
    expect(Array.from(paged.view(3 * BLOCK + 5, 3 * BLOCK + 21))).toEqual(
      Array.from(data.subarray(3 * BLOCK + 5, 3 * BLOCK + 21)),
    );
    expect(read()).toBe(16);
    expect(paged.checkAhead(data.length)).toBe(false);
    expect(read()).toBe(16);
  });

  it('reports a block whose check differs as damage, and leaves it to be checked when read', () => {
    const damage: SnapshotDamaged[] = [];
    const { src } = counted(data, damage);
    const paged = new PagedBytes(src, 0, data.length, crcs);
    const found = blockChecksums(data);
    found[2] = (found[2] ?? 0) ^ 1;
    expect(() => paged.acceptChecks(found)).toThrow(/checksum of block 2/);
    expect(damage.map((d) => d.message)).toEqual(['section.bin is damaged (checksum of block 2)']);
    expect(paged.unchecked).toBe(true);
    // The other blocks were taken; the file's block 2 is still checked (and here good) when first read.
    expect(paged.checkAhead(data.length)).toBe(false);
    expect(paged.unchecked).toBe(false);
    expect(() => paged.acceptChecks(new Uint32Array(2), 5)).toThrow(/another size/);
    // A piece's checks from block `first` on.
    const fresh = new PagedBytes(counted(data, []).src, 0, data.length, crcs);
    fresh.acceptChecks(blockChecksums(data).subarray(0, 3));
    expect(fresh.unchecked).toBe(true);
    fresh.acceptChecks(blockChecksums(data).slice(3), 3);
    expect(fresh.unchecked).toBe(false);
  });
});
