// Parses the search box language: words, "phrases", -exclusions, author:/cat:/since:/before: filters, arXiv ids.
import { AppError } from '../../errors.ts';
import { parseArxivRef } from './arxiv-ref.ts';
import { parseDateBound } from './date-bound.ts';

/** Longer queries are refused (413): a pasted abstract or a few pages of text fit, a whole paper does not. */
export const MAX_QUERY_CHARS = 20_000;
/**
 * A query with more words than this is read as a document ("papers like this text"): the lexical side keeps
 * its most informative terms and a lone dash is running text, not a mistake worth a warning.
 */
export const LONG_QUERY_WORDS = 40;

/** A parsed query. Text stays raw; the index analyzes it (stemming, stopwords). */
export interface ParsedQuery {
  /** Text scored by BM25F; documents match any of it (OR). */
  readonly words: readonly string[];
  /** Phrases that must appear, word for word (after stopword removal), within one field. */
  readonly phrases: readonly string[];
  readonly excludeWords: readonly string[];
  readonly excludePhrases: readonly string[];
  /** Every named author must be on the paper (`author:hinton`, `author:"Geoffrey Hinton"`). */
  readonly authors: readonly string[];
  readonly excludeAuthors: readonly string[];
  /** Lower-case categories; the paper must be in any one of them. */
  readonly categories: readonly string[];
  readonly excludeCategories: readonly string[];
  /** Link kinds the paper must have (`has:code`, `has:data`, `has:model`) or must not have (`-has:code`). */
  readonly has: readonly string[];
  readonly excludeHas: readonly string[];
  /** Inclusive lower and exclusive upper date bound, `YYYY-MM-DD`, or null. */
  readonly since: string | null;
  readonly before: string | null;
  /** arXiv ids named in the query (no version), for the caller to pin first. */
  readonly arxivIds: readonly string[];
  /** What the parser repaired or ignored, to show the user (e.g. an unclosed quote). */
  readonly warnings: readonly string[];
  /** True for a pasted text of more than LONG_QUERY_WORDS words (see `isLongText`). */
  readonly long: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

/**
 * A query that treats all of `text` as words to score, with no operators (used by evaluation, where claims
 * contain colons, quotes and minus signs that are not operators).
 */
export function plainQuery(text: string, options: { long?: boolean } = {}): ParsedQuery {
  // Not long by default: every term is scored (evaluation claims, For you's title profiles).
  return { ...emptyQuery(), words: [text], long: options.long ?? false };
}

/**
 * Terms of a more-like-this query scored (`SearchOptions.longTerms`): the lexical side of similar papers, fused
 * at a tenth of the weight of the vector side (SIMILAR_WEIGHT 0.9). Its cost grows with the postings of the
 * least informative of them (docs/BENCHMARKS.md "#23 p99 after restart (h24p)"): at 300k papers the 24 terms
 * of before read a median 275k postings, the 12 most informative 57k, and a similar request's CPU went from
 * 20 to 9 ms (12 terms is also within PRUNE_MAX_TERMS, so MaxScore answers), with the same MRR@10 on
 * `npm run eval:similar` (docs/BENCHMARKS.md "#23 similar and lookup.bin (h26q)"). Since h27s similar scores them
 * only at its candidates (`LexicalIndex.scoreAmong`), not over the whole index.
 */
export const SIMILAR_QUERY_TERMS = 12;

/**
 * The more-like-this query of a paper (similar papers): its title twice and its abstract, scored as a long
 * query, on its most informative terms only (LexicalIndex's LONG_QUERY_TERMS). Every term of an abstract
 * read about 15 times the postings at 300k papers, common words' long lists most of all, for no better
 * answer (docs/BENCHMARKS.md "#23 search after a restart").
 * @example index.search(moreLikeThisQuery(paper.title, paper.abstract), { k: 101 })
 */
export function moreLikeThisQuery(title: string, abstract: string): ParsedQuery {
  return plainQuery(`${title} ${title} ${abstract}`, { long: true });
}

/**
 * True when `text` has more than LONG_QUERY_WORDS whitespace-separated words: a pasted paragraph rather than
 * typed keywords.
 * @example isLongText('graph neural networks') // false
 */
export function isLongText(text: string): boolean {
  let words = 0;
  for (const m of text.matchAll(/\S+/g)) if (m[0] !== '' && ++words > LONG_QUERY_WORDS) return true;
  return false;
}

function emptyQuery(): Mutable<ParsedQuery> {
  return {
    words: [],
    phrases: [],
    excludeWords: [],
    excludePhrases: [],
    authors: [],
    excludeAuthors: [],
    categories: [],
    excludeCategories: [],
    has: [],
    excludeHas: [],
    since: null,
    before: null,
    arxivIds: [],
    warnings: [],
    long: false,
  };
}

/** One lexeme: a bare token or a quoted string, possibly negated, possibly `field:`-prefixed. */
interface Lexeme {
  negated: boolean;
  field: string | null;
  value: string;
  quoted: boolean;
}

const FIELD_RE = /^([A-Za-z]+):(.*)$/s;

/** Reads a quoted run starting after the opening quote; returns the text and where scanning resumes. */
function readQuoted(input: string, start: number, warnings: string[]): [string, number] {
  const close = input.indexOf('"', start);
  if (close < 0) {
    warnings.push('A quote was not closed; it was closed at the end of the query.');
    return [input.slice(start), input.length];
  }
  return [input.slice(start, close), close + 1];
}

/** What may follow a minus that excludes: a letter (a word, a field) or a quote. Digits and dashes are text. */
const NEGATABLE_RE = /^[\p{L}"]/u;

function lex(input: string, warnings: string[], long: boolean): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i] ?? '')) i++;
    if (i >= input.length) break;
    let negated = false;
    if (input[i] === '-') {
      const next = input[i + 1] ?? '';
      if (next === '' || /\s/.test(next)) {
        // In running text a dash between words is punctuation (a list item, an aside), not a typo.
        if (!long) warnings.push('A lone "-" was ignored; write -word to exclude a word.');
        i++;
        continue;
      }
      // `-2`, `-3,` or `--` in running text are words: an exclusion needs a word after the minus.
      if (NEGATABLE_RE.test(next)) {
        negated = true;
        i++;
      }
    }
    if (input[i] === '"') {
      const [value, next] = readQuoted(input, i + 1, warnings);
      out.push({ negated, field: null, value, quoted: true });
      i = next;
      continue;
    }
    let end = i;
    while (end < input.length && !/\s/.test(input[end] ?? '') && input[end] !== '"') end++;
    const token = input.slice(i, end);
    const m = FIELD_RE.exec(token);
    if (m !== null && input[end] === '"' && m[2] === '') {
      const [value, next] = readQuoted(input, end + 1, warnings);
      out.push({ negated, field: (m[1] ?? '').toLowerCase(), value, quoted: true });
      i = next;
      continue;
    }
    out.push({ negated, field: null, value: token, quoted: false });
    i = end;
  }
  return out;
}

