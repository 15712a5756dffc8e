// Writes a planned batch of paper upserts with a handful of set-based statements (unnest), not one per row.
import { normalizeAuthorName, type PaperInput } from '../../domain/index.ts';
import type { PaperRow } from '../rows/paper-rows.ts';
import type { PaperPlan, PlannedRow, RowValues } from './paper-plan.ts';
import { queryRows, type PgClient } from './pg-db.ts';

/** Paper columns written on insert and update, with their PostgreSQL array types for unnest. */
const COLUMNS: readonly (readonly [keyof RowValues, string])[] = [
  ['id', 'text'],
  ['arxiv_id', 'text'],
  ['version', 'int'],
  ['doi', 'text'],
  ['title', 'text'],
  ['title_key', 'text'],
  ['abstract', 'text'],
  ['authors', 'text'],
  ['categories', 'text'],
  ['primary_category', 'text'],
  ['published', 'text'],
  ['updated', 'text'],
  ['announced', 'text'],
  ['sort_date', 'text'],
  ['comment', 'text'],
  ['journal_ref', 'text'],
  ['license', 'text'],
  ['abs_url', 'text'],
  ['pdf_url', 'text'],
  ['content_hash', 'text'],
  ['modified_at', 'text'],
];
const NAMES = COLUMNS.map(([c]) => c).join(', ');
const UNNEST = COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ');
const columnArrays = (rows: readonly PlannedRow[]): unknown[][] =>
  COLUMNS.map(([c]) => rows.map((r) => r.values[c]));

const INSERT = `INSERT INTO papers (${NAMES}, created_at)
  SELECT ${NAMES}, modified_at FROM unnest(${UNNEST}) WITH ORDINALITY AS u(${NAMES}, ord) ORDER BY ord
  RETURNING pk, id`;
const UPDATE = `UPDATE papers p SET ${COLUMNS.map(([c]) => `${c} = u.${c}`).join(', ')}
  FROM unnest(${UNNEST}, $${COLUMNS.length + 1}::bigint[]) AS u(${NAMES}, pk) WHERE p.pk = u.pk`;

/**
 * Applies a plan inside the caller's transaction: updates, inserts, external ids, author and category links,
 * change log.
 */
export async function writePlan(c: PgClient, plan: PaperPlan): Promise<void> {
  const updated = plan.rows.filter((r) => r.pk !== null);
  const added = plan.rows.filter((r) => r.pk === null).sort((a, b) => a.order - b.order);
  if (updated.length > 0) await c.query(UPDATE, [...columnArrays(updated), updated.map((r) => r.pk)]);
  if (added.length > 0) {
    const pks = new Map(
      (await queryRows<{ pk: number; id: string }>(c, INSERT, columnArrays(added))).map((r) => [r.id, r.pk]),
    );
    for (const r of added) r.pk = pks.get(r.values.id) ?? null;
  }
  if (plan.externalIds.length > 0) {
    const ext = plan.externalIds;
    await c.query(
      `INSERT INTO paper_external_ids (source, ext_id, paper_pk, location)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) ON CONFLICT DO NOTHING`,
      [ext.map((e) => e.source), ext.map((e) => e.id), ext.map((e) => e.row.pk), ext.map((e) => e.location)],
    );
  }
  const relinked = plan.rows.filter((r) => r.original === null || linksChanged(r.original, r.values));
  await writeLinks(c, relinked);
  if (plan.changes.length > 0) {
    await c.query(
      `INSERT INTO paper_changes (paper_id, op)
       SELECT paper_id, op FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(paper_id, op, ord) ORDER BY ord`,
      [plan.changes.map((x) => x.paperId), plan.changes.map((x) => x.op)],
    );
  }
}

function linksChanged(original: PaperRow, values: RowValues): boolean {
  return original.authors !== values.authors || original.categories !== values.categories;
}

async function writeLinks(c: PgClient, rows: readonly PlannedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const stale = rows.flatMap((r) => (r.original !== null ? [r.pk] : []));
  if (stale.length > 0) {
    await c.query('DELETE FROM paper_authors WHERE paper_pk = ANY($1::bigint[])', [stale]);
    await c.query('DELETE FROM paper_categories WHERE paper_pk = ANY($1::bigint[])', [stale]);
  }
  const parsed = rows.map((r) => ({
    pk: r.pk,
    authors: JSON.parse(r.values.authors) as PaperInput['authors'],
    categories: JSON.parse(r.values.categories) as PaperInput['categories'],
  }));
  const authorPks = await ensureAuthors(c, [...new Set(parsed.flatMap((p) => p.authors))]);
  const pa = parsed.flatMap((p) => p.authors.map((a, i) => [p.pk, i, authorPks.get(a)] as const));
  if (pa.length > 0) {
    await c.query(
      `INSERT INTO paper_authors (paper_pk, position, author_pk)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::bigint[])`,
      [pa.map((x) => x[0]), pa.map((x) => x[1]), pa.map((x) => x[2])],
    );
  }
  const pc = parsed.flatMap((p) => [...new Set(p.categories)].map((cat) => [cat, p.pk] as const));
  if (pc.length > 0) {
    await c.query(
      `INSERT INTO paper_categories (category, paper_pk) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT DO NOTHING`,
      [pc.map((x) => x[0]), pc.map((x) => x[1])],
    );
  }
}

async function ensureAuthors(c: PgClient, names: readonly string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  // The names it adds come back with their keys; only names stored before are looked up again.
  const added = await queryRows<{ pk: number; name: string }>(
    c,
    `INSERT INTO authors (name, name_key)
     SELECT name, name_key FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(name, name_key, ord) ORDER BY ord
     ON CONFLICT (name) DO NOTHING RETURNING pk, name`,
    [names, names.map(normalizeAuthorName)],
  );
  const pks = new Map(added.map((r) => [r.name, r.pk]));
  const known = names.filter((n) => !pks.has(n));
  if (known.length > 0) {
    const rows = await queryRows<{ pk: number; name: string }>(
      c,
      'SELECT pk, name FROM authors WHERE name = ANY($1::text[])',
      [known],
    );
    for (const r of rows) pks.set(r.name, r.pk);
  }
  return pks;
}
