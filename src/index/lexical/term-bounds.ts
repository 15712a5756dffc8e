// Per-term score upper bounds and cached posting impacts for pruned top-k search, kept until the index changes.
import { termScoring, unitPostingScore, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState, StoredBounds } from './index-state.ts';
import { BLOCK_POSTINGS } from './postings.ts';

/** Lists shorter than this are scored on the fly: caching them saves little. */
const IMPACT_MIN_POSTINGS = 512;
/** Cached impacts in all (8 bytes each, 16 MB): enough for the few hundred most queried long lists. */
const IMPACT_BUDGET = 2_000_000;
/** Lists shorter than this get no per-block rest maxima: MaxScore visits few of their postings anyway. */
const REST_MIN_POSTINGS = 4 * BLOCK_POSTINGS;
/** Rest maxima kept in all (one float32 per block of 128 postings, 16 MB): every common list at 2.7M papers. */
const REST_BUDGET = 4_000_000;

interface TermEntry {
  /** Largest unit score of a live posting; a bound is this times the query's term weight. */
  readonly unitMax: number;
  /**
   * `unitPostingScore` of each sealed posting, in list order, NaN for one not scored yet; null for short
   * lists, until asked twice, and while the budget keeps it out.
   */
  impacts: Float64Array | null;
  /** Searches that asked for the term since the last change to the index. */
  uses: number;
  /** Per sealed block, the largest unit score of its postings without the term in the title (see `termRestMaxima`). */
  rest: Float32Array | null;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The smallest float32 at least `x` (a non-negative double), so a stored maximum never undercuts a score. */
export function float32AtLeast(x: number): number {
  f32[0] = x;
  if ((f32[0] as number) < x) u32[0] = (u32[0] as number) + 1;
  return f32[0] as number;
}

/**
 * Per sealed block of `term`, the largest `unitPostingScore` of its live postings that do not have the term
 * in the title (0 for a block of only title hits), rounded up to float32. A title hit is worth up to four
 * times an abstract one (DEFAULT_BM25F), so a block's overall maximum is nearly always the term's (some
 * paper of any 128 has the word in its title), while the rest of a block rarely reaches it: a posting whose
 * title count is 0 can then be bounded by its block's rest maximum without reading its document's lengths.
 */
export function termRestMaxima(state: IndexState, term: number, scoring: TermScoring): Float32Array {
  const { alive, lengths } = state.docs;
  const out = new Float32Array(Math.ceil(state.postings.sealedLength(term) / BLOCK_POSTINGS));
  const block = state.postings.readBlocks(term);
  const { docs, tfs } = block;
  for (let b = 0; block.nextBlock(); b++) {
    let max = 0;
    for (let i = 0, n = block.length; i < n; i++) {
      const tf = tfs[i] ?? 0;
      const d = docs[i] ?? 0;
      if ((tf & 15) !== 0 || alive[d] !== 1) continue;
      const u = unitPostingScore(scoring, lengths, d, tf);
      if (u > max) max = u;
    }
    out[b] = float32AtLeast(max);
  }
  return out;
}

/**
 * The largest `unitPostingScore` of `term` over its live postings, read from the whole list (sealed blocks,
 * then the tail); 0 for a term without any.
 */
export function termUnitMax(state: IndexState, term: number, scoring: TermScoring): number {
  const { alive, lengths } = state.docs;
  let unitMax = 0;
  const block = state.postings.readBlocks(term);
  const { docs, tfs } = block;
  while (block.nextBlock())
    for (let i = 0, n = block.length; i < n; i++) {
      const d = docs[i] ?? 0;
      if (alive[d] !== 1) continue;
      const u = unitPostingScore(scoring, lengths, d, tfs[i] ?? 0);
      if (u > unitMax) unitMax = u;
    }
  const tail = state.postings.tail[term];
  if (tail !== undefined)
    for (let i = 0; i < tail.length; i += 2) {
      const d = tail[i] ?? 0;
      if (alive[d] !== 1) continue;
      const u = unitPostingScore(scoring, lengths, d, tail[i + 1] ?? 0);
      if (u > unitMax) unitMax = u;
    }
  return unitMax;
}

/**
 * The constants a term's unit scores depend on (field weights, 1 - b, b / average length, k1): the same for
 * every term, so one key tells whether stored bounds were computed under the statistics searched with now.
 */
export function scoringKey(ts: TermScoring): number[] {
  return [ts.wT, ts.nT, ts.sT, ts.wA, ts.nA, ts.sA, ts.wU, ts.nU, ts.sU, ts.k1];
}

/**
 * Every term's `termUnitMax` under the state's current statistics, and their key: written into a snapshot
 * (one pass over all postings at save), so a restarted index bounds a term without reading its list.
 */
export function computeStoredBounds(state: IndexState): StoredBounds {
  const n = state.terms.size;
  const unitMax = new Float64Array(n);
  if (n === 0) return { unitMax, key: scoringKey(termScoring(state, 0, 1)) };
  // Unit scores do not depend on the term (only the weight, unused here, does): one set of constants.
  const scoring = termScoring(state, 0, 1);
  for (let t = 0; t < n; t++) unitMax[t] = termUnitMax(state, t, scoring);
  return { unitMax, key: scoringKey(scoring) };
}

/** The stored bound of `term` when `scoring` has exactly the constants it was computed with, else undefined. */
function storedUnitMax(state: IndexState, term: number, scoring: TermScoring): number | undefined {
  const stored = state.storedBounds;
  if (stored === null || term >= stored.unitMax.length) return undefined;
  const key = scoringKey(scoring);
  for (let i = 0; i < key.length; i++) if (key[i] !== stored.key[i]) return undefined;
  return stored.unitMax[term];
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
  /** Blocks of rest maxima held in all. */
  private restHeld = 0;

  /** `budget`: impacts kept in all, 8 bytes each; `restBudget`: blocks of rest maxima kept in all, 4 bytes each. */
  constructor(
    private readonly budget = IMPACT_BUDGET,
    private readonly restBudget = REST_BUDGET,
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
   * or null: for a short list, for a term searched only once so far (see `get`), and for one the budget
   * keeps out. PostingCursor fills them in as it scores.
   */
  impacts(term: number): Float64Array | null {
    return this.terms.get(term)?.impacts ?? null;
  }

  /**
   * The term's per-block rest maxima (see `termRestMaxima`), or null: for a short list, for a term searched
   * only once so far (see `get`), and once the budget is spent. `w ×` one of them bounds the `postingScore`
   * of any posting of that block whose title count is 0.
   */
  rest(term: number): Float32Array | null {
    return this.terms.get(term)?.rest ?? null;
  }

  /** Forgets every bound and impact; call on any change to the index. */
  clear(): void {
    this.terms.clear();
    this.kept.clear();
    this.cached = 0;
    this.restHeld = 0;
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
      // Rest maxima too from the second search on: their pass over the list costs about one search's scoring.
      if (known.rest === null) this.addRest(state, term, known, scoring);
      return known;
    }
    // A snapshot's stored bound when the index is as it was saved (same statistics), else one pass over the list.
    const unitMax = storedUnitMax(state, term, scoring) ?? termUnitMax(state, term, scoring);
    const entry: TermEntry = { unitMax, impacts: null, uses: 1, rest: null };
    this.terms.set(term, entry);
    return entry;
  }

  /** Computes the term's rest maxima when its list is long enough and the budget has room. */
  private addRest(state: IndexState, term: number, entry: TermEntry, scoring: TermScoring): void {
    const length = state.postings.sealedLength(term);
    const blocks = Math.ceil(length / BLOCK_POSTINGS);
    if (length < REST_MIN_POSTINGS || this.restHeld + blocks > this.restBudget) return;
    entry.rest = termRestMaxima(state, term, scoring);
    this.restHeld += blocks;
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
    if (length < IMPACT_MIN_POSTINGS || length > this.budget) return;
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
