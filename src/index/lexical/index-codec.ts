// Binary snapshot of a compacted lexical index: a JSON header, then checksummed sections viewed in place on load.
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { AppError } from '../../errors.ts';
import { writeFully } from '../file-bytes.ts';
import { resolveBm25fOptions, type Bm25fOptions } from './bm25f-options.ts';
import { termScoring } from './bm25f-scorer.ts';
import { emptyState, type IndexState, type StoredBounds } from './index-state.ts';
import { computeStoredBounds, scoringKey } from './term-bounds.ts';
import { compressLists } from './postings.ts';
import { StringTable } from '../string-table.ts';
import {
  blockChecksums,
  bufferSource,
  fileSource,
  LazyBytes,
  PagedBytes,
  SnapshotDamaged,
  verifyBlocks,
  type ByteSource,
} from '../snapshot-sections.ts';

/*
 * Layout: "PBLX" | u32 format version | u32 header length | u32 CRC-32 of the header | header JSON | sections,
 * each 8-byte aligned. The header lists each section's byte offset, length and CRC-32. Ids and terms are
 * string tables (UTF-8 back to back, start offsets, a hash table for lookup: see string-table.ts), so loading
 * views every section in place over the file's one buffer and decodes no string. Checksums are verified at
 * load: a flipped byte or a cut-off file is refused (the caller rebuilds from the store), never served.
 * Format 3 stores the postings compressed (see postings.ts): `docs` holds the encoded blocks, read in place
 * on demand, with `blocks`, `lastDocs` and `blockBytes` beside it. Formats 1 (no checksums, newline-joined
 * strings) and 2 (uncompressed `docs` and `tfs` arrays) are still read: their lists are compressed on
 * load, and `lexicalSnapshotOutdated` tells the caller to save the index again in the current format.
 * Format 4 adds `unitMax`, each term's largest unit score (term-bounds.ts), with the scoring constants it was
 * computed under in the header (`boundsKey`), so a restarted index bounds a term for pruning without reading
 * its whole list; format 3 opens without them (bounds are then computed from the lists, as before).
 * Format 5 adds `blockMax`, one byte per sealed block (numbered as `lastDocs`): the block's largest unit score
 * in 255ths of its term's `unitMax`, rounded up (term-bounds.ts), under the same `boundsKey`, so MaxScore can
 * pass over blocks that cannot reach the k-th score without decoding them. Format 4 opens without them
 * (searches then bound by whole terms only, as before: same results, no block skipping) and is served as it
 * is: rewriting it would re-seal every list on the serving node (a memory spike at 2.7M papers) for a few
 * percent fewer postings decoded, so it gains block maxima at the next save after a change or `reindex`.
 */

const MAGIC = 'PBLX';
const FORMAT_VERSION = 5;
/** Formats below this are rewritten at the next save even when nothing changed (see above). */
const REWRITE_BELOW = 4;
const PREFIX = 16;

interface Header {
  options: Bm25fOptions;
  /** Format 4: the `scoringKey` the `unitMax` section was computed under. */
  boundsKey?: number[];
  sections: Record<AnySectionName, [offset: number, length: number, crc: number]>;
}

/** Sections of the current format. */
type SectionName =
  | 'ids'
  | 'idStarts'
  | 'idSlots'
  | 'terms'
  | 'termStarts'
  | 'termSlots'
  | 'dates'
  | 'lengths'
  | 'df'
  | 'offsets'
  | 'blocks'
  | 'lastDocs'
  | 'blockBytes'
  | 'docs'
  | 'fwdStart'
  | 'fwdBytes'
  | 'docsBlocks'
  | 'fwdBytesBlocks'
  | 'unitMax'
  | 'blockMax';
/** Sections only formats 1 and 2 have (uncompressed postings: `docs` is then one Uint32 doc per posting). */
type OldSectionName = 'tfs' | 'tfsBlocks';
type AnySectionName = SectionName | OldSectionName;

/** Large sections, read on demand block by block; each has a `<name>Blocks` section of block checksums. */
const LAZY = ['docs', 'tfs', 'fwdBytes'] as const;
type LazyName = (typeof LAZY)[number];
const isLazy = (name: AnySectionName): name is LazyName => (LAZY as readonly string[]).includes(name);

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The state's stored bounds when they hold for its current statistics, else computed now (one pass over every
 * posting) and kept on the state, so the index that was saved bounds its terms as a restarted one would.
 */
