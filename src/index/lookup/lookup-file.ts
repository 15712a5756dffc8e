// Opens a lookup file (the spelling and suggestion tables on disk) and answers from it by positional reads.
import { crc32 } from 'node:zlib';
import { fileSource, PagedBytes, SnapshotDamaged, type ByteSource } from '../snapshot-sections.ts';
import {
  bloomPositions,
  LARGE,
  LOOKUP_FORMAT,
  LOOKUP_MAGIC,
  TRAILER,
  type LargeName,
  type LookupHeader,
  type TableName,
} from './lookup-file-format.ts';
import { PageCache } from './page-cache.ts';
import { asciiKey, ByteReader, encodeKey, TableReader } from './sorted-blocks.ts';
import { editDistance, type SpellingSource } from './spelling-vocabulary.ts';
import type { AuthorEntry, Postings, SuggestBase, TitleEntry, TopicEntry } from './suggest-index.ts';

/** The tables of an opened lookup file. Reads may throw SnapshotDamaged (a block failing its check). */
export interface LookupFile {
  readonly path: string;
  /** The store's change-log position the tables were built at. */
  readonly seq: number;
  readonly papers: number;
  readonly titles: Postings<TitleEntry>;
  readonly authors: Postings<AuthorEntry>;
  readonly topics: Postings<TopicEntry>;
  readonly categories: ReadonlyMap<string, number>;
  /** What the file holds, for the in-memory tables of papers added since (see SuggestBase). */
  readonly base: SuggestBase;
  readonly spelling: SpellingSource;
  /** Bytes of the file kept in this process's memory (block indexes, the word filter). */
  readonly memoryBytes: number;
  /** Checks up to `maxBytes` of blocks not yet checked; true while some remain. */
  checkAhead(maxBytes: number): boolean;
  /** The large sections, read from the file by page, for checking their blocks elsewhere (`acceptChecks`). */
  pagedSections(): PagedBytes[];
  close(): void;
}

/**
 * Pages (4 KiB) cached per section: about 10 MiB in all, whatever the corpus size. Records and lists get the
 * most (a suggestion reads up to SCAN_LIMIT records); the far buckets are read whole and rarely.
 */
const DEFAULT_CACHE_PAGES = 128;
const CACHE_PAGES: Partial<Record<LargeName, number>> = {
  titleRecs: 1024,
  titleLists: 256,
  authorRecs: 512,
  authorLists: 128,
  words: 256,
  far: 32,
};

const unzig = (z: number): number => (z % 2 === 1 ? -(z + 1) / 2 : z / 2);

/** A record's body (after its varint length) at `offset`. */
function record(sec: PageCache, offset: number): ByteReader {
  let head = sec.rest(offset);
  // A length cut by the page's end is read across the two pages.
  if (head.length < 10 && offset + head.length < sec.length)
    head = sec.bytes(offset, Math.min(sec.length, offset + 10));
  const r = new ByteReader(head);
  const len = r.varint();
  if (r.at + len <= head.length) return new ByteReader(head.subarray(r.at, r.at + len));
  return new ByteReader(sec.bytes(offset + r.at, offset + r.at + len));
}

/** The entries of a list of `count` record offsets at `offset`, read a page at a time as they are asked for. */
function* listEntries<T>(
  lists: PageCache,
  offset: number,
  count: number,
  read: (recordOffset: number) => T,
): Generator<T> {
  let at = offset;
  let prev = 0;
  let left = count;
  while (left > 0) {
    let bytes = lists.rest(at);
    if (bytes.length < 10 && at + bytes.length < lists.length)
      bytes = lists.bytes(at, Math.min(lists.length, at + 10));
    const last = at + bytes.length === lists.length;
    const r = new ByteReader(bytes);
    // A varint is at most 10 bytes: decode only those that surely end within these bytes.
    while (left > 0 && (last || r.at + 10 <= bytes.length)) {
      prev += unzig(r.varint());
      left--;
      yield read(prev);
    }
    if (r.at === 0 && left > 0) throw new SnapshotDamaged('lookup file', 'a list runs past its section');
    at += r.at;
  }
}

/** A title in the file, read when first asked about (a candidate ruled out by its ref never is). */
class FileTitle implements TitleEntry {
  private got: { id: string; title: string; text: string; order: number } | null = null;
  constructor(
    private readonly recs: PageCache,
    readonly ref: number,
  ) {}

  private read(): { id: string; title: string; text: string; order: number } {
    if (this.got !== null) return this.got;
    const r = record(this.recs, this.ref);
    this.got = { id: r.text(), title: r.text(), text: r.text(), order: r.varint() };
    return this.got;
  }

