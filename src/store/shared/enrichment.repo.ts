// GitHub repository facts, model summaries and thumbnails, written once for both engines.
import type { EnrichmentRepo } from '../enrichment.ts';
import { toRepoFact, toThumbnail } from '../rows/enrichment-rows.ts';
import { arg, transaction, type QueryDb } from '../kysely/query-db.ts';

const ids = (rows: { paper_id: string }[]): Set<string> => new Set(rows.map((r) => r.paper_id));

/**
 * Creates the enrichment repository. Queries of a fixed shape are compiled once (QueryDb.prepare); the
 * thumbnail and summary reads run for every card page that shows them.
 */
export function createEnrichmentRepo(q: QueryDb): EnrichmentRepo {
  const model = arg<string>('model');
  const promptVersion = arg<string>('promptVersion');
  const thumbnailCols = ['paper_id', 'image', 'width', 'height', 'error', 'created_at'] as const;
  const hot = {
    facts: q.prepare((d) =>
      d
        .selectFrom('repo_facts')
        .select(['repo', 'status', 'stars', 'pushed_at', 'archived', 'etag', 'checked_at']),
    ),
    // Each repository's count on its first recorded day on or after `day` (one correlated subquery on both
    // engines, rather than PostgreSQL's DISTINCT ON).
    starsSince: q.prepare((d) =>
      d
        .selectFrom('repo_star_days as s')
        .select(['s.repo', 's.stars'])
        .where('s.day', '=', (eb) =>
          eb
            .selectFrom('repo_star_days as e')
            .select((e) => e.fn.min('e.day').as('d'))
            .whereRef('e.repo', '=', 's.repo')
            .where('e.day', '>=', arg<string>('day')),
        ),
    ),
    summaries: q.prepare((d) =>
      d
        .selectFrom('paper_summaries')
        .select(['paper_id', 'text'])
        .where('model', '=', model)
        .where('prompt_version', '=', promptVersion)
        .where('text', 'is not', null),
    ),
    summarizedIds: q.prepare((d) =>
      d
        .selectFrom('paper_summaries')
        .select('paper_id')
        .where('model', '=', model)
        .where('prompt_version', '=', promptVersion)
        .where((eb) =>
          eb.or([eb('text', 'is not', null), eb('created_at', '>=', arg<string>('failedSince'))]),
        ),
    ),
    putSummary: q.prepare((d) =>
      d
        .insertInto('paper_summaries')
        .values({
          paper_id: arg<string>('paperId'),
          model,
          prompt_version: promptVersion,
          text: arg<string | null>('text'),
          error: arg<string | null>('error'),
          created_at: arg<string>('createdAt'),
        })
        .onConflict((oc) =>
          oc.columns(['paper_id', 'model', 'prompt_version']).doUpdateSet((eb) => ({
            text: eb.ref('excluded.text'),
            error: eb.ref('excluded.error'),
            created_at: eb.ref('excluded.created_at'),
          })),
        ),
    ),
    attempts: q.prepare((d) =>
      d
        .selectFrom('paper_summaries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('created_at', '>=', arg<string>('since')),
    ),
    thumbnail: q.prepare((d) =>
      d.selectFrom('paper_thumbnails').select(thumbnailCols).where('paper_id', '=', arg<string>('paperId')),
    ),
    thumbnailIds: q.prepare((d) =>
      d.selectFrom('paper_thumbnails').select('paper_id').where('image', 'is not', null),
    ),
    triedIds: q.prepare((d) => d.selectFrom('paper_thumbnails').select('paper_id')),
    putThumbnail: q.prepare((d) =>
      d
        .insertInto('paper_thumbnails')
        .values({
          paper_id: arg<string>('paperId'),
          image: arg<Uint8Array | null>('image'),
          width: arg<number | null>('width'),
          height: arg<number | null>('height'),
          error: arg<string | null>('error'),
          created_at: arg<string>('createdAt'),
        })
        .onConflict((oc) =>
          oc.column('paper_id').doUpdateSet((eb) => ({
            image: eb.ref('excluded.image'),
            width: eb.ref('excluded.width'),
            height: eb.ref('excluded.height'),
            error: eb.ref('excluded.error'),
            created_at: eb.ref('excluded.created_at'),
          })),
        ),
    ),
  };
  return {
    async repoFacts() {
      return (await hot.facts.all()).map(toRepoFact);
    },
    async putRepoFact(fact, day) {
      // Two writes in one transaction: built per call, as prepared queries run outside transactions.
      await transaction(q, async (tx) => {
        await tx
          .insertInto('repo_facts')
          .values({
            repo: fact.repo,
            status: fact.status,
            stars: fact.stars,
            pushed_at: fact.pushedAt,
            archived: fact.archived ? 1 : 0,
            etag: fact.etag,
            checked_at: fact.checkedAt,
          })
          .onConflict((oc) =>
            oc.column('repo').doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              stars: eb.ref('excluded.stars'),
              pushed_at: eb.ref('excluded.pushed_at'),
              archived: eb.ref('excluded.archived'),
              etag: eb.ref('excluded.etag'),
              checked_at: eb.ref('excluded.checked_at'),
            })),
          )
          .execute();
        if (fact.stars !== null)
          await tx
            .insertInto('repo_star_days')
            .values({ repo: fact.repo, day, stars: fact.stars })
            .onConflict((oc) =>
              oc.columns(['repo', 'day']).doUpdateSet((eb) => ({ stars: eb.ref('excluded.stars') })),
            )
            .execute();
      });
    },
    async starsSince(day) {
      return new Map((await hot.starsSince.all({ day })).map((r) => [r.repo, r.stars]));
    },
    async summaries(m, pv) {
      const rows = await hot.summaries.all({ model: m, promptVersion: pv });
      return rows.map((r) => ({ paperId: r.paper_id, text: r.text ?? '' }));
    },
    async summarizedIds(m, pv, failedSince) {
      return ids(await hot.summarizedIds.all({ model: m, promptVersion: pv, failedSince }));
    },
    async putSummary(s) {
      await hot.putSummary.run({ ...s });
    },
    async summaryAttemptsSince(since) {
      return (await hot.attempts.first({ since }))?.n ?? 0;
    },
    async thumbnail(paperId) {
      const r = await hot.thumbnail.first({ paperId });
      return r === undefined ? null : toThumbnail(r);
    },
    async thumbnailIds() {
      return ids(await hot.thumbnailIds.all());
    },
    async thumbnailTriedIds() {
      return ids(await hot.triedIds.all());
    },
    async putThumbnail(t) {
      const image = t.image === null ? null : Buffer.from(t.image);
      await hot.putThumbnail.run({ ...t, image });
    },
  };
}
