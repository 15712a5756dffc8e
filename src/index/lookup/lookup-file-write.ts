// Writes the spelling vocabulary and suggestion tables as a lookup file (layout: lookup-file-format.ts).
import { crc32 } from 'node:zlib';
import { writeFileAtomically, writeFully } from '../file-bytes.ts';
import {
  bloomPositions,
  bloomSize,
  BLOOM_HASHES,
  compareUtf8Order,
  LOOKUP_FORMAT,
  LOOKUP_MAGIC,
  type LargeName,
  type LookupHeader,
  type Place,
  type TableName,
} from './lookup-file-format.ts';
import { ByteSink, encodeKey, SectionWriter, TableWriter, type TableIndex } from './sorted-blocks.ts';
import { MIN_CANDIDATE_COUNT, MIN_WORD, type SpellingVocabulary } from './spelling-vocabulary.ts';
import type { PrefixTable, SuggestContents } from './suggest-index.ts';

export interface LookupFileContents {
  suggest: SuggestContents;
  spelling: SpellingVocabulary;
  /** The store's change-log position the tables were built at. */
  seq: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;
const zigzag = (n: number): number => (n < 0 ? -2 * n - 1 : 2 * n);

/** Appends sections to one file, each at an 8-byte aligned offset. */
class FileSections {
  at = LOOKUP_MAGIC.length;
  readonly places: Record<string, Place> = {};

  constructor(readonly fd: number) {
    writeFully(fd, Buffer.from(LOOKUP_MAGIC, 'ascii'), 0);
    this.at = align8(this.at);
  }

  /** Streams a large section through `fill`; its block CRC-32s become the small section `${name}.crcs`. */
  large<T>(name: LargeName, fill: (out: SectionWriter) => T): T {
    const out = new SectionWriter(this.fd, this.at);
    const result = fill(out);
    const { place, crcs } = out.finish();
    this.places[name] = [place.offset, place.length, 0];
    this.at = align8(place.offset + place.length);
    this.small(`${name}.crcs`, new Uint8Array(crcs.buffer, crcs.byteOffset, crcs.byteLength));
    return result;
  }

  small(name: string, bytes: Uint8Array): void {
    writeFully(this.fd, bytes, this.at);
    this.places[name] = [this.at, bytes.byteLength, crc32(bytes)];
    this.at = align8(this.at + bytes.byteLength);
  }