function boundsOf(state: IndexState): StoredBounds {
  const held = state.storedBounds;
  const key = scoringKey(termScoring(state, 0, 1));
  if (
    held !== null &&
    held.unitMax.length === state.terms.size &&
    held.blockMax !== null &&
    held.blockMax.length === state.postings.sealed.lastDocs.length &&
    key.every((k, i) => k === held.key[i])
  )
    return held;
  state.storedBounds = computeStoredBounds(state);
  return state.storedBounds;
}

/** A large section copied from the file it lies in, piece by piece, instead of being read into memory whole. */
interface StreamedPart {
  readonly byteLength: number;
  pieces(): Iterable<Uint8Array>;
}

type Part = Uint8Array | StreamedPart;

function sectionsOf(state: IndexState, bounds: StoredBounds): Record<SectionName, Part> {
  const n = state.docs.count;
  const { sealed } = state.postings;
  // Lists read from a file (a snapshot saved unchanged, a build spilled to disk) are copied from it in pieces.
  const paged = state.postings.pagedData;
  const sealedData: Part =
    paged !== null ? { byteLength: paged.length, pieces: () => paged.pieces() } : state.postings.sealedData();
  // Sequences left in a snapshot's file (a compaction spilled them there) are copied from it in pieces as well.
  const fwd = state.forward;
  const fwdPaged = fwd.pagedSection;
  if (fwdPaged !== null && fwdPaged.length !== fwd.byteLength)
    throw new AppError('INTERNAL', 'Lexical sequences must be compacted before they are written.');
  const fwdBytes: Part =
    fwdPaged !== null
      ? { byteLength: fwdPaged.length, pieces: () => fwdPaged.pieces() }
      : fwd.bytes.subarray(0, fwd.byteLength);
  const ids = state.docs.ids.pack();
  const terms = state.terms.pack();
  return {
    ids: ids.bytes,
    idStarts: bytesOf(ids.starts),
    idSlots: bytesOf(ids.slots),
    terms: terms.bytes,
    termStarts: bytesOf(terms.starts),
    termSlots: bytesOf(terms.slots),
    dates: bytesOf(state.docs.dates.subarray(0, n)),
    lengths: bytesOf(state.docs.lengths.subarray(0, n * 3)),
    df: bytesOf(state.df.subarray(0, state.terms.size)),
    offsets: bytesOf(sealed.offsets),
    blocks: bytesOf(sealed.blocks),
    lastDocs: bytesOf(sealed.lastDocs),
    blockBytes: bytesOf(sealed.blockBytes),
    docs: sealedData,
    fwdStart: bytesOf(state.forward.start.subarray(0, state.forward.count + 1)),
    fwdBytes,
    docsBlocks: bytesOf(paged !== null ? paged.blockCrcs : blockChecksums(state.postings.sealedData())),
    fwdBytesBlocks: bytesOf(
      fwdPaged !== null ? fwdPaged.blockCrcs : blockChecksums(fwd.bytes.subarray(0, fwd.byteLength)),
    ),
    unitMax: bytesOf(bounds.unitMax),
    blockMax: bounds.blockMax ?? new Uint8Array(0),
  };
}

const piecesOf = (part: Part): Iterable<Uint8Array> => (part instanceof Uint8Array ? [part] : part.pieces());

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Where every section goes: the prefix (magic, version, header) and each section's offset. */
function layout(state: IndexState): {
  prefix: Buffer;
  parts: Record<SectionName, Part>;
  names: SectionName[];
  sections: Header['sections'];
  size: number;
} {
  const bounds = boundsOf(state);
  const parts = sectionsOf(state, bounds);
  const names = Object.keys(parts) as SectionName[];
  // The header holds the offsets, and its own length moves them: lay out with a generous fixed reservation.
  const sections = {} as Header['sections'];
  const reserve = align8(
    PREFIX +
      JSON.stringify({ options: state.options, boundsKey: bounds.key }).length +
      names.length * 64 +
      64,
  );
  let offset = reserve;
  for (const name of names) {
    // A large section is checked by its block checksums (itself a checked section), not as a whole.
    const part = parts[name];
    if (!isLazy(name) && !(part instanceof Uint8Array))
      throw new AppError('INTERNAL', `Lexical section ${name} must be in memory.`);
    sections[name] = [offset, part.byteLength, part instanceof Uint8Array && !isLazy(name) ? crc32(part) : 0];
    offset = align8(offset + parts[name].byteLength);
  }
  const header = Buffer.from(
    JSON.stringify({ options: state.options, boundsKey: [...bounds.key], sections } satisfies Header),
  );
  if (PREFIX + header.length > reserve)
    throw new AppError('INTERNAL', 'Lexical index header outgrew its reservation.');
  const prefix = Buffer.alloc(reserve);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(FORMAT_VERSION, 4);
  prefix.writeUInt32LE(header.length, 8);
  prefix.writeUInt32LE(crc32(header), 12);
  header.copy(prefix, PREFIX);
  return { prefix, parts, names, sections, size: offset };
}

