// A trained static model as a file laid out to be used in place: opening it decodes no vocabulary and reads no rows.
import { crc32 } from 'node:zlib';
import { writeFileAtomically, writeFully } from '../../file-bytes.ts';
import {
  blockChecksums,
  fileSource,
  LazyBytes,
  SnapshotDamaged,
  type ByteSource,
} from '../../snapshot-sections.ts';
import { packStrings, StringTable } from '../../string-table.ts';
import { headerMismatch, modelHeader, type ModelHeader } from './model-header.ts';
import type { StaticModel } from './static-model.ts';

/*
 * Why a second file format: the store keeps a model as one blob (model-file.ts), and using it meant reading
 * 53 MB out of SQLite, copying it, hashing it for its name and building a Map of 100k tokens: about 2 s
 * before a cold `paperboy search` could embed its three words. This image is derived from that blob and kept
 * beside the search snapshots; the blob stays the source of truth (a missing or damaged image is rebuilt).
 *
 * Layout: MAGIC, u32 header length, the header (JSON), u32 CRC-32 of the header, then sections at 8-byte
 * aligned offsets the header lists with their CRC-32: the vocabulary as a packed string table (bytes, starts,
 * slots: looked up in place), idf, scales, the per-block CRCs of the rows, and the int8 rows (vocabulary ×
 * dimension). Opening reads and checks the small sections (about 3 MB at 100k tokens); the rows are read block
 * by block when a text's tokens need them, each block checked as it is read.
 */

const MAGIC = 'PBSMIMG1';
const SMALL = ['tokenBytes', 'tokenStarts', 'slots', 'idf', 'scales', 'rowCrcs'] as const;
type SmallName = (typeof SMALL)[number];

interface Section {
  offset: number;
  length: number;
  /** CRC-32 of the whole section (small sections; the rows are checked per block). */
  crc: number;
}

interface ImageHeader extends ModelHeader {
  sections: Record<SmallName | 'rows', Section>;
}