const FIELD_ALIASES: Readonly<Record<string, string>> = {
  author: 'author',
  au: 'author',
  cat: 'cat',
  category: 'cat',
  since: 'since',
  before: 'before',
  id: 'id',
  arxiv: 'id',
  has: 'has',
};

/** What `has:` accepts: the kinds of links a paper can carry. */
export const HAS_KINDS: readonly string[] = ['code', 'data', 'model', 'project', 'video'];

const CATEGORY_RE = /^[a-z][a-z-]*(\.[a-z][a-z-]*)?$/i;

/** Applies one `field:value` lexeme to the query being built. */
function applyField(q: Mutable<ParsedQuery>, field: string, value: string, negated: boolean): void {
  const name = FIELD_ALIASES[field];
  if (name === undefined) {
    // "… a permutation: the …" is prose, not a mistyped operator: search the words and say so.
    const warning = `"${field}:" is not a search field (known: author:, cat:, has:, since:, before:, id:); it was read as words.`;
    if (!q.warnings.includes(warning)) q.warnings.push(warning);
    (negated ? q.excludeWords : q.words).push(field);
    if (value.trim() !== '') q.words.push(value);
    return;
  }
  const trimmed = value.trim();
  if (trimmed === '')
    throw new AppError(
      'BAD_INPUT',
      `"${field}:" needs a value, e.g. ${name}:${name === 'cat' ? 'cs.CL' : 'x'}.`,
    );
  if (name === 'author') (negated ? q.excludeAuthors : q.authors).push(trimmed);
  else if (name === 'cat') {
    if (!CATEGORY_RE.test(trimmed))
      throw new AppError('BAD_INPUT', `"${trimmed}" is not an arXiv category; write e.g. cat:cs.CL.`);
    (negated ? q.excludeCategories : q.categories).push(trimmed.toLowerCase());
  } else if (name === 'has') {
    const kind = trimmed.toLowerCase();
    if (!HAS_KINDS.includes(kind))
      throw new AppError(
        'BAD_INPUT',
        `"has:${trimmed}" is not known; write has:${HAS_KINDS.join(', has:')}.`,
      );
    (negated ? q.excludeHas : q.has).push(kind);
  } else if (name === 'id') {
    const id = parseArxivRef(trimmed);
    if (id === null)
      throw new AppError('BAD_INPUT', `"${trimmed}" is not an arXiv id; write e.g. id:2503.11677.`);
    q.arxivIds.push(id);
  } else {
    if (negated)
      throw new AppError(
        'BAD_INPUT',
        `-${name}: is not supported; use ${name === 'since' ? 'before:' : 'since:'} instead.`,
      );
    const bound = parseDateBound(trimmed, name);
    if (name === 'since') q.since = q.since === null || bound > q.since ? bound : q.since;
    else q.before = q.before === null || bound < q.before ? bound : q.before;
  }
}

