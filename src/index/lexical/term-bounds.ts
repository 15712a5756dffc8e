// Per-term score upper bounds and cached posting impacts for pruned top-k search, kept until the index changes.
import { termScoring, unitPostingScore, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState, StoredBounds } from './index-state.ts';
import { BLOCK_POSTINGS } from './postings.ts';

/** Lists shorter than this are scored on the fly: caching them saves little. */
const IMPACT_MIN_POSTINGS = 512;
/** Cached impacts in all (8 bytes each, 16 MB): enough for the few hundred most queried long lists. */
const IMPACT_BUDGET = 2_000_000;
/**
 * Longer lists get no impacts. At 2.7M papers the common words' lists hold 0.3–2.2M postings: one or two
 * of them filled the budget, and each admission (a fresh array of that length) dropped others that came
 * round again soon, so the cache mostly made garbage (docs/BENCHMARKS.md "#23 lexical CPU at 2.7M (h27x)":
 * without impacts the mean CPU per query fell 13%). At 300k papers nearly every list is shorter.
 */
const IMPACT_MAX_POSTINGS = 250_000;

interface TermEntry {
  /** Largest unit score of a live posting; a bound is this times the query's term weight. */
  readonly unitMax: number;
  /**
   * Per sealed block of the term (its first block at 0), the block's largest live unit score in 255ths of
   * `unitMax`, rounded up; null when unknown (a format 4 snapshot's stored bound).
   */
  readonly blockMax: Uint8Array | null;
  /**
   * `unitPostingScore` of each sealed posting, in list order, NaN for one not scored yet; null for short
   * lists, until asked twice, and while the budget keeps it out.
   */
  impacts: Float64Array | null;
  /** Searches that asked for the term since the last change to the index. */
  uses: number;
}

/** The steps of a quantised block maximum: a block's bound is q / BLOCK_MAX_STEPS of its term's bound. */
export const BLOCK_MAX_STEPS = 255;

/**
 * A block's largest unit score `blockMax` as a step q in 0..BLOCK_MAX_STEPS of the term's `unitMax`, rounded
 * up with a margin, so q / BLOCK_MAX_STEPS × unitMax × weight is never below the block's largest posting
 * score (whatever the rounding of that product): a safe bound for pruning, never a tighter one.
 * @example quantiseBlockMax(0.5, 1) // 128
 */
export function quantiseBlockMax(blockMax: number, unitMax: number): number {
  if (!(blockMax > 0)) return 0;
  if (!(blockMax < unitMax)) return BLOCK_MAX_STEPS;
  return Math.min(BLOCK_MAX_STEPS, Math.ceil((blockMax / unitMax) * BLOCK_MAX_STEPS * (1 + 1e-9)));
}

/**
 * What one step of a term's quantised block maxima is worth when the term's bound (weight included) is
 * `termBound`: a block's bound is its step count times this. A hair above termBound / BLOCK_MAX_STEPS, so a
 * full block (BLOCK_MAX_STEPS steps) stays at or above the term's bound after rounding.
 */
export function blockStep(termBound: number): number {
  return (termBound / BLOCK_MAX_STEPS) * (1 + 1e-12);
}

/** Per sealed block of a term scanned last by `scanTerm`: its largest live unit score (reused). */
let rawBlocks = new Float64Array(1024);

/**
 * The largest `unitPostingScore` of `term` over its live postings (sealed blocks, then the tail; 0 for a term
 * without any), with each sealed block's own largest left in `rawBlocks[0 .. block count)`.
 */