/**
 * Serializes a compacted state (no tail postings, no dead documents).
 * @example const buf = encodeState(state); writeFileSync('lexical.idx', buf);
 */
export function encodeState(state: IndexState): Buffer {
  const { prefix, parts, names, sections, size } = layout(state);
  const out = Buffer.alloc(size);
  prefix.copy(out, 0);
  for (const name of names) {
    let at = sections[name][0];
    for (const piece of piecesOf(parts[name])) {
      out.set(piece, at);
      at += piece.byteLength;
    }
  }
  return out;
}

/**
 * Writes the same bytes as `encodeState` to `path`, section by section from where they lie, so saving a
 * large index needs no second copy of it in memory (about 300 MB at 300k papers).
 */
export function writeStateFile(state: IndexState, path: string): void {
  const { prefix, parts, names, sections, size } = layout(state);
  const fd = openSync(path, 'w', 0o600);
  try {
    writeFully(fd, prefix, 0);
    for (const name of names) {
      let at = sections[name][0];
      for (const piece of piecesOf(parts[name])) {
        writeFully(fd, piece, at);
        at += piece.byteLength;
      }
    }
    ftruncateSync(fd, size); // the alignment padding after the last section
  } finally {
    closeSync(fd);
  }
}

const damaged = (what: string): AppError =>
  new AppError(
    'UNKNOWN_FORMAT',
    `The lexical index is truncated or corrupt (${what}); rebuild it with \`paperboy reindex\`.`,
  );

const notOurs = (): AppError =>
  new AppError(
    'UNKNOWN_FORMAT',
    'This is not a Paperboy lexical index file; rebuild it with `paperboy reindex`.',
  );

function readPrefix(src: ByteSource): { version: number; header: Header } {
  if (src.size < 12) throw notOurs();
  const prefix = Buffer.alloc(Math.min(PREFIX, src.size));
  src.read(0, prefix);
  if (prefix.toString('latin1', 0, 4) !== MAGIC) throw notOurs();
  const version = prefix.readUInt32LE(4);
  if (version > FORMAT_VERSION) {
    throw new AppError(
      'SCHEMA_TOO_NEW',
      `Lexical index format ${version} is newer than this Paperboy (${FORMAT_VERSION}); upgrade or reindex.`,
    );
  }
  const at = version === 1 ? 12 : PREFIX;
  const length = prefix.readUInt32LE(8);
  if (at + length > src.size || prefix.length < at) throw damaged('header');
  const text = Buffer.alloc(length);
  src.read(at, text);
  if (version >= 2 && crc32(text) !== prefix.readUInt32LE(12)) throw damaged('header checksum');
  try {
    return { version, header: JSON.parse(text.toString('utf8')) as Header };
  } catch (err) {
    throw new AppError(
      'UNKNOWN_FORMAT',
      'The lexical index header is corrupt; rebuild it with `paperboy reindex`.',
      [],
      { cause: err },
    );
  }
}

type TypedArrayKind<T> = { new (b: ArrayBuffer, o: number, l: number): T; BYTES_PER_ELEMENT: number };

export interface OpenOptions {
  /**
   * Check every block of the large sections before returning (default true): a damaged file is refused at
   * open instead of failing a later search. Small sections are always checked as they are read.
   */
  verify?: boolean;
  /**
   * Every block of the large sections was checked by another reader of this same file (serve's start-up checks,
   * for its search helper thread): none is checked here, at open or later. Default false.
   */
  checkedElsewhere?: boolean;
  /** Told when a block read later fails its check (the reader still gets the error). */
  onDamage?: (err: SnapshotDamaged) => void;
}

/**
 * Opens a state from a snapshot source: small sections (ids, vocabulary, document columns, list offsets) are
 * read now, the postings on first use; the term sequences stay in the file, read per document as needed. Throws AppError on foreign, newer, truncated or
 * corrupt files; the source stays open while large sections are still unread.
 */
