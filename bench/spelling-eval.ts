// Correction accuracy of "did you mean" on misspellings of corpus words, made by documented rules.
//
//   npm run eval:spelling [-- --words 1000 --seed 7] [--file]
//
// With --file the vocabulary is also written as a lookup file (#23: what serve opens instead of building it)
// and every typo is corrected from it too: the corrections must be the same, and its times are shown beside.
//
// The vocabulary is the one search builds (every word of each paper's title, abstract and authors, counted
// once per paper). Misspellings: for words drawn from the corpus's frequent terms (ranks 1–5,000 among words
// of 6+ letters that are not stopwords, 2 or more papers), one edit each, in turn a deletion, an adjacent
// transposition, a substitution by a neighbouring key on a QWERTY keyboard, and a doubled letter; an edit
// that makes another corpus word is skipped (a real-word error no dictionary method can see). Then a
// handful of hand-written typos. A correction counts when it gives back the word the typo was made from.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openLookupFile } from '../src/index/lookup/lookup-file.ts';
import { writeLookupFile } from '../src/index/lookup/lookup-file-write.ts';
import { mergedSpelling } from '../src/index/lookup/merged-lookup.ts';
import { correctWith, SpellingVocabulary, spellingWords } from '../src/index/lookup/spelling-vocabulary.ts';
import { SuggestIndex } from '../src/index/lookup/suggest-index.ts';
import { loadArxivCorpus } from './lib/arxiv-corpus.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');
const HAND_WRITTEN: readonly [string, string][] = [
  ['tokenizaton', 'tokenization'],
  ['transfomer', 'transformer'],
  ['transfromer', 'transformer'],
  ['embeddng', 'embedding'],
  ['atention', 'attention'],
  ['reinforcment', 'reinforcement'],
  ['segmantation', 'segmentation'],
  ['lanugage', 'language'],
  ['benchamrk', 'benchmark'],
  ['retreival', 'retrieval'],
  ['diffusoin', 'diffusion'],
  ['convolutinal', 'convolutional'],
  ['probabilty', 'probability'],
  ['optimzation', 'optimization'],
  ['neurla', 'neural'],
  ['adversarail', 'adversarial'],
  ['recomendation', 'recommendation'],
  ['multimodel', 'multimodal'],
  ['halucination', 'hallucination'],
  ['quantizaiton', 'quantization'],
];
const STOP = new Set(
  'about above after again against among based between during their these those through under using which while within without'.split(
    ' ',
  ),
);
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function neighbours(c: string): string[] {
  for (const [r, row] of ROWS.entries()) {
    const i = row.indexOf(c);
    if (i < 0) continue;
    const out = [row[i - 1], row[i + 1], ROWS[r - 1]?.[i], ROWS[r + 1]?.[i]];
    return out.filter((x): x is string => x !== undefined);
  }
  return [];
}

type Rule = 'deletion' | 'transposition' | 'substitution' | 'doubling';
const RULES: readonly Rule[] = ['deletion', 'transposition', 'substitution', 'doubling'];

