// Binary snapshot of a compacted lexical index: a JSON header, then typed-array sections loaded without parsing.
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { AppError } from '../../errors.ts';
import { writeFully } from '../file-bytes.ts';
import { resolveBm25fOptions, type Bm25fOptions } from './bm25f-options.ts';
import { emptyState, type IndexState } from './index-state.ts';

/*
 * Layout: "PBLX" | u32 format version | u32 header length | header JSON | sections, each 8-byte aligned.
 * The header lists each section's byte offset and length. Strings (ids, terms) are newline-joined UTF-8;
 * neither can contain a newline. Loading copies the buffer once and views the sections in place.
 */

const MAGIC = 'PBLX';
const FORMAT_VERSION = 1;

interface Header {
  options: Bm25fOptions;
  sections: Record<SectionName, [offset: number, length: number]>;
}

type SectionName =
  | 'ids'
  | 'terms'
  | 'dates'
  | 'lengths'
  | 'df'
  | 'offsets'
  | 'docs'
  | 'tfs'
  | 'fwdStart'
  | 'fwdBytes';

function sectionsOf(state: IndexState): Record<SectionName, Uint8Array> {
  const enc = new TextEncoder();
  const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const n = state.docs.count;
  const { sealed } = state.postings;
  return {
    ids: enc.encode(state.docs.ids.join('\n')),
    terms: enc.encode(state.terms.join('\n')),
    dates: bytes(state.docs.dates.subarray(0, n)),
    lengths: bytes(state.docs.lengths.subarray(0, n * 3)),
    df: bytes(state.df.subarray(0, state.terms.length)),
    offsets: bytes(sealed.offsets),
    docs: bytes(sealed.docs),
    tfs: bytes(sealed.tfs),
    fwdStart: bytes(state.forward.start.subarray(0, state.forward.count + 1)),
    fwdBytes: bytes(state.forward.bytes.subarray(0, state.forward.byteLength)),
  };
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Where every section goes: the prefix (magic, version, header) and each section's offset. */
function layout(state: IndexState): {
  prefix: Buffer;
  parts: Record<SectionName, Uint8Array>;
  names: SectionName[];
  sections: Header['sections'];
  size: number;
} {
  const parts = sectionsOf(state);
  const names = Object.keys(parts) as SectionName[];
  // The header holds the offsets, and its own length moves them: lay out with a generous fixed reservation.
  const sections = {} as Header['sections'];
  const reserve = align8(12 + JSON.stringify({ options: state.options }).length + names.length * 48 + 64);
  let offset = reserve;
  for (const name of names) {
    sections[name] = [offset, parts[name].byteLength];
    offset = align8(offset + parts[name].byteLength);
  }
  const header = Buffer.from(JSON.stringify({ options: state.options, sections } satisfies Header));
  if (12 + header.length > reserve)
    throw new AppError('INTERNAL', 'Lexical index header outgrew its reservation.');
  const prefix = Buffer.alloc(reserve);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(FORMAT_VERSION, 4);
  prefix.writeUInt32LE(header.length, 8);
  header.copy(prefix, 12);
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
  for (const name of names) out.set(parts[name], sections[name][0]);
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
    for (const name of names) writeFully(fd, parts[name], sections[name][0]);
    ftruncateSync(fd, size); // the alignment padding after the last section
  } finally {
    closeSync(fd);
  }
}

function readHeader(buf: Uint8Array): Header {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('latin1', 0, 4) !== MAGIC) {
    throw new AppError(
      'UNKNOWN_FORMAT',
      'This is not a Paperboy lexical index file; rebuild it with `paperboy reindex`.',
    );
  }
  const version = b.readUInt32LE(4);
  if (version > FORMAT_VERSION) {
    throw new AppError(
      'SCHEMA_TOO_NEW',
      `Lexical index format ${version} is newer than this Paperboy (${FORMAT_VERSION}); upgrade or reindex.`,
    );
  }
  try {
    return JSON.parse(b.toString('utf8', 12, 12 + b.readUInt32LE(8))) as Header;
  } catch (err) {
    throw new AppError(
      'UNKNOWN_FORMAT',
      'The lexical index header is corrupt; rebuild it with `paperboy reindex`.',
      [],
      { cause: err },
    );
  }
}

/**
 * Restores a state from `encodeState` output. Throws AppError on foreign, newer or truncated files.
 */
export function decodeState(input: Uint8Array): IndexState {
  const header = readHeader(input);
  const own = new Uint8Array(input.byteLength);
  own.set(input);
  const view = <T>(
    name: SectionName,
    Kind: { new (b: ArrayBuffer, o: number, l: number): T; BYTES_PER_ELEMENT: number },
  ): T => {
    const [offset, length] = header.sections[name] ?? [0, -1];
    if (length < 0 || offset + length > own.byteLength || offset % 8 !== 0) {
      throw new AppError(
        'UNKNOWN_FORMAT',
        `The lexical index is truncated or corrupt (section ${name}); rebuild it with \`paperboy reindex\`.`,
      );
    }
    return new Kind(own.buffer, offset, length / Kind.BYTES_PER_ELEMENT);
  };
  const text = (name: SectionName): string[] => {
    const s = Buffer.from(view(name, Uint8Array)).toString('utf8');
    return s === '' ? [] : s.split('\n');
  };
  const state = emptyState(resolveBm25fOptions(header.options));
  const ids = text('ids');
  state.docs.load(ids, view('dates', Int32Array), view('lengths', Uint16Array));
  state.terms = text('terms');
  state.termIds = new Map(state.terms.map((t, i) => [t, i]));
  state.df = view('df', Uint32Array);
  state.postings.load({
    offsets: view('offsets', Uint32Array),
    docs: view('docs', Uint32Array),
    tfs: view('tfs', Uint16Array),
  });
  state.forward.load(view('fwdBytes', Uint8Array), view('fwdStart', Uint32Array));
  if (state.forward.count !== ids.length || state.postings.sealedTerms !== state.terms.length) {
    throw new AppError(
      'UNKNOWN_FORMAT',
      'The lexical index sections disagree; rebuild it with `paperboy reindex`.',
    );
  }
  return state;
}
