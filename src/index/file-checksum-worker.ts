// The CRC-32 of a whole file computed on a worker thread, in large sequential reads: serve starts it as it begins
// to open a snapshot, so the HNSW graph file (1.78 GB at 2.7M papers) is read from the disk and checked while the
// main thread opens the lexical index, the vector rows and the model, instead of after them (#23 cold restart).
import { Worker } from 'node:worker_threads';

/** A whole file's CRC-32, with the file it was read from (device and inode), to be matched before it is trusted. */
export interface FileChecksum {
  dev: number;
  ino: number;
  size: number;
  crc: number;
}

/**
 * Bytes per read: large sequential reads keep a cold disk streaming (the kernel's read-ahead stays ahead of the
 * next read) while the CRC of the last one is computed.
 */
const PIECE = 8 << 20;

// Plain JavaScript (CommonJS, evaluated), so the worker starts in milliseconds without the TypeScript loader.
// Blocking reads on this one thread (see file-check-worker.ts). Unlike the background block checks it does not
// wait for searches: the searches after a restart wait for this check.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { crc32 } = require('node:zlib');
try {
  const fd = fs.openSync(workerData.path, 'r');
  let result;
  try {
    const st = fs.fstatSync(fd);
    const buf = Buffer.allocUnsafe(Math.max(1, Math.min(workerData.piece, st.size)));
    let crc = 0;
    for (let at = 0; at < st.size; ) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, st.size - at), at);
      if (n === 0) throw new Error(workerData.path + ' was cut short while being checked');
      crc = crc32(buf.subarray(0, n), crc);
      at += n;
    }
    result = { dev: st.dev, ino: st.ino, size: st.size, crc };
  } finally {
    fs.closeSync(fd);
  }
  // Told only once the file is closed: the caller then holds no descriptor of it from here.
  parentPort.postMessage({ result });
} catch (err) {
  parentPort.postMessage({ error: String(err && err.message ? err.message : err) });
}
`;

/**
 * The CRC-32 (zlib's, as `crc32` of node:zlib) of the whole of `path`, read on a worker thread. Rejects when the
 * file cannot be read or the worker fails; the worker never keeps the process alive.
 * @example const sum = await fileChecksumInWorker(graphFile); if (sum.crc !== recorded.crc) refuse();
 */
export function fileChecksumInWorker(path: string, piece = PIECE): Promise<FileChecksum> {
  return new Promise<FileChecksum>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(SOURCE, { eval: true, workerData: { path, piece } });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    worker.unref();
    worker.once('message', (m: { result: FileChecksum } | { error: string }) => {
      if ('error' in m) reject(new Error(m.error));
      else resolve(m.result);
      void worker.terminate();
    });
    worker.once('error', reject);
    // After the message this changes nothing (a settled promise stays settled).
    worker.once('exit', (code) => reject(new Error(`the file checksum worker exited (code ${code})`)));
  });
}
