// Plans a batch of paper upserts in memory, exactly as the row-at-a-time merge would apply them.
import { mergePaper, titleKey, type PaperInput, type UpsertOutcome } from '../../domain/index.ts';
import { rowToInput, toRowValues, type PaperRow } from '../rows/paper-rows.ts';

export type RowValues = Omit<PaperRow, 'pk' | 'created_at'>;

/** A paper the batch touches: a stored one (pk known) or a new one (pk assigned on insert). */
export interface PlannedRow {
  /** The stored key, or null for a paper the batch adds. */
  pk: number | null;
  /** Orders rows as their keys will: stored keys first, then new rows in insertion order. */
  order: number;
  values: RowValues;
  /** The row as stored before the batch (null for a new one). */
  original: PaperRow | null;
  changed: boolean;
}

export interface PaperPlan {
  outcomes: UpsertOutcome[];
  rows: PlannedRow[];
  /** Change-log entries in the order the batch made them. */
  changes: { paperId: string; op: 'upsert' | 'delete' }[];
}

/** The keys under which an input may match a stored paper (what to prefetch). */
export function matchKeys(inputs: readonly PaperInput[]): {
  arxiv: string[];
  doi: string[];
  title: string[];
} {
  const arxiv = new Set<string>();
  const doi = new Set<string>();
  const title = new Set<string>();
  for (const p of inputs) {
    if (p.arxivId !== null) arxiv.add(p.arxivId);
    if (p.doi !== null) doi.add(p.doi);
    title.add(titleKey(p.title, p.authors));
  }
  return { arxiv: [...arxiv], doi: [...doi], title: [...title] };
}

class KeyIndex {
  private readonly map = new Map<string, Set<PlannedRow>>();
  add(key: string | null, r: PlannedRow): void {
    if (key === null) return;
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(r);
  }
  remove(key: string | null, r: PlannedRow): void {
    if (key !== null) this.map.get(key)?.delete(r);
  }
  /** The row with the lowest key (SQL's `ORDER BY pk LIMIT 1`). */
  first(key: string): PlannedRow | undefined {
    let best: PlannedRow | undefined;
    for (const r of this.map.get(key) ?? []) if (!best || r.order < best.order) best = r;
    return best;
  }
}

/**
 * Applies `inputs` in order to the `stored` rows that could match them, returning outcomes, the rows to write
 * and the change log. `stored` must hold every stored row sharing an arXiv id, DOI or title key with an input.
 * @example const plan = planUpserts(prefetched, inputs, new Date().toISOString());
 */
export function planUpserts(
  stored: readonly PaperRow[],
  inputs: readonly PaperInput[],
  stamp: string,
): PaperPlan {
  const byArxiv = new Map<string, PlannedRow>();
  const byDoi = new KeyIndex();
  const byTitle = new KeyIndex();
  const index = (r: PlannedRow): void => {
    if (r.values.arxiv_id !== null) byArxiv.set(r.values.arxiv_id, r);
    byDoi.add(r.values.doi, r);
    byTitle.add(r.values.title_key, r);
  };
  const unindex = (r: PlannedRow): void => {
    if (r.values.arxiv_id !== null && byArxiv.get(r.values.arxiv_id) === r) byArxiv.delete(r.values.arxiv_id);
    byDoi.remove(r.values.doi, r);
    byTitle.remove(r.values.title_key, r);
  };
  let nextOrder = 0;
  for (const s of stored) {
    const { pk: _pk, created_at: _c, ...values } = s;
    index({ pk: s.pk, order: s.pk, values, original: s, changed: false });
    nextOrder = Math.max(nextOrder, s.pk);
  }
  const rows = new Set<PlannedRow>();
  const changes: PaperPlan['changes'] = [];

  function findMatch(p: PaperInput): PlannedRow | undefined {
    if (p.arxivId !== null) {
      const hit = byArxiv.get(p.arxivId);
      if (hit) return hit;
    }
    const compatible = (r: PlannedRow | undefined): PlannedRow | undefined =>
      r && (r.values.arxiv_id === null || p.arxivId === null) ? r : undefined;
    if (p.doi !== null) {
      const hit = compatible(byDoi.first(p.doi));
      if (hit) return hit;
    }
    return compatible(byTitle.first(titleKey(p.title, p.authors)));
  }

  const outcomes = inputs.map((input): UpsertOutcome => {
    const existing = findMatch(input);
    if (!existing) {
      const r: PlannedRow = {
        pk: null,
        order: ++nextOrder,
        values: toRowValues(input, stamp),
        original: null,
        changed: true,
      };
      index(r);
      rows.add(r);
      changes.push({ paperId: r.values.id, op: 'upsert' });
      return 'added';
    }
    const values = toRowValues(
      mergePaper(rowToInput({ ...existing.values, pk: 0, created_at: '' }), input),
      stamp,
    );
    if (values.content_hash === existing.values.content_hash) return 'unchanged';
    const oldId = existing.values.id;
    unindex(existing);
    existing.values = values;
    existing.changed = true;
    index(existing);
    rows.add(existing);
    if (values.id !== oldId) changes.push({ paperId: oldId, op: 'delete' });
    changes.push({ paperId: values.id, op: 'upsert' });
    return 'updated';
  });
  return { outcomes, rows: [...rows], changes };
}