export function openState(src: ByteSource, opts: OpenOptions = {}): IndexState {
  try {
    const state = openStateFrom(src, opts);
    src.release(); // large sections still unread hold the file open themselves
    return state;
  } catch (err) {
    src.close();
    throw err;
  }
}

function openStateFrom(src: ByteSource, opts: OpenOptions): IndexState {
  // Blocks checked all at once now, or marked checked (now, or elsewhere); else each as it is first read.
  const checked = opts.verify !== false || opts.checkedElsewhere === true;
  const checkNow = opts.verify !== false && opts.checkedElsewhere !== true;
  const { version, header } = readPrefix(src);
  if (version === 1) {
    const all = new Uint8Array(src.size);
    src.read(0, all);
    return decodeV1(all, header);
  }
  const bounds = (name: AnySectionName, size: number): [number, number] => {
    const [offset, length] = header.sections[name] ?? [0, -1];
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      length < 0 ||
      offset % 8 !== 0 ||
      length % size !== 0 ||
      offset + length > src.size
    )
      throw damaged(`section ${name}`);
    return [offset, length];
  };
  const read = <T>(name: AnySectionName, Kind: TypedArrayKind<T>): T => {
    const [offset, length] = bounds(name, Kind.BYTES_PER_ELEMENT);
    const buffer = new ArrayBuffer(length);
    const bytes = new Uint8Array(buffer);
    src.read(offset, bytes);
    if (crc32(bytes) !== header.sections[name][2]) throw damaged(`checksum of section ${name}`);
    return new Kind(buffer, 0, length / Kind.BYTES_PER_ELEMENT);
  };
  const lazy = <T>(name: LazyName, Kind: TypedArrayKind<T>): { array: T; bytes: LazyBytes } => {
    const [offset, length] = bounds(name, Kind.BYTES_PER_ELEMENT);
    const crcs = read(`${name}Blocks`, Uint32Array);
    if (checkNow) verifyBlocks(src, offset, length, crcs);
    const bytes = new LazyBytes(src, offset, length, crcs);
    return { array: new Kind(bytes.bytes.buffer as ArrayBuffer, 0, length / Kind.BYTES_PER_ELEMENT), bytes };
  };
  const table = (bytes: SectionName, starts: SectionName, slots: SectionName): StringTable => {
    try {
      return StringTable.fromPacked({
        bytes: read(bytes, Uint8Array),
        starts: read(starts, Uint32Array),
        slots: read(slots, Uint32Array),
      });
    } catch (err) {
      if (err instanceof AppError || err instanceof SnapshotDamaged) throw err;
      throw damaged(`section ${bytes}`);
    }
  };
  try {
    const state = emptyState(resolveBm25fOptions(header.options));
    state.docs.load(
      table('ids', 'idStarts', 'idSlots'),
      read('dates', Int32Array),
      read('lengths', Uint16Array),
    );
    state.terms = table('terms', 'termStarts', 'termSlots');
    state.df = read('df', Uint32Array);
    if (version === 2) {
      // Uncompressed lists: read whole (every block checked), then compressed as format 3 holds them.
      const docs = lazy('docs', Uint32Array);
      const tfs = lazy('tfs', Uint16Array);
      docs.bytes.ensureAll();
      tfs.bytes.ensureAll();
      const offsets = read('offsets', Uint32Array);
      if ((offsets[offsets.length - 1] ?? 0) !== docs.array.length || docs.array.length !== tfs.array.length)
        throw damaged('postings sections disagree');
      state.postings.load(compressLists(offsets, docs.array, tfs.array));
    } else {
      // The lists stay in the file, each read from the page cache when a search needs it (#23).
      const [docsAt, docsLength] = bounds('docs', 1);
      const docsCrcs = read('docsBlocks', Uint32Array);
      if (checkNow) verifyBlocks(src, docsAt, docsLength, docsCrcs);
      state.postings.load(
        {
          offsets: read('offsets', Uint32Array),
          blocks: read('blocks', Uint32Array),
          lastDocs: read('lastDocs', Uint32Array),
          blockBytes: read('blockBytes', Uint32Array),
          data: new Uint8Array(0),
        },
        new PagedBytes(src, docsAt, docsLength, docsCrcs, checked),
      );
    }
    // The term sequences stay in the file, read one document at a time from the page cache (#23).
    const [fwdAt, fwdLength] = bounds('fwdBytes', 1);
    const fwdCrcs = read('fwdBytesBlocks', Uint32Array);
    if (checkNow) verifyBlocks(src, fwdAt, fwdLength, fwdCrcs);
    const fwd = new PagedBytes(src, fwdAt, fwdLength, fwdCrcs, checked);
    state.forward.load(new Uint8Array(0), read('fwdStart', Uint32Array), fwd);
    if (version >= 4)
      state.storedBounds = {
        unitMax: read('unitMax', Float64Array),
        blockMax: version >= 5 ? read('blockMax', Uint8Array) : null,
        key: boundsKeyOf(header),
      };
    checkAgreement(state);
    return state;
  } catch (err) {
    if (err instanceof SnapshotDamaged) throw damaged(err.message);
    throw err;
  }
}

