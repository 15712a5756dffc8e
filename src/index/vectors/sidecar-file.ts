// The vector sidecar file: magic, JSON header, ids, numeric keys and int8-coded rows, so a restart needs no re-embedding.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { AppError } from '../../errors.ts';
import { readFully, writeFully } from '../file-bytes.ts';
import {
  BLOCK,
  fileSource,
  LazyBytes,
  PagedBytes,
  SnapshotDamaged,
  verifyBlocks,
  type ByteSource,
} from '../snapshot-sections.ts';
import { StringTable, type PackedStrings } from '../string-table.ts';

/*
 * Format 3: "PBVECS03" | u32 header length | u32 CRC-32 of the header | header JSON | sections, 8-byte
 * aligned, each listed in the header with its offset, length and CRC-32: the ids as a string table, the
 * numeric keys (float64, by slot), the slots in key order (for key → id), one scale per row (float32), the
 * rows as int8 codes (`dimension` bytes each, checked per 64 KiB block, read on demand) and their block
 * checksums. The header also records the size and CRC-32 of the HNSW graph file saved beside it, which is
 * checked before the graph is mapped, and for a graph saved with rows changed since it was written, its node count
 * and the keys of the rows outside it (`GraphRecord`; an older reader finds the counts differ and rebuilds).
 * Older files are read whole and coded on load, then reported outdated so the caller saves format 3:
 * format 2 ("PBVECS02") is format 3 with float32 rows and no scales; format 1 ("PBVECS01": length-prefixed
 * header, newline-joined ids, keys, rows; no checksums).
 */
const MAGIC = 'PBVECS03';
const MAGIC_V2 = 'PBVECS02';
const MAGIC_V1 = 'PBVECS01';
const PREFIX = 16;

type SectionName = 'ids' | 'idStarts' | 'idSlots' | 'keys' | 'keyOrder' | 'scales' | 'rows' | 'rowsBlocks';

/**
 * The graph file saved beside a sidecar: its size and CRC-32; with `nodes`, the graph's own node count (it may hold
 * rows removed since it was written), and `outside`, the keys of rows added since, which are not in it.
 */
export interface GraphRecord {
  size: number;
  crc: number;
  nodes?: number;
  outside?: number[];
}

interface HeaderV2 {
  dimension: number;
  model: string;
  count: number;
  /** The graph file saved with these rows, when there is one. */
  graph: GraphRecord | null;
  sections: Record<SectionName, [offset: number, length: number, crc: number]>;
}

/** A format-3 sidecar opened for reading: coded rows come from `rows` on demand. */
export interface OpenedSidecar {
  dimension: number;
  model: string;
  ids: StringTable;
  /** Numeric key of each slot. */
  keys: Float64Array;
  /** Slots in ascending key order. */
  keyOrder: Uint32Array;
  /** Scale of each slot's int8 codes. */
  scales: Float32Array;
  /** The int8 codes, `dimension` bytes per slot, left in the file and read as asked (the page cache holds them). */
  rows: PagedBytes;
  graph: GraphRecord | null;
}

