// Plans a batch of paper upserts in memory, exactly as the row-at-a-time merge would apply them.
import { mergePaper, normalizeTitle } from '../../domain/index.ts';
import {
  candidateIds,
  newPaperId,
  pickTitleMatch,
  titleRange,
  updatedId,
  type MatchedBy,
} from '../rows/paper-identity.ts';
import { rowToInput, toRowValues, type PaperRow } from '../rows/paper-rows.ts';
import type { UpsertRecord, UpsertResult } from '../store.ts';

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
  /** Sources of the paper's external ids, stored and planned. */
  sources: Set<string>;
  /** Where the paper's first record came from, when known (for merge reports). */
  location: string | null;
}

/** An external id stored for a paper of the batch; what was stored before is not repeated. */
export interface PlannedExternalId {
  row: PlannedRow;
  source: string;
  id: string;
  location: string | null;
}

/** A stored external id, as prefetched. */
export interface ExternalIdRow {
  source: string;
  ext_id: string;
  paper_pk: number;
  location: string | null;
}

export interface PaperPlan {
  results: UpsertResult[];
  rows: PlannedRow[];
  externalIds: PlannedExternalId[];
  /** Change-log entries in the order the batch made them. */
  changes: { paperId: string; op: 'upsert' | 'delete' }[];
}

/** The keys under which a record may match a stored paper (what to prefetch). */
export function matchKeys(records: readonly UpsertRecord[]): {
  arxiv: string[];
  doi: string[];
  titleLo: string[];
  titleHi: string[];
  extSource: string[];
  extId: string[];
  ids: string[];
} {
  const arxiv = new Set<string>();
  const doi = new Set<string>();
  const titles = new Map<string, [string, string]>();
  const ext = new Map<string, [string, string]>();
  const ids = new Set<string>();
  for (const { paper: p, externalId: e } of records) {
    if (p.arxivId !== null) arxiv.add(p.arxivId);
    if (p.doi !== null) doi.add(p.doi);
    const range = titleRange(p.title);
    titles.set(range[0], range);
    if (e !== null) ext.set(`${e.source}\u0000${e.id}`, [e.source, e.id]);
    for (const id of candidateIds(p, e)) if (id.startsWith('pb:')) ids.add(id);
  }
  return {
    arxiv: [...arxiv],
    doi: [...doi],
    titleLo: [...titles.values()].map((r) => r[0]),
    titleHi: [...titles.values()].map((r) => r[1]),
    extSource: [...ext.values()].map((x) => x[0]),
    extId: [...ext.values()].map((x) => x[1]),
    ids: [...ids],
  };
}

/** The normalized title a title_key ("<title>|<family>") starts with. */
const titleOfKey = (key: string): string => key.slice(0, key.indexOf('|'));

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
  /** Every row under the key, lowest key first. */
  all(key: string): PlannedRow[] {
    return [...(this.map.get(key) ?? [])].sort((a, b) => a.order - b.order);
  }
  /** The row with the lowest key (SQL's `ORDER BY pk LIMIT 1`). */
  first(key: string): PlannedRow | undefined {
    let best: PlannedRow | undefined;
    for (const r of this.map.get(key) ?? []) if (!best || r.order < best.order) best = r;
    return best;
  }
}

/**
 * Applies `records` in order to the `stored` rows that could match them, returning results, the rows to write,
 * the external ids to add and the change log. `stored` must hold every stored row sharing an arXiv id, DOI,
 * normalized title, external id or candidate pb: id with a record; `storedIds` the external ids of those rows.
 */
