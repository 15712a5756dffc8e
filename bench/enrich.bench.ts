// Link extraction and extractive summaries over the corpus: papers/s, share with a code link, ROUGE-1 vs titles.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { extractPaperLinks } from '../src/ingest/paper-links.ts';
import { contentWords, extractiveSummary, rankSentences } from '../src/rank/extractive-summary.ts';
import { splitSentences } from '../src/rank/sentences.ts';

const file = process.argv[2] ?? '../shared/data/arxiv-cs-2025-2026.jsonl.gz';

interface Row {
  title: string;
  abstract: string;
  comment: string | null;
  journalRef: string | null;
}

async function load(): Promise<Row[]> {
  const rows: Row[] = [];
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    const s = (k: string): string | null => (typeof r[k] === 'string' ? (r[k] as string) : null);
    rows.push({
      title: s('title') ?? '',
      abstract: s('abstract') ?? '',
      comment: s('comment') ?? s('comments'),
      journalRef: s('journal_ref') ?? s('journalRef'),
    });
  }
  return rows;
}

/** ROUGE-1 F1 of a candidate against a reference, over content words (unique-token overlap). */
function rouge1(candidate: string, reference: string): number {
  const c = new Set(contentWords(candidate));
  const r = new Set(contentWords(reference));
  if (c.size === 0 || r.size === 0) return 0;
  let hit = 0;
  for (const w of c) if (r.has(w)) hit++;
  const p = hit / c.size;
  const rec = hit / r.size;
  return p + rec === 0 ? 0 : (2 * p * rec) / (p + rec);
}

function timed<T>(label: string, rows: Row[], fn: (r: Row) => T): T[] {
  const t0 = performance.now();
  const out = rows.map(fn);
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${label}: ${rows.length} papers in ${s.toFixed(2)} s = ${Math.round(rows.length / s)} papers/s`,
  );
  return out;
}

const rows = await load();
const links = timed('link extraction', rows, extractPaperLinks);
const withKind = (k: string): number => links.filter((l) => l.some((x) => x.kind === k)).length;
for (const k of ['code', 'model', 'data', 'project', 'video']) {
  console.log(
    `  papers with a ${k} link: ${withKind(k)} (${((100 * withKind(k)) / rows.length).toFixed(2)}%)`,
  );
}
const summaries = timed('extractive summary', rows, (r) => extractiveSummary(r.abstract));

// Quality: ROUGE-1 F1 against the title, for the method and for baselines of one sentence each.
const score = (pick: (r: Row, sentences: string[]) => string): number => {
  let sum = 0;
  for (const r of rows) sum += rouge1(pick(r, splitSentences(r.abstract)), r.title);
  return sum / rows.length;
};
const seeded = (i: number): number => ((i * 2654435761) >>> 0) / 2 ** 32;
let n = 0;
console.log('ROUGE-1 F1 vs title (mean over papers):');
console.log(
  `  method (${summaries[0]?.model ?? '-'}): ${score((r) => extractiveSummary(r.abstract)?.text ?? '').toFixed(4)}`,
);
console.log(`  best-ranked sentence only: ${score((_r, s) => s[rankSentences(s)[0] ?? 0] ?? '').toFixed(4)}`);
console.log(`  first sentence: ${score((_r, s) => s[0] ?? '').toFixed(4)}`);
console.log(`  first two sentences: ${score((_r, s) => s.slice(0, 2).join(' ')).toFixed(4)}`);
console.log(`  last sentence: ${score((_r, s) => s[s.length - 1] ?? '').toFixed(4)}`);
console.log(`  random sentence: ${score((_r, s) => s[Math.floor(seeded(n++) * s.length)] ?? '').toFixed(4)}`);
const lengths = summaries.map((s) => s?.text.length ?? 0).sort((a, b) => a - b);
console.log(
  `summary length chars: median ${lengths[lengths.length >> 1]}, p95 ${lengths[Math.floor(lengths.length * 0.95)]}`,
);

// Card render cost: whole cards, and the share of it spent on the chips and TL;DR (cold cache, then warm).
{
  const { paperCard } = await import('../src/web/views/paper-card.ts');
  const { linkChips, summaryLine } = await import('../src/web/views/paper-extras.ts');
  const { emptyPaperInput } = await import('../src/domain/paper.ts');
  const sample = rows.slice(0, 3000).map((r, i) => ({
    ...emptyPaperInput(),
    ...r,
    authors: ['A. Author', 'B. Author'],
    categories: ['cs.LG'],
    id: `bench-${i}`,
    createdAt: '',
    modifiedAt: '',
  }));
  const ms = (fn: () => void): number => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const state = { votes: 1, voted: false, saved: false };
  const ctx = { csrf: null, next: '/' };
  const extrasCold = ms(() => sample.forEach((p) => `${linkChips(p, 'card')}${summaryLine(p)}`));
  const extrasWarm = ms(() => sample.forEach((p) => `${linkChips(p, 'card')}${summaryLine(p)}`));
  const cards = ms(() => sample.forEach((p) => String(paperCard(p, state, ctx))));
  const per = (t: number): string => `${((1000 * t) / sample.length).toFixed(1)} µs`;
  console.log(
    `card render (${sample.length} cards): whole card ${per(cards)} (warm), of which chips + TL;DR ${per(extrasWarm)} warm, ${per(extrasCold)} cold`,
  );
}