function scanTerm(state: IndexState, term: number, scoring: TermScoring): number {
  const { alive, lengths } = state.docs;
  let unitMax = 0;
  const blockCount = Math.ceil(state.postings.sealedLength(term) / BLOCK_POSTINGS);
  if (blockCount > rawBlocks.length) rawBlocks = new Float64Array(Math.max(blockCount, rawBlocks.length * 2));
  const raw = rawBlocks;
  const block = state.postings.readBlocks(term);
  const { docs, tfs } = block;
  // BlockReader's blocks are the term's sealed blocks: BLOCK_POSTINGS each from the list's start.
  for (let b = 0; block.nextBlock(); b++) {
    let max = 0;
    for (let i = 0, n = block.length; i < n; i++) {
      const d = docs[i] ?? 0;
      if (alive[d] !== 1) continue;
      const u = unitPostingScore(scoring, lengths, d, tfs[i] ?? 0);
      if (u > max) max = u;
    }
    raw[b] = max;
    if (max > unitMax) unitMax = max;
  }
  return Math.max(unitMax, tailUnitMax(state, term, scoring));
}

/** Writes the blocks `scanTerm` left in `rawBlocks`, quantised against `unitMax`, into `out` from `at`. */
function quantiseScanned(unitMax: number, count: number, out: Uint8Array, at: number): void {
  for (let b = 0; b < count; b++) out[at + b] = quantiseBlockMax(rawBlocks[b] ?? 0, unitMax);
}

/**
 * The largest `unitPostingScore` of `term` over its live postings, read from the whole list (sealed blocks,
 * then the tail); 0 for a term without any.
 */
export function termUnitMax(state: IndexState, term: number, scoring: TermScoring): number {
  return scanTerm(state, term, scoring);
}

/**
 * `termUnitMax` and the term's quantised block maxima (`quantiseBlockMax` of each sealed block's largest
 * live unit score), from one pass over the list.
 */
export function termMaxima(
  state: IndexState,
  term: number,
  scoring: TermScoring,
): { unitMax: number; blockMax: Uint8Array } {
  const unitMax = scanTerm(state, term, scoring);
  const count = Math.ceil(state.postings.sealedLength(term) / BLOCK_POSTINGS);
  const blockMax = new Uint8Array(count);
  quantiseScanned(unitMax, count, blockMax, 0);
  return { unitMax, blockMax };
}

/**
 * The constants a term's unit scores depend on (field weights, 1 - b, b / average length, k1): the same for
 * every term, so one key tells whether stored bounds were computed under the statistics searched with now.
 */
export function scoringKey(ts: TermScoring): number[] {
  return [ts.wT, ts.nT, ts.sT, ts.wA, ts.nA, ts.sA, ts.wU, ts.nU, ts.sU, ts.k1];
}

/**
 * Every term's `termUnitMax` and every sealed block's quantised maximum under the state's current
 * statistics, and their key: written into a snapshot (one pass over all postings at save), so a restarted
 * index bounds a term, and each of its blocks, without reading its list.
 */
export function computeStoredBounds(state: IndexState): StoredBounds {
  const n = state.terms.size;
  const unitMax = new Float64Array(n);
  const { blocks, lastDocs } = state.postings.sealed;
  const blockMax = new Uint8Array(lastDocs.length);
  if (n === 0) return { unitMax, blockMax, key: scoringKey(termScoring(state, 0, 1)) };
  // Unit scores do not depend on the term (only the weight, unused here, does): one set of constants.
  const scoring = termScoring(state, 0, 1);
  for (let t = 0; t < n; t++) {
    const u = (unitMax[t] = scanTerm(state, t, scoring));
    if (t + 1 < blocks.length) {
      const first = blocks[t] ?? 0;
      quantiseScanned(u, (blocks[t + 1] ?? 0) - first, blockMax, first);
    }
  }
  return { unitMax, blockMax, key: scoringKey(scoring) };
}

/** Positions in `scoringKey` of the three fields' b / average length (the rest are the BM25F knobs). */
const LENGTH_SCALES = [2, 5, 8] as const;