export function planUpserts(
  stored: readonly PaperRow[],
  storedIds: readonly ExternalIdRow[],
  records: readonly UpsertRecord[],
  stamp: string,
): PaperPlan {
  const byArxiv = new Map<string, PlannedRow>();
  const byDoi = new KeyIndex();
  const byTitle = new KeyIndex();
  const byId = new Map<string, PlannedRow>();
  const byExt = new Map<string, PlannedRow>();
  const index = (r: PlannedRow): void => {
    if (r.values.arxiv_id !== null) byArxiv.set(r.values.arxiv_id, r);
    byDoi.add(r.values.doi, r);
    byTitle.add(titleOfKey(r.values.title_key), r);
    byId.set(r.values.id, r);
  };
  const unindex = (r: PlannedRow): void => {
    if (r.values.arxiv_id !== null && byArxiv.get(r.values.arxiv_id) === r) byArxiv.delete(r.values.arxiv_id);
    byDoi.remove(r.values.doi, r);
    byTitle.remove(titleOfKey(r.values.title_key), r);
    if (byId.get(r.values.id) === r) byId.delete(r.values.id);
  };
  let nextOrder = 0;
  const byPk = new Map<number, PlannedRow>();
  for (const s of stored) {
    const { pk: _pk, created_at: _c, ...values } = s;
    const r: PlannedRow = {
      pk: s.pk,
      order: s.pk,
      values,
      original: s,
      changed: false,
      sources: new Set(),
      location: null,
    };
    index(r);
    byPk.set(s.pk, r);
    nextOrder = Math.max(nextOrder, s.pk);
  }
  for (const e of storedIds) {
    const r = byPk.get(e.paper_pk);
    if (!r) continue;
    r.sources.add(e.source);
    r.location ??= e.location;
    byExt.set(`${e.source}\u0000${e.ext_id}`, r);
  }
  const rows = new Set<PlannedRow>();
  const externalIds: PlannedExternalId[] = [];
  const changes: PaperPlan['changes'] = [];

  function findMatch(rec: UpsertRecord): { row: PlannedRow; by: MatchedBy } | undefined {
    const { paper: p, externalId: ext } = rec;
    if (ext !== null) {
      const hit = byExt.get(`${ext.source}\u0000${ext.id}`);
      if (hit) return { row: hit, by: 'external' };
    }
    if (p.arxivId !== null) {
      const hit = byArxiv.get(p.arxivId);
      if (hit) return { row: hit, by: 'arxiv' };
    }
    if (p.doi !== null) {
      const hit = byDoi.first(p.doi);
      if (hit && (hit.values.arxiv_id === null || p.arxivId === null)) return { row: hit, by: 'doi' };
    }
    const candidates = byTitle.all(normalizeTitle(p.title));
    const hit = pickTitleMatch(
      p,
      ext,
      candidates,
      (r) => r.values,
      (r) => r.sources,
    );
    return hit ? { row: hit, by: 'title' } : undefined;
  }

  function keepExternalId(r: PlannedRow, rec: UpsertRecord): void {
    const e = rec.externalId;
    if (e === null || byExt.has(`${e.source}\u0000${e.id}`)) return;
    byExt.set(`${e.source}\u0000${e.id}`, r);
    r.sources.add(e.source);
    r.location ??= rec.location;
    externalIds.push({ row: r, source: e.source, id: e.id, location: rec.location });
  }

  const results = records.map((rec): UpsertResult => {
    const input = rec.paper;
    let match = findMatch(rec);
    if (!match) {
      const chosen = newPaperId(input, rec.externalId, (id) => byId.has(id));
      const same = 'taken' in chosen ? byId.get(chosen.taken) : undefined;
      if (same) match = { row: same, by: 'title' };
      else {
        const values = { ...toRowValues(input, stamp), id: 'id' in chosen ? chosen.id : chosen.taken };
        const r: PlannedRow = {
          pk: null,
          order: ++nextOrder,
          values,
          original: null,
          changed: true,
          sources: new Set(),
          location: null,
        };
        index(r);
        rows.add(r);
        keepExternalId(r, rec);
        changes.push({ paperId: r.values.id, op: 'upsert' });
        return { outcome: 'added', paperId: values.id, mergedBy: null, into: null };
      }
    }
    const existing = match.row;
    const mergedBy = match.by === 'doi' || match.by === 'title' ? match.by : null;
    const into = mergedBy !== null ? (existing.location ?? existing.values.id) : null;
    keepExternalId(existing, rec);
    const merged = mergePaper(rowToInput({ ...existing.values, pk: 0, created_at: '' }), input);
    const values = { ...toRowValues(merged, stamp), id: updatedId(existing.values.id, merged) };
    if (values.content_hash === existing.values.content_hash)
      return { outcome: 'unchanged', paperId: existing.values.id, mergedBy, into };
    const oldId = existing.values.id;
    unindex(existing);
    existing.values = values;
    existing.changed = true;
    index(existing);
    rows.add(existing);
    if (values.id !== oldId) changes.push({ paperId: oldId, op: 'delete' });
    changes.push({ paperId: values.id, op: 'upsert' });
    return { outcome: 'updated', paperId: values.id, mergedBy, into };
  });
  return { results, rows: [...rows], externalIds, changes };
}