  get id(): string {
    return this.read().id;
  }
  get title(): string {
    return this.read().title;
  }
  get text(): string {
    return this.read().text;
  }
  get order(): number {
    return this.read().order;
  }
}

function filePostings<T>(keys: TableReader, lists: PageCache, read: (offset: number) => T): Postings<T> {
  const meta = (value: Uint8Array): [count: number, offset: number] => {
    const r = new ByteReader(value);
    return [r.varint(), r.varint()];
  };
  return {
    size(key) {
      const v = keys.get(encodeKey(key));
      return v === null ? 0 : meta(v)[0];
    },
    list(key) {
      const v = keys.get(encodeKey(key));
      if (v === null) return [];
      const [count, offset] = meta(v);
      return listEntries(lists, offset, count, read);
    },
    prefixSize(prefix, cap) {
      let n = 0;
      for (const rec of keys.range(encodeKey(prefix))) {
        n += meta(rec.value)[0];
        if (n >= cap) return cap;
      }
      return n;
    },
    *prefixLists(prefix) {
      for (const rec of keys.range(encodeKey(prefix))) {
        const [count, offset] = meta(rec.value);
        yield [asciiKey(rec.key), listEntries(lists, offset, count, read)] as const;
      }
    },
    refSets(wanted, cap) {
      const sets: Set<number>[] = [];
      for (const key of wanted) {
        const v = keys.get(encodeKey(key));
        const [count, offset] = v === null ? [0, 0] : meta(v);
        if (count <= cap) sets.push(new Set(listEntries(lists, offset, count, (at) => at)));
      }
      return sets;
    },
    prefixRefSet(prefix, cap) {
      const found: [count: number, offset: number][] = [];
      let n = 0;
      for (const rec of keys.range(encodeKey(prefix))) {
        const m = meta(rec.value);
        n += m[0];
        if (n > cap) return null;
        found.push(m);
      }
      const set = new Set<number>();
      for (const [count, offset] of found)
        for (const at of listEntries(lists, offset, count, (a) => a)) set.add(at);
      return set;
    },
  };
}

function readHeader(src: ByteSource): LookupHeader {
  const path = src.name;
  if (src.size < LOOKUP_MAGIC.length + TRAILER) throw new SnapshotDamaged(path, 'cut short');
  const magic = new Uint8Array(LOOKUP_MAGIC.length);
  src.read(0, magic);
  const trailer = Buffer.alloc(TRAILER);
  src.read(src.size - TRAILER, trailer);
  if (
    Buffer.from(magic).toString('ascii') !== LOOKUP_MAGIC ||
    trailer.toString('ascii', 8, 16) !== LOOKUP_MAGIC
  )
    throw new SnapshotDamaged(path, 'not a lookup file, or cut short');
  const len = trailer.readUInt32LE(0);
  if (len > src.size - TRAILER - LOOKUP_MAGIC.length) throw new SnapshotDamaged(path, 'header length');
  const json = new Uint8Array(len);
  src.read(src.size - TRAILER - len, json);
  if (crc32(json) !== trailer.readUInt32LE(4)) throw new SnapshotDamaged(path, 'header checksum');
  const h = JSON.parse(Buffer.from(json).toString('utf8')) as LookupHeader;
  if (h.format !== LOOKUP_FORMAT)
    throw new SnapshotDamaged(path, `format ${h.format}; this Paperboy reads ${LOOKUP_FORMAT}`);
  return h;
}

/**
 * Opens a file written by writeLookupFile: reads and checks its header and small sections (block indexes, word
 * filter), leaving the records, lists and tables in the file. Throws SnapshotDamaged for a damaged or older
 * file (the caller rebuilds it) and the file system's error for a missing one.
 * @example const f = openLookupFile(join(dir, 'lookup.bin')); suggestFrom(mergedSource(f, delta), 'graph ne');
 */