  tableIndex(name: TableName, index: TableIndex): void {
    this.small(`${name}.keys`, index.keys);
    this.small(`${name}.keyStarts`, new Uint8Array(index.keyStarts.buffer));
    this.small(`${name}.blockStarts`, new Uint8Array(index.blockStarts.buffer));
  }
}

/** Writes a sorted table of `keys` (sorted here, in UTF-8 byte order) with the value each maps to. */
function writeTable<K extends string>(
  file: FileSections,
  name: TableName,
  keys: K[],
  value: (key: K, sink: ByteSink) => void,
): void {
  keys.sort(compareUtf8Order);
  const sink = new ByteSink();
  const index = file.large(name, (out) => {
    const t = new TableWriter(out);
    for (const k of keys) {
      value(k, sink.clear());
      t.add(encodeKey(k), sink.view());
    }
    return t.finish();
  });
  file.tableIndex(name, index);
}

/**
 * Writes postings: the lists (record offsets as zig-zag varint deltas) in `lists`, then a table of keys → list
 * length and offset in `keys`.
 */
function writePostings(
  file: FileSections,
  lists: LargeName,
  keys: TableName,
  table: PrefixTable<string>,
  offsetOf: (item: string) => number,
): void {
  const where = new Map<string, [count: number, offset: number]>();
  file.large(lists, (out) => {
    const sink = new ByteSink();
    for (const [key, items] of table.entries()) {
      where.set(key, [items.length, out.length]);
      let prev = 0;
      sink.clear();
      for (const item of items) {
        const off = offsetOf(item);
        sink.varint(zigzag(off - prev));
        prev = off;
        if (sink.length > 1 << 16) {
          out.write(sink.view());
          sink.clear();
        }
      }
      out.write(sink.view());
    }
  });
  writeTable(file, keys, [...where.keys()], (k, sink) => {
    const [count, offset] = where.get(k) ?? [0, 0];
    sink.varint(count).varint(offset);
  });
}

/** Writes records of `items` (each framed by its varint length), returning each one's offset by key. */
function writeRecords<T>(
  file: FileSections,
  name: LargeName,
  items: Iterable<[string, T]>,
  encode: (key: string, item: T, sink: ByteSink) => void,
): Map<string, number> {
  const offsets = new Map<string, number>();
  const body = new ByteSink();
  const frame = new ByteSink();
  file.large(name, (out) => {
    for (const [key, item] of items) {
      offsets.set(key, out.length);
      encode(key, item, body.clear());
      out.write(frame.clear().varint(body.length).raw(body.view()).view());
    }
  });
  return offsets;
}

/**
 * Writes the tables as a lookup file at `path`, atomically (a temp file, then rename): a reader sees the old
 * file or the new one, never part of one.
 */
export function writeLookupFile(path: string, c: LookupFileContents): void {
  writeFileAtomically(path, (fd) => writeSections(new FileSections(fd), c));
}

function writeSections(file: FileSections, c: LookupFileContents): void {
  const s = c.suggest;
  const titleAt = writeRecords(file, 'titleRecs', s.titles, (id, t, sink) =>
    sink.text(id).text(t.title).text(t.text).varint(t.order),
  );
  writePostings(file, 'titleLists', 'titleKeys', s.titleWords, (id) => titleAt.get(id) ?? 0);
  writeTable(file, 'ids', [...titleAt.keys()], (id, sink) => sink.varint(titleAt.get(id) ?? 0));
  titleAt.clear();

  const authorAt = writeRecords(file, 'authorRecs', s.authorWords, (name, text, sink) =>
    sink
      .text(name)
      .text(text)
      .varint(s.authorPapers.get(name) ?? 0),
  );
  writePostings(file, 'authorLists', 'authorKeys', s.authorParts, (name) => authorAt.get(name) ?? 0);
  writeTable(file, 'authorNames', [...authorAt.keys()], (name, sink) => sink.varint(authorAt.get(name) ?? 0));
  authorAt.clear();

  const topics = new Set<string>();
  for (const [, pairs] of s.topicWords.entries()) for (const p of pairs) topics.add(p);
  const topicAt = writeRecords(
    file,
    'topicRecs',
    [...topics].map((p) => [p, s.pairs.get(p) ?? 0] as [string, number]),
    (pair, n, sink) => sink.text(pair).varint(n),
  );
  writePostings(file, 'topicLists', 'topicKeys', s.topicWords, (pair) => topicAt.get(pair) ?? 0);
  writeTable(file, 'pairs', [...s.pairs.keys()], (pair, sink) => sink.varint(s.pairs.get(pair) ?? 0));

  const spelling = c.spelling;
  writeTable(file, 'words', [...spelling.words], (w, sink) => sink.varint(spelling.countOf(w)));
  // Candidates (count ≥ 2) by first letter, then length, then word: a correction's far buckets lie together.
  const candidates: string[] = [];
  for (const [w, n] of spelling.entries())
    if (n >= MIN_CANDIDATE_COUNT && w.length >= MIN_WORD - 1) candidates.push(w);
  const far: Record<string, [number, number]> = {};
  const bloomBits = bloomSize(candidates.length);
  const bloom = new Uint8Array(bloomBits / 8);
  const positions: number[] = [];
  for (const w of candidates)
    for (const p of bloomPositions(w, bloomBits, BLOOM_HASHES, positions))
      bloom[p >>> 3] = (bloom[p >>> 3] ?? 0) | (1 << (p & 7));
  candidates.sort((a, b) =>
    a[0] !== b[0] ? compareUtf8Order(a, b) : a.length - b.length || compareUtf8Order(a, b),
  );
  file.large('far', (out) => {
    const sink = new ByteSink();
    for (const w of candidates) {
      const key = `${w[0] ?? ''}${w.length}`;
      const range = (far[key] ??= [out.length, out.length]);
      out.write(sink.clear().text(w).view());
      range[1] = out.length;
    }
  });
  file.small('bloom', bloom);

  const header: LookupHeader = {
    format: LOOKUP_FORMAT,
    seq: c.seq,
    papers: s.titles.size,
    nextOrder: s.nextOrder,
    categories: Object.fromEntries(s.categories),
    far,
    bloomHashes: BLOOM_HASHES,
    sections: file.places,
  };
  const json = Buffer.from(JSON.stringify(header));
  const trailer = Buffer.alloc(16);
  trailer.writeUInt32LE(json.byteLength, 0);
  trailer.writeUInt32LE(crc32(json), 4);
  trailer.write(LOOKUP_MAGIC, 8, 'ascii');
  writeFully(file.fd, json, file.at);
  writeFully(file.fd, trailer, file.at + json.byteLength);
}
