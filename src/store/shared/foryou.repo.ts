// "For you" signals (follows, saved searches, not interested, seen, interest texts, visits) and the window
// reads behind ranking, written once for both engines.
import { sql } from 'kysely';
import { normalizeTitle } from '../../domain/index.ts';
import type { Follow, FollowKind, ForYouRepo, NotInterested, NotInterestedKind } from '../foryou.ts';
import { toCandidate, toMark, toSavedSearch } from '../rows/foryou-rows.ts';
import { arg, changed, inTextList, transaction, type QueryDb } from '../kysely/query-db.ts';

/** Rows per multi-row INSERT: 6 parameters each stays far below either engine's parameter limit. */
const INSERT_CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += INSERT_CHUNK) out.push(items.slice(i, i + INSERT_CHUNK));
  return out;
}

/**
 * Creates the For-you signal repository. Inserts that may repeat name their exact conflict target, so a
 * repeat is a no-op while a NOT NULL or CHECK violation still fails (SQLite's INSERT OR IGNORE swallowed
 * those too).
 */
export function createForYouRepo(q: QueryDb, now: () => Date): ForYouRepo {
  const { db, engine } = q;
  const stamp = (): string => now().toISOString();
  const marks = ['kind', 'target', 'label', 'created_at'] as const;
  const argUser = arg<number>('userId');
  const argFrom = arg<string>('from');
  const argTo = arg<string>('to');
  const argLimit = arg<number>('limit');
  // The reads behind every For-you feed and personal digest, compiled once (QueryDb.prepare): building a
  // query per call cost more than SQLite's own work on these (docs/BENCHMARKS.md, issue 16 part 3).
  const hot = {
    follows: q.prepare((d) =>
      d.selectFrom('follows').select(marks).where('user_id', '=', argUser).orderBy('kind').orderBy('label'),
    ),
    notInterested: q.prepare((d) =>
      d
        .selectFrom('not_interested')
        .select(marks)
        .where('user_id', '=', argUser)
        .orderBy('created_at', 'desc'),
    ),
    savedSearches: q.prepare((d) =>
      d
        .selectFrom('saved_searches')
        .select(['id', 'query', 'created_at'])
        .where('user_id', '=', argUser)
        .orderBy('id'),
    ),
    seenAmong: q.prepare((d) =>
      d
        .selectFrom('seen_papers')
        .select('paper_id')
        .where('user_id', '=', argUser)
        .where(inTextList(engine, 'paper_id', arg<string[]>('ids'))),
    ),
    seenBetween: q.prepare((d) =>
      d
        .selectFrom('seen_papers as s')
        .innerJoin('papers as p', 'p.id', 's.paper_id')
        .select('s.paper_id')
        .where('s.user_id', '=', argUser)
        .where('p.sort_date', '>=', argFrom)
        .where('p.sort_date', '<', argTo),
    ),
    interestTexts: q.prepare((d) =>
      d
        .selectFrom('interest_texts')
        .select(['title', 'abstract', 'source'])
        .where('user_id', '=', argUser)
        .orderBy('id', 'desc')
        .limit(argLimit),
    ),
    votedPapers: q.prepare((d) =>
      d
        .selectFrom('votes as v')
        .innerJoin('papers as p', 'p.pk', 'v.paper_pk')
        .select(['p.id as paperId', 'v.cast_ms as atMs'])
        .where('v.user_id', '=', argUser)
        .orderBy('v.cast_ms', 'desc')
        .limit(argLimit),
    ),
    candidates: q.prepare((d) =>
      d
        .selectFrom('papers')
        .select(['id', 'title', sql<string>`substr(sort_date, 1, 10)`.as('day'), 'authors', 'categories'])
        .where('sort_date', '>=', argFrom)
        .where('sort_date', '<', argTo)
        .orderBy('sort_date', 'desc')
        .orderBy('pk', 'desc')
        .limit(argLimit),
    ),
    windowPapers: q.prepare((d) =>
      d
        .selectFrom('papers')
        .select(['id', sql<string>`substr(sort_date, 1, 10)`.as('day'), 'categories'])
        .where('sort_date', '>=', argFrom)
        .where('sort_date', '<', argTo)
        .orderBy('sort_date', 'desc')
        .orderBy('pk', 'desc')
        .limit(argLimit),
    ),
    authorPapers: q.prepare((d) =>
      d
        .selectFrom('authors as a')
        .innerJoin('paper_authors as pa', 'pa.author_pk', 'a.pk')
        .innerJoin('papers as p', 'p.pk', 'pa.paper_pk')
        .select(['p.id as paperId', 'pa.position', 'a.name_key as key'])
        .where(inTextList(engine, 'a.name_key', arg<string[]>('keys')))
        .where('p.sort_date', '>=', argFrom)
        .where('p.sort_date', '<', argTo),
    ),
  };

  /** The first stored paper id per key (lowest pk), for one key column of papers. */
  async function firstIdByKey(column: 'arxiv_id' | 'doi' | 'title_key', keys: string[]) {
    const byKey = new Map<string, string>();
    if (keys.length === 0) return byKey;
    const rows = await db
      .selectFrom('papers')
      .select([`${column} as k`, 'id'])
      .where(inTextList(engine, column, keys))
      .orderBy('pk')
      .execute();
    for (const r of rows) if (r.k !== null && !byKey.has(r.k)) byKey.set(r.k, r.id);
    return byKey;
  }

  return {
    async follow(userId, kind, key, label) {
      const r = await db
        .insertInto('follows')
        .values({ user_id: userId, kind, target: key, label, created_at: stamp() })
        .onConflict((oc) => oc.columns(['user_id', 'kind', 'target']).doNothing())
        .executeTakeFirst();
      return changed(r) > 0;
    },
    async unfollow(userId, kind, key) {
      const r = await db
        .deleteFrom('follows')
        .where('user_id', '=', userId)
        .where('kind', '=', kind)
        .where('target', '=', key)
        .executeTakeFirst();
      return changed(r) > 0;
    },
    async follows(userId) {
      const rows = await hot.follows.all({ userId });
      return rows.map((r): Follow => toMark<FollowKind>(r));
    },
    async markNotInterested(userId, kind, key, label) {
      const r = await db
        .insertInto('not_interested')
        .values({ user_id: userId, kind, target: key, label, created_at: stamp() })
        .onConflict((oc) => oc.columns(['user_id', 'kind', 'target']).doNothing())
        .executeTakeFirst();
      return changed(r) > 0;
    },
    async undoNotInterested(userId, kind, key) {
      const r = await db
        .deleteFrom('not_interested')
        .where('user_id', '=', userId)
        .where('kind', '=', kind)
        .where('target', '=', key)
        .executeTakeFirst();
      return changed(r) > 0;
    },
    async notInterested(userId) {
      const rows = await hot.notInterested.all({ userId });
      return rows.map((r): NotInterested => toMark<NotInterestedKind>(r));
    },
    async addSavedSearch(userId, query) {
      await db
        .insertInto('saved_searches')
        .values({ user_id: userId, query, created_at: stamp() })
        .onConflict((oc) => oc.columns(['user_id', 'query']).doNothing())
        .execute();
      const row = await db
        .selectFrom('saved_searches')
        .select(['id', 'query', 'created_at'])
        .where('user_id', '=', userId)
        .where('query', '=', query)
        .executeTakeFirst();
      if (!row) throw new Error('saved search vanished after insert');
      return toSavedSearch(row);
    },
    async removeSavedSearch(userId, id) {
      const r = await db
        .deleteFrom('saved_searches')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return changed(r) > 0;
    },
    async savedSearches(userId) {
      const rows = await hot.savedSearches.all({ userId });
      return rows.map(toSavedSearch);
    },
    async markSeen(userId, paperIds) {
      if (paperIds.length === 0) return 0;
      const at = stamp();
      return transaction(q, async (tx) => {
        let added = 0;
        for (const part of chunks(paperIds)) {
          const r = await tx
            .insertInto('seen_papers')
            .values(part.map((id) => ({ user_id: userId, paper_id: id, seen_at: at })))
            .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
            .executeTakeFirst();
          added += changed(r);
        }
        return added;
      });
    },
    async seenAmong(userId, paperIds) {
      if (paperIds.length === 0) return new Set();
      const rows = await hot.seenAmong.all({ userId, ids: paperIds });
      return new Set(rows.map((r) => r.paper_id));
    },
    async seenBetween(userId, from, to) {
      const rows = await hot.seenBetween.all({ userId, from, to });
      return new Set(rows.map((r) => r.paper_id));
    },
    async addInterestTexts(userId, texts, keep) {
      const at = stamp();
      // In the given order, so ids (and "newest") follow it on both engines.
      const rows = texts.flatMap((t) => {
        const key = normalizeTitle(t.title);
        return key === ''
          ? []
          : [
              {
                user_id: userId,
                title: t.title,
                title_key: key,
                abstract: t.abstract,
                source: t.source,
                created_at: at,
              },
            ];
      });
      return transaction(q, async (tx) => {
        let added = 0;
        for (const part of chunks(rows)) {
          const r = await tx
            .insertInto('interest_texts')
            .values(part)
            .onConflict((oc) => oc.columns(['user_id', 'title_key']).doNothing())
            .executeTakeFirst();
          added += changed(r);
        }
        await tx
          .deleteFrom('interest_texts')
          .where('user_id', '=', userId)
          .where('id', 'not in', (eb) =>
            eb
              .selectFrom('interest_texts')
              .select('id')
              .where('user_id', '=', userId)
              .orderBy('id', 'desc')
              .limit(keep),
          )
          .execute();
        return added;
      });
    },
    async interestTexts(userId, limit) {
      return hot.interestTexts.all({ userId, limit });
    },
    async votedPapers(userId, limit) {
      return hot.votedPapers.all({ userId, limit });
    },
    async recordVisit(userId, previousOf) {
      const at = stamp();
      return transaction(q, async (tx) => {
        const row = await tx
          .selectFrom('foryou_visits')
          .select(['previous_at', 'last_at'])
          .where('user_id', '=', userId)
          // Two tabs of one reader: the second waits for the first on PostgreSQL; SQLite has one writer anyway.
          .$if(engine === 'postgres', (qb) => qb.forUpdate())
          .executeTakeFirst();
        const previous = previousOf(row ? { previousAt: row.previous_at, lastAt: row.last_at } : null, at);
        await tx
          .insertInto('foryou_visits')
          .values({ user_id: userId, previous_at: previous, last_at: at })
          .onConflict((oc) =>
            oc.column('user_id').doUpdateSet((eb) => ({
              previous_at: eb.ref('excluded.previous_at'),
              last_at: eb.ref('excluded.last_at'),
            })),
          )
          .execute();
        return previous;
      });
    },
    async candidates(from, to, limit) {
      const rows = await hot.candidates.all({ from, to, limit });
      return rows.map(toCandidate);
    },
    async windowPapers(from, to, limit) {
      // Up to a month of papers: column arrays, not an object per row (the select order is id, day, categories).
      const rows = (await hot.windowPapers.tuples({ from, to, limit })) as [string, string, string][];
      return rows.map(([id, day, cats]) => ({ id, day, categories: JSON.parse(cats) as string[] }));
    },
    async authorPapers(keys, from, to) {
      if (keys.length === 0) return [];
      return hot.authorPapers.all({ keys, from, to });
    },
    async matchPapers(refs) {
      const usable = (k: string | null): k is string => k !== null;
      const titleUsable = (k: string | null): k is string => k !== null && !k.startsWith('|');
      const byArxiv = await firstIdByKey('arxiv_id', [...new Set(refs.map((r) => r.arxivId).filter(usable))]);
      const byDoi = await firstIdByKey('doi', [...new Set(refs.map((r) => r.doi).filter(usable))]);
      const byTitle = await firstIdByKey('title_key', [
        ...new Set(refs.map((r) => r.titleKey).filter(titleUsable)),
      ]);
      return refs.map(
        (r) =>
          (r.arxivId !== null ? byArxiv.get(r.arxivId) : undefined) ??
          (r.doi !== null ? byDoi.get(r.doi) : undefined) ??
          (titleUsable(r.titleKey) ? byTitle.get(r.titleKey) : undefined) ??
          null,
      );
    },
  };
}