/** What an older (float32) sidecar holds, read whole. */
export interface SidecarContents {
  dimension: number;
  model: string;
  ids: string[];
  keys: number[];
  data: Float32Array;
  /** The graph file saved with these rows (format 2 records it; format 1 does not). */
  graph?: { size: number; crc: number } | null;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;
const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** What `writeSidecar` saves: `count` rows in slot order. */
export interface SidecarRows {
  dimension: number;
  model: string;
  count: number;
  ids: PackedStrings;
  keys: Float64Array;
  /** The slots in ascending key order, when the caller has them (else sorted here). */
  keyOrder?: Uint32Array;
  scales: Float32Array;
  /**
   * The int8 codes of every row in slot order (`count × dimension` bytes in all), front to back in pieces of any
   * size, each written before the next is asked for (so a piece may be a reused view).
   */
  codes: Iterable<Uint8Array>;
  graph?: GraphRecord | null;
}

/**
 * Writes the sidecar atomically (temp file, then rename), part by part: the coded rows are streamed from where
 * they lie (in memory, or another sidecar's file), never gathered into one big buffer; their block checksums are
 * taken as they pass. Returns those checksums.
 */
export function writeSidecar(path: string, c: SidecarRows): Uint32Array {
  const keyOrder =
    c.keyOrder ?? Uint32Array.from(c.keys.keys()).sort((a, b) => (c.keys[a] ?? 0) - (c.keys[b] ?? 0));
  const rowsLength = c.count * c.dimension;
  if (c.ids.starts.length !== c.count + 1 || c.keys.length !== c.count || c.scales.length !== c.count)
    throw new AppError('INTERNAL', 'Vector index rows to save disagree in count.');
  const small = {
    ids: c.ids.bytes,
    idStarts: bytesOf(c.ids.starts),
    idSlots: bytesOf(c.ids.slots),
    keys: bytesOf(c.keys),
    keyOrder: bytesOf(keyOrder),
    scales: bytesOf(c.scales),
  };
  const blocks = new Uint32Array(Math.ceil(rowsLength / BLOCK));
  // Sections in file order: the small ones, then the rows and their block checksums.
  const lengths = {} as Record<SectionName, number>;
  for (const name of Object.keys(small) as (keyof typeof small)[]) lengths[name] = small[name].byteLength;
  lengths.rows = rowsLength;
  lengths.rowsBlocks = blocks.byteLength;
  const names = Object.keys(lengths) as SectionName[];
  // Room for the header: the model's name (escaped at worst), the sections, and the keys outside the graph.
  const reserve = align8(
    PREFIX + c.model.length * 6 + names.length * 64 + 256 + (c.graph?.outside?.length ?? 0) * 24,
  );
  const at = {} as Record<SectionName, number>;
  let offset = reserve;
  for (const name of names) {
    at[name] = offset;
    offset = align8(offset + lengths[name]);
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  let written = false;
  try {
    for (const name of Object.keys(small) as (keyof typeof small)[]) writeFully(fd, small[name], at[name]);
    // The rows, streamed: each full BLOCK's CRC-32 is recorded as it completes (a piece may end mid-block).
    let done = 0;
    let crc = 0;
    for (const piece of c.codes) {
      if (done + piece.byteLength > rowsLength) break;
      writeFully(fd, piece, at.rows + done);
      for (let p = 0; p < piece.byteLength; ) {
        const take = Math.min(piece.byteLength - p, BLOCK - (done % BLOCK));
        crc = crc32(piece.subarray(p, p + take), crc);
        p += take;
        done += take;
        if (done % BLOCK === 0) {
          blocks[done / BLOCK - 1] = crc;
          crc = 0;
        }
      }
    }
    if (done !== rowsLength) throw new AppError('INTERNAL', 'Vector index rows to save disagree in length.');
    if (done % BLOCK !== 0) blocks[blocks.length - 1] = crc;
    writeFully(fd, bytesOf(blocks), at.rowsBlocks);
    const sections = {} as HeaderV2['sections'];
    for (const name of names) {
      const crcOf = name === 'rows' ? 0 : crc32(name === 'rowsBlocks' ? bytesOf(blocks) : small[name]);
      sections[name] = [at[name], lengths[name], crcOf];
    }
    const header = Buffer.from(
      JSON.stringify({
        dimension: c.dimension,
        model: c.model,
        count: c.count,
        graph: c.graph ?? null,
        sections,
      } satisfies HeaderV2),
    );
    if (PREFIX + header.length > reserve)
      throw new AppError('INTERNAL', 'Vector index header outgrew its reservation.');
    const prefix = Buffer.alloc(reserve);
    prefix.write(MAGIC, 0, 'ascii');
    prefix.writeUInt32LE(header.length, 8);
    prefix.writeUInt32LE(crc32(header), 12);
    header.copy(prefix, PREFIX);
    writeFully(fd, prefix, 0);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(tmp, { force: true });
  }
  renameSync(tmp, path);
  return blocks;
}

/**
 * CRC-32 and size of a whole file, streamed through one small buffer (for the graph file beside a sidecar).
 */
export function fileChecksum(path: string): { size: number; crc: number } {
  const src = fileSource(path);
  try {
    const chunk = new Uint8Array(Math.min(1 << 22, Math.max(src.size, 1)));
    let crc = 0;
    for (let at = 0; at < src.size; at += chunk.byteLength) {
      const part = chunk.subarray(0, Math.min(chunk.byteLength, src.size - at));
      src.read(at, part);
      crc = crc32(part, crc);
    }
    return { size: src.size, crc };
  } finally {
    src.close();
  }
}

const damagedFile = (path: string, what: string): AppError =>
  new AppError('STORE', `${path} is not a complete vector index file; run \`paperboy reindex\` (${what}).`);

/**
 * Opens a sidecar: format 3 gives ids, keys, scales and codes left in the file, read row by row as asked
 * (every row block checked now unless `verify: false`, else as first read: `onDamage` hears of a failure then); formats 2 and 1 are read
 * whole as floats. Damage found while opening is an AppError('STORE'). With `trusted` (a file this process has just
 * written, its block checksums taken from the bytes it wrote) the row blocks are taken as checked without reading them.
 */
export function openSidecar(
  path: string,
  opts: { verify?: boolean; trusted?: boolean; onDamage?: (err: SnapshotDamaged) => void } = {},
): { kind: 'opened'; opened: OpenedSidecar } | { kind: 'read'; contents: SidecarContents } {
  let src: ByteSource;
  try {
    src = fileSource(path, opts.onDamage);
  } catch (err) {
    throw new AppError('NOT_FOUND', `No vector index at ${path}; run \`paperboy reindex\`.`, [], {
      cause: err,
    });
  }
  let failed = true;
  try {
    const prefix = Buffer.alloc(PREFIX);
    if (src.size < PREFIX) throw damagedFile(path, 'too short');
    src.read(0, prefix);
    const magic = prefix.toString('ascii', 0, 8);
    if (magic === MAGIC_V1) return { kind: 'read', contents: readSidecar(path) };
    if (magic !== MAGIC && magic !== MAGIC_V2) throw damagedFile(path, 'not a vector index');
    const v2 = magic === MAGIC_V2;
    const rowBytes = v2 ? 4 : 1;
    const length = prefix.readUInt32LE(8);
    if (PREFIX + length > src.size) throw damagedFile(path, 'header');
    const text = Buffer.alloc(length);
    src.read(PREFIX, text);
    if (crc32(text) !== prefix.readUInt32LE(12)) throw damagedFile(path, 'header checksum');
    const h = JSON.parse(text.toString('utf8')) as HeaderV2;
    const bounds = (name: SectionName, size: number): [number, number] => {
      const [offset, len] = h.sections[name] ?? [0, -1];
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(len) || len < 0 || offset % 8 !== 0)
        throw damagedFile(path, `section ${name}`);
      if (len % size !== 0 || offset + len > src.size) throw damagedFile(path, `section ${name} cut short`);
      return [offset, len];
    };
    const read = <T>(
      name: SectionName,
      Kind: { new (b: ArrayBuffer, o: number, l: number): T; BYTES_PER_ELEMENT: number },
    ): T => {
      const [offset, len] = bounds(name, Kind.BYTES_PER_ELEMENT);
      const buffer = new ArrayBuffer(len);
      src.read(offset, new Uint8Array(buffer));
      if (crc32(new Uint8Array(buffer)) !== h.sections[name][2])
        throw damagedFile(path, `checksum of ${name}`);
      return new Kind(buffer, 0, len / Kind.BYTES_PER_ELEMENT);
    };
    const ids = StringTable.fromPacked({
      bytes: read('ids', Uint8Array),
      starts: read('idStarts', Uint32Array),
      slots: read('idSlots', Uint32Array),
    });
    const keys = read('keys', Float64Array);
    const keyOrder = read('keyOrder', Uint32Array);
    const scales = v2 ? new Float32Array(h.count) : read('scales', Float32Array);
    const [rowsAt, rowsLength] = bounds('rows', rowBytes);
    const crcs = read('rowsBlocks', Uint32Array);
    if (
      ids.size !== h.count ||
      keys.length !== h.count ||
      keyOrder.length !== h.count ||
      scales.length !== h.count ||
      rowsLength !== h.count * h.dimension * rowBytes
    )
      throw damagedFile(path, 'sections disagree');
    const verified = opts.verify !== false || v2 || opts.trusted === true;
    if (verified && opts.trusted !== true) verifyBlocks(src, rowsAt, rowsLength, crcs);
    if (v2) {
      const rows = new LazyBytes(src, rowsAt, rowsLength, crcs);
      // Float rows: read whole (checked above), to be coded by the store; the caller then saves format 3.
      rows.ensureAll();
      const data = new Float32Array(rows.bytes.buffer as ArrayBuffer, rows.bytes.byteOffset, rowsLength / 4);
      const contents = {
        dimension: h.dimension,
        model: h.model,
        ids: ids.toArray().slice(),
        keys: Array.from(keys),
        data,
        graph: h.graph,
      };
      return { kind: 'read', contents };
    }
    const rows = new PagedBytes(src, rowsAt, rowsLength, crcs, verified);
    failed = false;
    return {
      kind: 'opened',
      opened: { dimension: h.dimension, model: h.model, ids, keys, keyOrder, scales, rows, graph: h.graph },
    };
  } catch (err) {
    if (err instanceof SnapshotDamaged || err instanceof RangeError || err instanceof SyntaxError)
      throw damagedFile(path, err.message);
    throw err;
  } finally {
    // The rows, read from the file while the store is unchanged, hold it open themselves.
    if (failed) src.close();
    else src.release();
  }
}

/**
 * Reads a format-1 sidecar whole; a missing or damaged file is an AppError that says to reindex.
 * The float rows are read straight into the array that is returned, so loading needs no second copy.
 */
function readSidecar(path: string): SidecarContents {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new AppError('NOT_FOUND', `No vector index at ${path}; run \`paperboy reindex\`.`, [], {
      cause: err,
    });
  }
  try {
    const damaged = (): AppError =>
      new AppError('STORE', `${path} is not a complete vector index file; run \`paperboy reindex\`.`);
    const size = fstatSync(fd).size;
    const magic = Buffer.alloc(MAGIC_V1.length);
    if (!readFully(fd, magic, 0) || magic.toString('ascii') !== MAGIC_V1) throw damaged();
    let at = MAGIC_V1.length;
    /** The next length-prefixed chunk, read into `make(length)` (a fresh Buffer by default). */
    const next = <T extends Uint8Array>(make: (length: number) => T): T => {
      const len = Buffer.alloc(4);
      if (!readFully(fd, len, at)) throw damaged();
      const length = len.readUInt32LE(0);
      if (at + 4 + length > size) throw damaged();
      const out = make(length);
      if (!readFully(fd, out, at + 4)) throw damaged();
      at += 4 + length;
      return out;
    };
    const bytes = (length: number): Buffer => Buffer.alloc(length);
    const header = JSON.parse(next(bytes).toString('utf8')) as {
      dimension: number;
      model: string;
      count: number;
    };
    const idText = next(bytes).toString('utf8');
    const ids = header.count === 0 ? [] : idText.split('\n');
    const k = next((length) => new Uint8Array(new Float64Array(Math.floor(length / 8)).buffer));
    const keys = Array.from(new Float64Array(k.buffer));
    let data = new Float32Array(0);
    next((length) => {
      data = new Float32Array(Math.floor(length / 4));
      return new Uint8Array(data.buffer);
    });
    if (
      ids.length !== header.count ||
      keys.length !== header.count ||
      data.length !== header.count * header.dimension
    )
      throw damaged();
    return { dimension: header.dimension, model: header.model, ids, keys, data };
  } finally {
    closeSync(fd);
  }
}

/**
 * True when the file at `path` is a sidecar of an older format than this Paperboy writes (it was coded on
 * load; saving writes format 3).
 * @example if (sidecarOutdated(file)) indexes.save();
 */
export function sidecarOutdated(path: string): boolean {
  const src = fileSource(path);
  try {
    const head = Buffer.alloc(8);
    src.read(0, head);
    const magic = head.toString('ascii');
    return magic === MAGIC_V1 || magic === MAGIC_V2;
  } catch {
    return false;
  } finally {
    src.close();
  }
}
