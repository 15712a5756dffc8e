// Grows the real 75k papers into a synthetic arXiv metadata snapshot in the Kaggle format (one JSON object per
// line, gzip), with new identifiers, shuffled text, version histories and submission dates spread over 2007–2026.
import { once } from 'node:events';
import { createWriteStream, renameSync } from 'node:fs';
import { createGzip, constants as zlib } from 'node:zlib';
import { seededRandom, type BenchDoc } from './arxiv-corpus.ts';

export interface MonthCount {
  /** "YYYY-MM". */
  month: string;
  count: number;
}

/** arXiv's monthly submissions grew about 4.8-fold from 2007 to 2025; the synthetic months follow that curve. */
const GROWTH = 4.8;
/** Identifiers of months before 2015-01 have four digits after the dot (YYMM.NNNN), so at most 9,999 papers. */
const FOUR_DIGIT_LIMIT = 9_999;

function monthsBetween(first: string, last: string): string[] {
  const [fy, fm] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let y = fy, m = fm; y < ly || (y === ly && m <= lm); m === 12 ? ((m = 1), y++) : m++)
    out.push(`${y}-${String(m).padStart(2, '0')}`);
  return out;
}

/**
 * How many papers each month gets so that `total` papers follow exponential growth from `first` to `last`.
 * @example monthlyCounts(1000, '2007-04', '2026-11').reduce((s, m) => s + m.count, 0) // 1000
 */
export function monthlyCounts(total: number, first = '2007-04', last = '2026-11'): MonthCount[] {
  const months = monthsBetween(first, last);
  const rate = Math.log(GROWTH) / Math.max(1, months.length - 1);
  const weights = months.map((_, i) => Math.exp(rate * i));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  months.forEach((m, i) => {
    if (m < '2015-01') counts[i] = Math.min(counts[i] ?? 0, FOUR_DIGIT_LIMIT);
  });
  // What clamping took from four-digit months goes to the five-digit months by the same weights; the rounding
  // remainder goes one each to the newest months.
  const open = months.map((m, i) => (m >= '2015-01' ? i : -1)).filter((i) => i >= 0);
  const openWeight = open.reduce((a, i) => a + (weights[i] ?? 0), 0);
  const clamped = total - counts.reduce((a, b) => a + b, 0);
  for (const i of open) counts[i] = (counts[i] ?? 0) + Math.floor((clamped * (weights[i] ?? 0)) / openWeight);
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let k = open.length - 1; rest > 0; k = k === 0 ? open.length - 1 : k - 1, rest--)
    counts[open[k] ?? 0] = (counts[open[k] ?? 0] ?? 0) + 1;
  return months.map((month, i) => ({ month, count: counts[i] ?? 0 }));
}

/** The arXiv identifier of the n-th paper (1-based) of a month: 0704.0001, 1501.00001, 2611.12345. */
export function syntheticId(month: string, n: number): string {
  const yymm = month.slice(2, 4) + month.slice(5, 7);
  return `${yymm}.${String(n).padStart(month < '2015-01' ? 4 : 5, '0')}`;
}

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** "Mon, 2 Apr 2007 19:18:42 GMT", the snapshot's date style (no leading zero on the day). */
function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/, 0(\d) /, ', $1 ');
}

function parsedName(name: string): [string, string, string] {
  const cut = name.lastIndexOf(' ');
  return cut < 0 ? [name, '', ''] : [name.slice(cut + 1), name.slice(0, cut), ''];
}

function byline(authors: readonly string[]): string {
  if (authors.length < 2) return authors[0] ?? '';
  return `${authors.slice(0, -1).join(', ')} and ${authors[authors.length - 1]}`;
}

const DAY_MS = 86_400_000;
const LICENSES = [
  'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
  'http://creativecommons.org/licenses/by/4.0/',
  null,
] as const;

/**
 * One snapshot record: the text of `doc` (verbatim on the first pass over the corpus, title words and abstract
 * sentences shuffled on later passes), a new id in `month`, and 1–4 versions.
 */
export function syntheticRecord(
  doc: BenchDoc,
  pass: number,
  month: string,
  n: number,
  rand: () => number,
): Record<string, unknown> {
  const id = syntheticId(month, n);
  const title = pass === 0 ? doc.title : shuffled(doc.title.split(/\s+/), rand).join(' ');
  const abstract = pass === 0 ? doc.abstract : shuffled(doc.abstract.split(/(?<=[.!?])\s+/), rand).join(' ');
  const [y, m] = month.split('-').map(Number) as [number, number];
  const monthStart = Date.UTC(y, m - 1, 1);
  const monthDays = new Date(Date.UTC(y, m, 0)).getUTCDate();
  let at = monthStart + Math.floor(rand() * monthDays * DAY_MS);
  const versions = [{ version: 'v1', created: rfc2822(at) }];
  for (let p = 0.35; rand() < p && versions.length < 4; p *= 0.4) {
    at += Math.floor((3 + rand() * 200) * DAY_MS);
    versions.push({ version: `v${versions.length + 1}`, created: rfc2822(at) });
  }
  const r = rand();
  return {
    id,
    submitter: doc.authors[0] ?? null,
    authors: byline(doc.authors),
    title,
    comments: r < 0.5 ? `${5 + Math.floor(rand() * 30)} pages, ${Math.floor(rand() * 12)} figures` : null,
    'journal-ref': r < 0.15 ? `Synthetic Journal ${1 + Math.floor(rand() * 40)} (${y})` : null,
    doi: r < 0.2 ? `10.${1000 + Math.floor(rand() * 9000)}/synth.${id}` : null,
    'report-no': null,
    categories: doc.categories.join(' '),
    license: LICENSES[Math.floor(rand() * LICENSES.length)] ?? null,
    abstract: `  ${abstract}\n`,
    versions,
    update_date: new Date(at).toISOString().slice(0, 10),
    authors_parsed: doc.authors.map(parsedName),
  };
}

/**
 * Writes `total` records to `path` (gzip JSON lines) through `path.part`, renamed when complete, so a killed run
 * leaves no file that looks finished. Records come month by month, oldest first, as in the real snapshot.
 */
export async function writeKaggleSnapshot(
  docs: readonly BenchDoc[],
  path: string,
  total: number,
  seed: number,
  onProgress: (written: number) => void = () => {},
): Promise<void> {
  if (docs.length === 0) throw new Error('the source corpus is empty');
  const rand = seededRandom(seed);
  const order = shuffled(
    docs.map((_, i) => i),
    rand,
  );
  const part = `${path}.part`;
  const gzip = createGzip({ level: zlib.Z_BEST_SPEED });
  const file = createWriteStream(part);
  gzip.pipe(file);
  let written = 0;
  let chunk = '';
  for (const { month, count } of monthlyCounts(total)) {
    for (let n = 1; n <= count; n++, written++) {
      const doc = docs[order[written % docs.length] ?? 0] as BenchDoc;
      const pass = Math.floor(written / docs.length);
      chunk += `${JSON.stringify(syntheticRecord(doc, pass, month, n, rand))}\n`;
      if (chunk.length > 1 << 20) {
        if (!gzip.write(chunk)) await once(gzip, 'drain');
        chunk = '';
      }
      if ((written + 1) % 100_000 === 0) onProgress(written + 1);
    }
  }
  gzip.end(chunk);
  await once(file, 'close');
  renameSync(part, path);
  onProgress(written);
}
