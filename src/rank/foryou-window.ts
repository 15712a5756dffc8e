// The papers of a For-you window, prepared once for every reader: ids, days, ages, and their vectors in one matrix.
import { createDotSpace, type DotSpace } from '../simd-dot.ts';

/** What the ranking needs of a window's paper besides its vector. */
export interface WindowPaper {
  id: string;
  /** YYYY-MM-DD */
  day: string;
  /** Display names, in byline order. */
  authors: readonly string[];
  /** `normalizeAuthorName` of each author, same order. */
  authorKeys: readonly string[];
  categories: readonly string[];
}

/** A window's papers in flat arrays; categories and authors are read only where a reader needs them. */
export interface PreparedWindow {
  readonly size: number;
  readonly ids: readonly string[];
  /** YYYY-MM-DD of each paper. */
  readonly days: readonly string[];
  /** Paper id → position (the first, should an id repeat). */
  readonly indexOf: ReadonlyMap<string, number>;
  /** Days between each paper's day and the newest day of the window (0 when unknown). */
  readonly age: Float64Array;
  categoriesOf(i: number): readonly string[];
  /** Display names and `normalizeAuthorName` keys of paper `i`'s authors, in byline order. */
  authorsOf(i: number): { names: readonly string[]; keys: readonly string[] };
}

/** The window's vectors: one row-major matrix of the papers that have a vector of its dimension. */
export interface WindowVectors {
  /** Dimension of the rows (0 when no paper has a vector). */
  readonly dim: number;
  readonly data: Float32Array;
  /** Per paper: 0 no vector, 1 row `i` of `data` holds it, 2 a vector of another dimension. */
  readonly state: Uint8Array;
  /** The SIMD space `data` lives in (at offset 0), with `SCRATCH_ROWS` free rows after it; null: plain JS. */
  readonly space: DotSpace | null;
}

/** Rows after the window's in its SIMD space, for one reader's profile (centroids, negative, neighbours). */
export const SCRATCH_ROWS = 64;

/** A zeroed matrix of `rows` × `dim`, in a SIMD space when there is one. */
function matrix(rows: number, dim: number): { data: Float32Array; space: DotSpace | null } {
  const space = dim > 0 ? createDotSpace((rows + SCRATCH_ROWS) * dim) : null;
  return { data: space !== null ? space.f32.subarray(0, rows * dim) : new Float32Array(rows * dim), space };
}

const DAY_MS = 86_400_000;

/**
 * A window from its ids and days (in the store's order) and readers of each paper's categories and authors.
 */
export function createWindow(
  ids: readonly string[],
  days: readonly string[],
  categoriesOf: (i: number) => readonly string[],
  authorsOf: (i: number) => { names: readonly string[]; keys: readonly string[] },
): PreparedWindow {
  const n = ids.length;
  const indexOf = new Map<string, number>();
  let newest = '';
  for (let i = 0; i < n; i++) {
    const id = ids[i] as string;
    if (!indexOf.has(id)) indexOf.set(id, i);
    if ((days[i] as string) > newest) newest = days[i] as string;
  }
  const newestMs = Date.parse(newest);
  const ageOf = new Map<string, number>();
  const age = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const day = days[i] as string;
    let a = ageOf.get(day);
    if (a === undefined) {
      a = Math.max(0, (newestMs - Date.parse(day)) / DAY_MS);
      if (!Number.isFinite(a)) a = 0;
      ageOf.set(day, a);
    }
    age[i] = a;
  }
  return { size: n, ids, days, indexOf, age, categoriesOf, authorsOf };
}

/**
 * Prepares candidate papers for `rankForYouWindow`; build it once per window version and share it.
 * @example const win = prepareWindow(papers); rankForYouWindow(win, windowVectors(win, get), signals, 20)
 */
export function prepareWindow(papers: readonly WindowPaper[]): PreparedWindow {
  const at = (i: number): WindowPaper => papers[i] as WindowPaper;
  return createWindow(
    papers.map((p) => p.id),
    papers.map((p) => p.day),
    (i) => at(i).categories,
    (i) => ({ names: at(i).authors, keys: at(i).authorKeys }),
  );
}

/**
 * Copies the window's vectors (from `vectorOf`, by paper position) into one matrix of the first vector's dimension.
 */
export function windowVectors(
  win: PreparedWindow,
  vectorOf: (i: number) => Float32Array | null | undefined,
): WindowVectors {
  const n = win.size;
  const state = new Uint8Array(n);
  let dim = 0;
  let m = matrix(0, 0);
  for (let i = 0; i < n; i++) {
    const v = vectorOf(i);
    if (v === null || v === undefined || v.length === 0) continue;
    if (dim === 0) {
      dim = v.length;
      m = matrix(n, dim);
    }
    if (v.length !== dim) {
      state[i] = 2;
      continue;
    }
    m.data.set(v, i * dim);
    state[i] = 1;
  }
  return { dim, ...m, state };
}

/**
 * The window's vectors of dimension `dim`, copied straight into one matrix by `copyTo` (false: no vector).
 */
export function copyWindowVectors(
  win: PreparedWindow,
  dim: number,
  copyTo: (i: number, out: Float32Array, offset: number) => boolean,
): WindowVectors {
  const state = new Uint8Array(win.size);
  const m = matrix(win.size, dim);
  for (let i = 0; i < win.size; i++) if (copyTo(i, m.data, i * dim)) state[i] = 1;
  return { dim, ...m, state };
}
