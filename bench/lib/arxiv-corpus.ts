// The benchmark corpus: the 75k arXiv papers from ../shared, optionally grown k-fold, and sampled title queries.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { STOPWORDS } from '../../src/index/lexical/stopwords.ts';

/** One paper in the shape every engine under test indexes. */
export interface BenchDoc {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  date: string | null;
}

/**
 * Reads the gzip JSONL corpus ({arxiv_id, title, abstract, authors[], date, categories[]}).
 * @example const docs = await loadArxivCorpus('../shared/data/arxiv-cs-2025-2026.jsonl.gz');
 */
export async function loadArxivCorpus(path: string): Promise<BenchDoc[]> {
  const docs: BenchDoc[] = [];
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
    docs.push({
      id: String(r.arxiv_id ?? r.id),
      title: String(r.title ?? ''),
      abstract: String(r.abstract ?? ''),
      authors: list(r.authors),
      categories: list(r.categories),
      date: typeof r.date === 'string' ? r.date : null,
    });
  }
  return docs;
}

/** A seeded PRNG (mulberry32), so every engine gets the same corpus and queries. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * The corpus `factor` times over: copy c of a paper gets id "<id>#c", its title words and abstract
 * sentences shuffled, so the vocabulary and lengths stay real while documents differ.
 * @example const big = scaleCorpus(docs, 4, 7); // ~300k documents
 */
export function scaleCorpus(docs: readonly BenchDoc[], factor: number, seed: number): BenchDoc[] {
  const rand = seededRandom(seed);
  const out: BenchDoc[] = [...docs];
  for (let c = 1; c < factor; c++) {
    for (const d of docs) {
      const sentences = d.abstract.split(/(?<=[.!?])\s+/);
      out.push({
        ...d,
        id: `${d.id}#${c}`,
        title: shuffle(d.title.split(/\s+/), rand).join(' '),
        abstract: shuffle(sentences, rand).join(' '),
      });
    }
  }
  return out;
}

/**
 * `count` queries of 2–5 distinct non-stopword words drawn from random titles.
 * @example const queries = sampleQueries(docs, 1000, 42);
 */
export function sampleQueries(docs: readonly BenchDoc[], count: number, seed: number): string[] {
  const rand = seededRandom(seed);
  const queries: string[] = [];
  while (queries.length < count) {
    const doc = docs[Math.floor(rand() * docs.length)];
    const words = [
      ...new Set(
        (doc?.title.toLowerCase().match(/[a-z][a-z0-9-]*[a-z0-9]/g) ?? []).filter((w) => !STOPWORDS.has(w)),
      ),
    ];
    if (words.length < 2) continue;
    const n = Math.min(words.length, 2 + Math.floor(rand() * 4));
    queries.push(shuffle(words, rand).slice(0, n).join(' '));
  }
  return queries;
}