function misspell(word: string, rule: Rule, rand: () => number): string {
  // Never the first letter: people rarely get it wrong, and the two-edit search keys on it.
  const i = 1 + Math.floor(rand() * (word.length - 2));
  const c = word[i] ?? '';
  if (rule === 'deletion') return word.slice(0, i) + word.slice(i + 1);
  if (rule === 'transposition') return word.slice(0, i) + (word[i + 1] ?? '') + c + word.slice(i + 2);
  if (rule === 'doubling') return word.slice(0, i) + c + word.slice(i);
  const keys = neighbours(c);
  return word.slice(0, i) + (keys[Math.floor(rand() * keys.length)] ?? c) + word.slice(i + 1);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      words: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '7' },
      file: { type: 'boolean', default: false },
    },
  });
  if (!existsSync(CORPUS)) {
    console.error(`skipping: ${CORPUS} is absent (../shared is not beside this checkout)`);
    return;
  }
  const docs = await loadArxivCorpus(CORPUS);
  const vocab = new SpellingVocabulary();
  const t0 = performance.now();
  for (const d of docs) vocab.addText(`${d.title} ${d.abstract} ${d.authors.join(' ')}`);
  const buildS = (performance.now() - t0) / 1000;
  const counts = new Map<string, number>();
  for (const d of docs)
    for (const w of new Set(spellingWords(`${d.title} ${d.abstract}`)))
      counts.set(w, (counts.get(w) ?? 0) + 1);
  const frequent = [...counts]
    .filter(([w, n]) => w.length >= 6 && n >= 2 && !STOP.has(w))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5000)
    .map(([w]) => w);
  let state = Number(values.seed);
  const rand = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const cases: { typo: string; word: string; rule: Rule | 'hand-written' }[] = [];
  let skipped = 0;
  while (cases.length < Number(values.words)) {
    const word = frequent[Math.floor(rand() * frequent.length)] ?? '';
    const rule = RULES[cases.length % RULES.length] ?? 'deletion';
    const typo = misspell(word, rule, rand);
    if (typo === word || vocab.count(typo) > 0) {
      skipped++;
      continue;
    }
    cases.push({ typo, word, rule });
  }
  for (const [typo, word] of HAND_WRITTEN) cases.push({ typo, word, rule: 'hand-written' });
  const byRule = new Map<string, { n: number; right: number; none: number }>();
  const times: number[] = [];
  const fileDir = values.file ? mkdtempSync(join(tmpdir(), 'paperboy-spelling-eval-')) : null;
  const file = fileDir === null ? null : openWritten(vocab, join(fileDir, 'lookup.bin'));
  const fromFile = file === null ? null : mergedSpelling(file, new SpellingVocabulary(1));
  const fileTimes: number[] = [];
  let differ = 0;
  const wrong: string[] = [];
  for (const c of cases) {
    const s = performance.now();
    const fix = vocab.correct(c.typo);
    times.push(performance.now() - s);
    if (fromFile !== null) {
      const f0 = performance.now();
      if (correctWith(fromFile, c.typo) !== fix) differ++;
      fileTimes.push(performance.now() - f0);
    }
    const r = byRule.get(c.rule) ?? { n: 0, right: 0, none: 0 };
    r.n++;
    if (fix === c.word) r.right++;
    else if (fix === null) r.none++;
    else if (wrong.length < 12) wrong.push(`${c.typo} → ${fix} (meant ${c.word})`);
    byRule.set(c.rule, r);
  }
  times.sort((a, b) => a - b);
  const pct = (x: number, n: number): string => `${((100 * x) / Math.max(1, n)).toFixed(1)}%`;
  console.log(
    `${docs.length} papers, ${vocab.size} distinct words, vocabulary built in ${buildS.toFixed(1)} s`,
  );
  console.log(`${cases.length} misspellings (${skipped} generated edits skipped: they were corpus words)\n`);
  console.log('| misspellings | count | corrected to the intended word | no correction | another word |');
  console.log('|---|---:|---:|---:|---:|');
  let all = { n: 0, right: 0, none: 0 };
  for (const [rule, r] of byRule) {
    console.log(
      `| ${rule} | ${r.n} | ${pct(r.right, r.n)} | ${pct(r.none, r.n)} | ${pct(r.n - r.right - r.none, r.n)} |`,
    );
    all = { n: all.n + r.n, right: all.right + r.right, none: all.none + r.none };
  }
  console.log(
    `| **all** | ${all.n} | **${pct(all.right, all.n)}** | ${pct(all.none, all.n)} | ${pct(all.n - all.right - all.none, all.n)} |`,
  );
  const q = (p: number): string =>
    (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(3);
  console.log(`\ncorrect() per word: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`);
  if (fromFile !== null) {
    fileTimes.sort((a, b) => a - b);
    const f = (p: number): string =>
      (fileTimes[Math.min(fileTimes.length - 1, Math.floor(p * fileTimes.length))] ?? 0).toFixed(3);
    console.log(
      `from lookup.bin: p50 ${f(0.5)} ms, p99 ${f(0.99)} ms, max ${f(1)} ms; ${differ} corrections differ from the vocabulary in memory`,
    );
    file?.close();
    if (fileDir !== null) rmSync(fileDir, { recursive: true, force: true });
  }
  console.log(`examples of wrong corrections: ${wrong.join('; ')}`);
}

function openWritten(vocab: SpellingVocabulary, path: string): ReturnType<typeof openLookupFile> {
  writeLookupFile(path, { suggest: new SuggestIndex().contents(), spelling: vocab, seq: 0 });
  return openLookupFile(path);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
