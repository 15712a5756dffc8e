// The BM25F knobs (k1, per-field weight and length normalization b) with their defaults and allowed ranges.
import { AppError } from '../../errors.ts';
import { FIELDS, type FieldName } from './doc-table.ts';

/** One field's share of the score. */
export interface FieldParams {
  /** How much one occurrence in this field counts against one in the abstract. Defaults below; range 0–10. */
  readonly weight: number;
  /** Length normalization: 0 ignores field length, 1 divides fully by length/average. Range 0–1. */
  readonly b: number;
}

/** Knobs of the BM25F scoring formula (written out in docs/DESIGN.md, "Ranking math"). */
export interface Bm25fOptions {
  /** Term-frequency saturation: higher lets repeated terms keep adding score. Default 1.6; range 0–3. */
  readonly k1: number;
  readonly fields: Readonly<Record<FieldName, FieldParams>>;
}

/**
 * Defaults chosen by `npm run eval -- --dataset ../shared/eval/scifact --tune` (coordinate descent on the
 * tune split of the SciFact training claims; 0.7071 → 0.7110 nDCG@10 there). A title word counts four
 * abstract words: a title states what a paper is about. Author names count like abstract words, so naming
 * an author finds their papers without drowning topical matches (SciFact has no authors to tune this on).
 */
export const DEFAULT_BM25F: Bm25fOptions = {
  k1: 1.6,
  fields: {
    title: { weight: 4, b: 1 },
    abstract: { weight: 1, b: 0.8 },
    authors: { weight: 1, b: 0.3 },
  },
};

/** Partial overrides, merged over the defaults. */
export interface Bm25fOverrides {
  readonly k1?: number;
  readonly fields?: Partial<Record<FieldName, Partial<FieldParams>>>;
}

function checkRange(name: string, value: number, min: number, max: number, problems: string[]): void {
  if (!Number.isFinite(value) || value < min || value > max)
    problems.push(`${name} must be a number from ${min} to ${max} (got ${value})`);
}

/**
 * Merges overrides over DEFAULT_BM25F and checks ranges; every problem is reported at once.
 */
export function resolveBm25fOptions(overrides: Bm25fOverrides = {}): Bm25fOptions {
  const problems: string[] = [];
  const k1 = overrides.k1 ?? DEFAULT_BM25F.k1;
  checkRange('k1', k1, 0, 3, problems);
  const fields = {} as Record<FieldName, FieldParams>;
  for (const f of FIELDS) {
    const weight = overrides.fields?.[f]?.weight ?? DEFAULT_BM25F.fields[f].weight;
    const b = overrides.fields?.[f]?.b ?? DEFAULT_BM25F.fields[f].b;
    checkRange(`${f}.weight`, weight, 0, 10, problems);
    checkRange(`${f}.b`, b, 0, 1, problems);
    fields[f] = { weight, b };
  }
  if (problems.length > 0)
    throw new AppError('BAD_INPUT', `Invalid BM25F options: ${problems.join('; ')}.`, problems);
  return { k1, fields };
}