/** A static model read from an image: the rows of a token are readable after `ensureRows` named it. */
export interface OpenedStaticModel extends StaticModel {
  ensureRows(ids: ArrayLike<number>): void;
  /** Closes the file (rows not yet read can no longer be). */
  close(): void;
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * Writes `model` as an image at `path`, atomically (a temp file, then rename).
 */
export function writeModelImage(model: StaticModel, path: string): void {
  const packed = packStrings(model.vocab.tokens);
  const rows = bytesOf(model.quantized);
  const parts: Record<SmallName | 'rows', Uint8Array> = {
    tokenBytes: packed.bytes,
    tokenStarts: bytesOf(packed.starts),
    slots: bytesOf(packed.slots),
    idf: bytesOf(model.vocab.idf),
    scales: bytesOf(model.scales),
    rowCrcs: bytesOf(blockChecksums(rows)),
    rows,
  };
  const names = [...SMALL, 'rows'] as const;
  // The header's own length depends on the offsets it lists: lay out after a generous fixed room for it.
  const draft = (offsets: number[]): ImageHeader => ({
    ...modelHeader(model),
    sections: Object.fromEntries(
      names.map((n, i) => [
        n,
        { offset: offsets[i] ?? 0, length: parts[n].byteLength, crc: n === 'rows' ? 0 : crc32(parts[n]) },
      ]),
    ) as ImageHeader['sections'],
  });
  const room = align8(MAGIC.length + 8 + Buffer.byteLength(JSON.stringify(draft(names.map(() => 2 ** 40)))));
  const offsets: number[] = [];
  let at = room;
  for (const n of names) {
    offsets.push(at);
    at = align8(at + parts[n].byteLength);
  }
  const json = Buffer.from(JSON.stringify(draft(offsets)));
  const head = Buffer.alloc(room);
  head.write(MAGIC, 0, 'ascii');
  head.writeUInt32LE(json.byteLength, MAGIC.length);
  json.copy(head, MAGIC.length + 4);
  head.writeUInt32LE(crc32(json), MAGIC.length + 4 + json.byteLength);

  writeFileAtomically(path, (fd) => {
    writeFully(fd, head, 0);
    names.forEach((n, i) => writeFully(fd, parts[n], offsets[i]));
  });
}

function readHeader(src: ByteSource): ImageHeader {
  const fixed = new Uint8Array(MAGIC.length + 4);
  src.read(0, fixed);
  if (Buffer.from(fixed.subarray(0, MAGIC.length)).toString('ascii') !== MAGIC)
    throw new SnapshotDamaged(src.name, 'not a model image');
  const len = Buffer.from(fixed.buffer).readUInt32LE(MAGIC.length);
  if (len > 1 << 20) throw new SnapshotDamaged(src.name, 'header length');
  const json = new Uint8Array(len + 4);
  src.read(MAGIC.length + 4, json);
  const crc = Buffer.from(json.buffer).readUInt32LE(len);
  if (crc32(json.subarray(0, len)) !== crc) throw new SnapshotDamaged(src.name, 'header checksum');
  return JSON.parse(Buffer.from(json.buffer, 0, len).toString('utf8')) as ImageHeader;
}

/** Reads a small section into memory of its own (8-byte aligned, so typed views fit) and checks it. */
function readSection(src: ByteSource, s: Section, what: string): ArrayBuffer {
  const buf = new ArrayBuffer(s.length);
  const bytes = new Uint8Array(buf);
  src.read(s.offset, bytes);
  if (crc32(bytes) !== s.crc) throw new SnapshotDamaged(src.name, `checksum of ${what}`);
  return buf;
}

/**
 * Opens an image written by writeModelImage. Throws SnapshotDamaged when the file fails a check (the caller
 * rebuilds it from the store), and when it was made for another tokenizer or model format.
 * @example const m = openModelImage(path); m.ensureRows(ids); poolInto(m, bag, out);
 */
export function openModelImage(path: string): OpenedStaticModel {
  const src = fileSource(path);
  try {
    const h = readHeader(src);
    const mismatch = headerMismatch(h);
    if (mismatch?.kind === 'format') throw new SnapshotDamaged(path, `model format ${mismatch.found}`);
    if (mismatch?.kind === 'tokenizer') throw new SnapshotDamaged(path, 'made for another tokenizer');
    const s = h.sections;
    const small = Object.fromEntries(SMALL.map((n) => [n, readSection(src, s[n], n)])) as Record<
      SmallName,
      ArrayBuffer
    >;
    const table = StringTable.fromPacked({
      bytes: new Uint8Array(small.tokenBytes),
      starts: new Uint32Array(small.tokenStarts),
      slots: new Uint32Array(small.slots),
    });
    const idf = new Float32Array(small.idf);
    const scales = new Float32Array(small.scales);
    if (
      table.size !== h.vocabSize ||
      idf.length !== h.vocabSize ||
      scales.length !== h.vocabSize ||
      s.rows.length !== h.vocabSize * h.dimension
    )
      throw new SnapshotDamaged(path, 'sections disagree with the header');
    // A file cut short is refused now, not at the first text that needs its last rows.
    if (s.rows.offset + s.rows.length > src.size) throw new SnapshotDamaged(path, 'cut short');
    const rows = new LazyBytes(src, s.rows.offset, s.rows.length, new Uint32Array(small.rowCrcs));
    const quantized = new Int8Array(rows.bytes.buffer, 0, s.rows.length);
    src.release();
    let tokens: readonly string[] | null = null;
    return {
      name: h.name,
      dimension: h.dimension,
      createdAt: h.createdAt,
      training: h.training,
      scales,
      quantized,
      vocab: {
        idf,
        ids: table,
        // Only re-encoding or retraining from this model lists its tokens; a search never does.
        get tokens() {
          return (tokens ??= table.toArray());
        },
      },
      ensureRows(ids) {
        for (let i = 0; i < ids.length; i++) {
          const t = ids[i] ?? 0;
          rows.ensure(t * h.dimension, (t + 1) * h.dimension);
        }
      },
      ensureAllRows: () => rows.ensureAll(),
      close: () => src.close(),
    };
  } catch (err) {
    src.close();
    if (err instanceof SyntaxError || err instanceof RangeError) throw new SnapshotDamaged(path, err.message);
    throw err;
  }
}