/**
 * How much a unit score can have grown since bounds were computed under `then`, now that the constants are `now`:
 * 1 when they are equal; r ≥ 1 when only average field lengths moved (papers added or removed since), so that
 * r × a stored bound still bounds every posting; null when a BM25F knob differs (field weight, b, k1).
 *
 * Why r holds: a posting's weighted frequency is x = Σ w·tf / (1 − b + s·len) with s = b / average length, and
 * (1 − b + s_then·len) / (1 − b + s_now·len) ≤ max(1, s_then / s_now) for every len ≥ 0, so x_now ≤ r·x_then with
 * r the largest such ratio of the three fields; a unit score x / (k1 + x) then grows by at most r too.
 * @example scoreGrowth([1, 0.2, 0.008, ...], [1, 0.2, 0.004, ...]) // 2 (the title's average length doubled)
 */
export function scoreGrowth(then: readonly number[], now: readonly number[]): number | null {
  if (then.length !== now.length) return null;
  let growth = 1;
  for (let i = 0; i < now.length; i++) {
    const a = then[i] as number;
    const b = now[i] as number;
    if (a === b) continue;
    if (!(LENGTH_SCALES as readonly number[]).includes(i) || !(b > 0) || !(a > 0)) return null;
    if (a > b) growth = Math.max(growth, a / b);
  }
  // Rounding in the scores computed since stays far inside this margin.
  return growth === 1 ? 1 : growth * (1 + 1e-9);
}

/**
 * The stored bounds and how much to scale them (`scoreGrowth`) to bound the postings under `scoring`: their own
 * constants (scale 1), or those of an index changed since (papers added or removed, which move the averages but
 * leave the sealed lists as they were); null without stored bounds for the term or under other knobs.
 */
function storedFor(
  state: IndexState,
  term: number,
  scoring: TermScoring,
): { stored: StoredBounds; scale: number } | null {
  const stored = state.storedBounds;
  if (stored === null || term >= stored.unitMax.length) return null;
  const scale = scoreGrowth(stored.key, scoringKey(scoring));
  return scale === null ? null : { stored, scale };
}

/** The largest unit score among `term`'s live tail postings (documents added since the last seal), 0 if none. */
function tailUnitMax(state: IndexState, term: number, scoring: TermScoring): number {
  const tail = state.postings.tail[term];
  if (tail === undefined) return 0;
  const { alive, lengths } = state.docs;
  let max = 0;
  for (let i = 0; i < tail.length; i += 2) {
    const d = tail[i] ?? 0;
    if (alive[d] !== 1) continue;
    const u = unitPostingScore(scoring, lengths, d, tail[i + 1] ?? 0);
    if (u > max) max = u;
  }
  return max;
}

/**
 * Caches, for each queried term, the largest share any live document gets from it and, for long lists,
 * every sealed posting's query-independent score ("impact"), so a search multiplies instead of
 * recomputing BM25F per posting. Both depend on document statistics (average field lengths), so any add,
 * remove or compaction must call `clear()`; the next query then pays one pass over its terms' postings.
 * Impacts are kept within a fixed budget for the most often searched long lists (see `admit`).
 * @example const bounds = new TermBounds(); bounds.get(state, t, termScoring(state, t, 1))
 */
export class TermBounds {
  private readonly terms = new Map<number, TermEntry>();
  /** The entries holding impacts, least recently used first. */
  private readonly kept = new Map<number, TermEntry>();
  private cached = 0;

  /** `budget`: impacts kept in all, 8 bytes each; `maxList`: the longest list given impacts. */
  constructor(
    private readonly budget = IMPACT_BUDGET,
    private readonly maxList = IMPACT_MAX_POSTINGS,
  ) {}

  /**
   * The exact maximum of `postingScore` over the term's live postings (0 for a term without any). Call it
   * once per search and term: the second search with a term may also cache its impacts.
   */
  get(state: IndexState, term: number, scoring: TermScoring): number {
    // w · max(u) equals max(w · u): multiplying by a positive weight keeps the order of doubles.
    return scoring.weight * this.entry(state, term, scoring).unitMax;
  }