/** Applies one lexeme without a field. */
function applyText(q: Mutable<ParsedQuery>, lx: Lexeme): void {
  if (lx.quoted) {
    if (lx.value.trim() === '') return;
    (lx.negated ? q.excludePhrases : q.phrases).push(lx.value);
    return;
  }
  const id = lx.negated ? null : parseArxivRef(lx.value);
  if (id !== null) q.arxivIds.push(id);
  else (lx.negated ? q.excludeWords : q.words).push(lx.value);
}

/** Control characters (other than whitespace) separate words; format characters (soft hyphens, zero-width joiners) vanish. */
const CONTROL_RE = /\p{Cc}/gu;
const FORMAT_RE = /\p{Cf}/gu;

/**
 * Checks a query's length: over MAX_QUERY_CHARS is AppError('PAYLOAD_TOO_LARGE') (HTTP 413).
 */
export function checkQueryLength(input: string): void {
  if (input.length > MAX_QUERY_CHARS)
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The query has ${input.length} characters; the limit is ${MAX_QUERY_CHARS}. Paste a part of the text (an abstract or a few paragraphs).`,
    );
}

/**
 * Parses a search-box query. Throws AppError('PAYLOAD_TOO_LARGE') over MAX_QUERY_CHARS, AppError('BAD_INPUT')
 * for empty input and malformed filter values; repairs what it safely can (unclosed quotes, a lone "-", an
 * unknown `word:` read as words) and says so in `warnings`.
 */
export function parseQuery(raw: string): ParsedQuery {
  checkQueryLength(raw);
  const input = raw
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_RE, (c) => (/\s/.test(c) ? c : ' '))
    .replace(FORMAT_RE, '');
  if (input.trim() === '')
    throw new AppError(
      'BAD_INPUT',
      'The query is empty; type some words, a "phrase", or a filter such as cat:cs.CL.',
    );
  const q = emptyQuery();
  q.long = isLongText(input);
  for (const lx of lex(input, q.warnings, q.long)) {
    const m = lx.quoted ? null : FIELD_RE.exec(lx.value);
    if (lx.field !== null) applyField(q, lx.field, lx.value, lx.negated);
    else if (m !== null && (m[2] ?? '') !== '' && !isUrl(lx.value))
      applyField(q, (m[1] ?? '').toLowerCase(), m[2] ?? '', lx.negated);
    else applyText(q, m !== null && (m[2] ?? '') === '' ? { ...lx, value: m[1] ?? '' } : lx);
  }
  if (q.since !== null && q.before !== null && q.since >= q.before) {
    throw new AppError('BAD_INPUT', `since:${q.since} is not before before:${q.before}; no paper can match.`);
  }
  if (isEmpty(q))
    throw new AppError(
      'BAD_INPUT',
      'The query has nothing to search for; type some words, a "phrase", or a filter.',
    );
  q.arxivIds = [...new Set(q.arxivIds)];
  return q;
}

function isUrl(token: string): boolean {
  return /^https?:\/\//i.test(token);
}

/**
 * The parts of a query that restrict which papers may match (phrases, exclusions, author, category and has:
 * filters), beside the words that only score; a query restricts when any of them is non-empty.
 */
export function restrictingParts(q: ParsedQuery): readonly (readonly unknown[])[] {
  return [
    q.phrases,
    q.excludeWords,
    q.excludePhrases,
    q.authors,
    q.excludeAuthors,
    q.categories,
    q.excludeCategories,
    q.has,
    q.excludeHas,
  ];
}

function isEmpty(q: ParsedQuery): boolean {
  return (
    [q.words, ...restrictingParts(q), q.arxivIds].every((l) => l.length === 0) &&
    q.since === null &&
    q.before === null
  );
}