function boundsKeyOf(header: Header): number[] {
  const key = header.boundsKey;
  if (!Array.isArray(key) || key.length !== 10 || !key.every((k) => typeof k === 'number'))
    throw damaged('bounds key');
  return key;
}

function checkAgreement(state: IndexState): void {
  const n = state.docs.count;
  const { offsets, blocks, lastDocs, blockBytes } = state.postings.sealed;
  const fwd = state.forward;
  if (
    fwd.count !== n ||
    state.postings.sealedTerms !== state.terms.size ||
    state.df.length !== state.terms.size ||
    blocks.length !== offsets.length ||
    (blocks[blocks.length - 1] ?? 0) !== lastDocs.length ||
    blockBytes.length !== lastDocs.length + 1 ||
    (blockBytes[lastDocs.length] ?? 0) !== state.postings.sealedByteLength ||
    (fwd.start[fwd.count] ?? 0) > fwd.storedLength ||
    (state.storedBounds !== null && state.storedBounds.unitMax.length !== state.terms.size) ||
    (state.storedBounds !== null &&
      state.storedBounds.blockMax !== null &&
      state.storedBounds.blockMax.length !== lastDocs.length)
  ) {
    throw new AppError(
      'UNKNOWN_FORMAT',
      'The lexical index sections disagree; rebuild it with `paperboy reindex`.',
    );
  }
}

/**
 * Restores a state from `encodeState` output held in memory (tests, benchmarks), checking every byte.
 */
export function decodeState(input: Uint8Array): IndexState {
  const state = openState(bufferSource(input, 'lexical index'));
  state.postings.ensureAll();
  state.forward.ensureAll();
  return state;
}

/** Format 1 (no checksums, newline-joined strings), as Paperboy wrote it before snapshots were read lazily. */
function decodeV1(own: Uint8Array, header: Header): IndexState {
  const view = <T>(name: AnySectionName, Kind: TypedArrayKind<T>): T => {
    const [offset, length] = header.sections[name] ?? [0, -1];
    if (length < 0 || offset + length > own.byteLength || offset % 8 !== 0) throw damaged(`section ${name}`);
    return new Kind(own.buffer as ArrayBuffer, offset, length / Kind.BYTES_PER_ELEMENT);
  };
  const lines = (name: SectionName): StringTable => {
    const s = Buffer.from(view(name, Uint8Array)).toString('utf8');
    const t = new StringTable();
    if (s !== '') for (const line of s.split('\n')) t.add(line);
    return t;
  };
  const state = emptyState(resolveBm25fOptions(header.options));
  state.docs.load(lines('ids'), view('dates', Int32Array), view('lengths', Uint16Array));
  state.terms = lines('terms');
  state.df = view('df', Uint32Array);
  const offsets = view('offsets', Uint32Array);
  const docs = view('docs', Uint32Array);
  const tfs = view('tfs', Uint16Array);
  if ((offsets[offsets.length - 1] ?? 0) !== docs.length || docs.length !== tfs.length)
    throw damaged('postings sections disagree');
  state.postings.load(compressLists(offsets, docs, tfs));
  state.forward.load(view('fwdBytes', Uint8Array), view('fwdStart', Uint32Array));
  checkAgreement(state);
  return state;
}

/**
 * True when the file at `path` is a lexical snapshot of a format old enough to be rewritten at the next save
 * (parsed whole, or without term bounds); format 4 is served as it is.
 * @example if (lexicalSnapshotOutdated(file)) indexes.save();
 */
export function lexicalSnapshotOutdated(path: string): boolean {
  const src = fileSource(path);
  try {
    const head = Buffer.alloc(8);
    src.read(0, head);
    return head.readUInt32LE(4) < REWRITE_BELOW;
  } catch {
    return false;
  } finally {
    src.close();
  }
}