export function openLookupFile(
  path: string,
  onDamage?: (err: SnapshotDamaged) => void,
  /** Scales every section's page cache (1: about 10 MiB in all). */
  cacheScale = 1,
): LookupFile {
  const src = fileSource(path, onDamage);
  try {
    const h = readHeader(src);
    let memoryBytes = 0;
    const small = (name: string): Uint8Array => {
      const place = h.sections[name];
      if (place === undefined) throw new SnapshotDamaged(path, `no section ${name}`);
      const [offset, length, crc] = place;
      if (offset + length > src.size) throw new SnapshotDamaged(path, 'cut short');
      const bytes = new Uint8Array(new ArrayBuffer(length));
      src.read(offset, bytes);
      if (crc32(bytes) !== crc) throw new SnapshotDamaged(path, `checksum of ${name}`);
      memoryBytes += length;
      return bytes;
    };
    const large = {} as Record<LargeName, PagedBytes>;
    const cached = {} as Record<LargeName, PageCache>;
    for (const name of LARGE) {
      const place = h.sections[name];
      if (place === undefined) throw new SnapshotDamaged(path, `no section ${name}`);
      if (place[0] + place[1] > src.size) throw new SnapshotDamaged(path, 'cut short');
      large[name] = new PagedBytes(src, place[0], place[1], new Uint32Array(small(`${name}.crcs`).buffer));
      cached[name] = new PageCache(
        large[name],
        Math.max(8, Math.round((CACHE_PAGES[name] ?? DEFAULT_CACHE_PAGES) * cacheScale)),
      );
    }
    const table = (name: TableName): TableReader =>
      new TableReader(cached[name], {
        keys: small(`${name}.keys`),
        keyStarts: new Uint32Array(small(`${name}.keyStarts`).buffer),
        blockStarts: new Float64Array(small(`${name}.blockStarts`).buffer),
      });
    const tables = {
      titleKeys: table('titleKeys'),
      ids: table('ids'),
      authorKeys: table('authorKeys'),
      authorNames: table('authorNames'),
      topicKeys: table('topicKeys'),
      pairs: table('pairs'),
      words: table('words'),
    };
    const bloom = small('bloom');
    const bloomBits = bloom.length * 8;
    src.release(); // the sections hold the file from here
    return fromSections(path, h, large, cached, tables, bloom, bloomBits, memoryBytes, src);
  } catch (err) {
    src.close();
    if (err instanceof SyntaxError || err instanceof RangeError) throw new SnapshotDamaged(path, err.message);
    throw err;
  }
}

function fromSections(
  path: string,
  h: LookupHeader,
  large: Record<LargeName, PagedBytes>,
  c: Record<LargeName, PageCache>,
  t: Record<TableName, TableReader>,
  bloom: Uint8Array,
  bloomBits: number,
  memoryBytes: number,
  src: ByteSource,
): LookupFile {
  const count = (v: Uint8Array | null): number => (v === null ? 0 : new ByteReader(v).varint());
  const positions: number[] = [];
  let checking = 0;
  const far = c.far;
  return {
    path,
    seq: h.seq,
    papers: h.papers,
    memoryBytes,
    titles: filePostings(t.titleKeys, c.titleLists, (at): TitleEntry => new FileTitle(c.titleRecs, at)),
    authors: filePostings(t.authorKeys, c.authorLists, (at): AuthorEntry => {
      const r = record(c.authorRecs, at);
      return { name: r.text(), text: r.text(), papers: r.varint() };
    }),
    topics: filePostings(t.topicKeys, c.topicLists, (at): TopicEntry => {
      const r = record(c.topicRecs, at);
      return { pair: r.text(), papers: r.varint() };
    }),
    categories: new Map(Object.entries(h.categories)),
    base: {
      nextOrder: h.nextOrder,
      hasPaper: (id) => t.ids.get(encodeKey(id)) !== null,
      hasAuthor: (name) => t.authorNames.get(encodeKey(name)) !== null,
      pairCount: (pair) => count(t.pairs.get(encodeKey(pair))),
    },
    spelling: {
      countOf: (w) => count(t.words.get(encodeKey(w))),
      mayBeCandidate(w) {
        for (const p of bloomPositions(w, bloomBits, h.bloomHashes, positions))
          if (((bloom[p >>> 3] ?? 0) & (1 << (p & 7))) === 0) return false;
        return true;
      },
      *farCandidates(w) {
        for (let len = w.length - 2; len <= w.length + 2; len++) {
          const range = h.far[`${w[0] ?? ''}${len}`];
          if (range === undefined) continue;
          const bytes = far.bytes(range[0], range[1]);
          const r = new ByteReader(bytes);
          while (r.at < bytes.length) {
            const c = asciiKey(r.slice(r.varint()));
            if (editDistance(w, c, 2) <= 2) yield c;
          }
        }
      },
    },
    pagedSections: () => LARGE.map((name) => large[name]),
    checkAhead(maxBytes) {
      while (checking < LARGE.length) {
        if (large[LARGE[checking] ?? 'far'].checkAhead(maxBytes)) return true;
        checking++;
      }
      return false;
    },
    close: () => src.close(),
  };
}