  /**
   * The term's cached sealed-posting impacts (list order; NaN where no search has scored the posting yet),
   * or null: for a short list, for one longer than `maxList`, for a term searched only once so far (see
   * `get`), and for one the budget keeps out. PostingCursor fills them in as it scores.
   */
  impacts(term: number): Float64Array | null {
    return this.terms.get(term)?.impacts ?? null;
  }

  /**
   * The term's quantised block maxima (see `TermEntry.blockMax`) once `get` has been asked for it, or null
   * when unknown: a block's bound is then q / BLOCK_MAX_STEPS of the term's bound from `get`.
   */
  blockMax(term: number): Uint8Array | null {
    return this.terms.get(term)?.blockMax ?? null;
  }

  /** Forgets every bound and impact; call on any change to the index. */
  clear(): void {
    this.terms.clear();
    this.kept.clear();
    this.cached = 0;
  }

  private entry(state: IndexState, term: number, scoring: TermScoring): TermEntry {
    const known = this.terms.get(term);
    if (known !== undefined) {
      known.uses++;
      if (known.impacts !== null) {
        // Most recently used last, so among equally used lists the budget drops the least recently used.
        this.kept.delete(term);
        this.kept.set(term, known);
      } else {
        // A term's impacts are kept from its second search on: most words of a stream of distinct queries
        // come once, and a list's impacts for one search cost more than they save.
        this.admit(state, term, known);
      }
      return known;
    }
    // A snapshot's stored bounds while its sealed lists are the ones searched, scaled to today's averages and raised
    // to the term's postings added since; else one pass over the list.
    const found = storedFor(state, term, scoring);
    let entry: TermEntry;
    if (found !== null) {
      const { stored, scale } = found;
      const { blocks } = state.postings.sealed;
      const blockMax =
        stored.blockMax === null || term + 1 >= blocks.length
          ? null
          : stored.blockMax.subarray(blocks[term] ?? 0, blocks[term + 1] ?? 0);
      // A block's bound is its steps of the term's bound: scaling the term's bound scales every block's with it.
      const unitMax = Math.max((stored.unitMax[term] ?? 0) * scale, tailUnitMax(state, term, scoring));
      entry = { unitMax, blockMax, impacts: null, uses: 1 };
    } else entry = { ...termMaxima(state, term, scoring), impacts: null, uses: 1 };
    this.terms.set(term, entry);
    return entry;
  }

  /**
   * Gives a long list room for impacts when the budget has it, or when it can be made by dropping lists
   * searched less often than this one (least recently used first). A list is never dropped for one searched
   * as often: when the long lists queried outnumber the budget (a stream cycling over more of them than
   * fit), dropping by recency alone would drop each list just before it comes round again, and pay for a
   * fresh array each time, for nothing.
   */
  private admit(state: IndexState, term: number, entry: TermEntry): void {
    const length = state.postings.sealedLength(term);
    if (length < IMPACT_MIN_POSTINGS || length > Math.min(this.budget, this.maxList)) return;
    let free = this.budget - this.cached;
    if (free < length) {
      const victims: number[] = [];
      for (const [t, e] of this.kept) {
        if (free >= length) break;
        if (e.uses >= entry.uses) continue;
        victims.push(t);
        free += e.impacts?.length ?? 0;
      }
      if (free < length) return;
      for (const t of victims) {
        const e = this.kept.get(t);
        if (e === undefined) continue;
        this.cached -= e.impacts?.length ?? 0;
        e.impacts = null;
        this.kept.delete(t);
      }
    }
    // Filled as cursors score the postings (see PostingCursor.score): a search that probes a few postings
    // of a long list pays for those, not for a pass over the whole list.
    entry.impacts = new Float64Array(length).fill(NaN);
    this.cached += length;
    this.kept.set(term, entry);
  }
}
