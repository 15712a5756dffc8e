// The lookup file's layout shared by its writer and reader: magic, trailer, header, key order and the word filter.

/*
 * "PBLOOK01" | sections, 8-byte aligned | header JSON | u32 header length | u32 CRC-32 of the header | "PBLOOK01".
 * The header (at the end: its offsets are known only once the sections are written) lists every section
 * with its offset, length and, for a small one, its CRC-32; a large one (records, lists, tables) is checked
 * per 64 KiB block by the CRC-32s in a small section of its own. Small sections are read into memory at open
 * (table block indexes, the word filter: about a hundredth of the file); large ones stay in the file.
 */
export const LOOKUP_MAGIC = 'PBLOOK01';
/** Bumped on any change of layout or of what the tables hold: an older file is rebuilt, never misread. */
export const LOOKUP_FORMAT = 1;
export const TRAILER = 16;

/** The names of the large sections read in place. */
export const LARGE = [
  'titleRecs',
  'titleLists',
  'titleKeys',
  'ids',
  'authorRecs',
  'authorLists',
  'authorKeys',
  'authorNames',
  'topicRecs',
  'topicLists',
  'topicKeys',
  'pairs',
  'words',
  'far',
] as const;
export type LargeName = (typeof LARGE)[number];
/** Large sections that are sorted tables (each has a block index). */
export const TABLES = [
  'titleKeys',
  'ids',
  'authorKeys',
  'authorNames',
  'topicKeys',
  'pairs',
  'words',
] as const;
export type TableName = (typeof TABLES)[number];

export type Place = [offset: number, length: number, crc: number];

export interface LookupHeader {
  format: number;
  /** The store's change-log position the tables were built at (papers changed after it are not in them). */
  seq: number;
  papers: number;
  /** The order the next paper added gets (titles rank newest first by it). */
  nextOrder: number;
  categories: Record<string, number>;
  /** Candidate words (count ≥ 2) by first letter and length: `${letter}${length}` → [start, end) in `far`. */
  far: Record<string, [number, number]>;
  bloomHashes: number;
  /** Every section: large ones with crc 0 (their `${name}.crcs` small section checks them). */
  sections: Record<string, Place>;
}

/**
 * Orders strings as their UTF-8 bytes compare (code point order): UTF-16 units put characters beyond U+FFFF
 * (surrogates) below U+E000–U+FFFF, UTF-8 above.
 */
export function compareUtf8Order(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/** Bits of the word filter per candidate word (about 1% false positives with BLOOM_HASHES). */
export const BLOOM_BITS_PER_WORD = 10;
export const BLOOM_HASHES = 6;

/** The filter's two base hashes of an ASCII word (FNV-1a, and a mix of it). */
function hashes(word: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  let g = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  g = Math.imul(g ^ (g >>> 13), 0xc2b2ae35);
  return [h >>> 0, ((g ^ (g >>> 16)) | 1) >>> 0];
}

/** Bit positions of `word` in a filter of `bits` bits (a power of two). */
export function bloomPositions(word: string, bits: number, k: number, out: number[]): number[] {
  const [h1, h2] = hashes(word);
  out.length = 0;
  for (let i = 0; i < k; i++) out.push((h1 + Math.imul(i, h2)) & (bits - 1));
  return out;
}

/** Filter bits for n words: a power of two, at least 64. */
export function bloomSize(n: number): number {
  let bits = 64;
  while (bits < n * BLOOM_BITS_PER_WORD) bits *= 2;
  return bits;
}
