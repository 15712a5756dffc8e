// Topics and each paper's topic and map position, written once for both engines.
import { sql } from 'kysely';
import { vectorToBytes } from '../rows/vector-rows.ts';
import { toPoint, toTopic } from '../rows/topic-rows.ts';
import type { PaperPoint, TopicRepo } from '../topics.ts';
import { arg, inIntList, transaction, type QueryDb, type Queryable } from '../kysely/query-db.ts';

/** Rows per multi-row insert: 5 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535. */
const BATCH = 2000;

async function putPoints(d: Queryable, points: readonly PaperPoint[]): Promise<void> {
  for (let i = 0; i < points.length; i += BATCH) {
    const rows = points.slice(i, i + BATCH).map((p) => ({
      paper_id: p.paperId,
      topic_id: p.topicId,
      x: p.x,
      y: p.y,
      similarity: p.similarity,
    }));
    await d
      .insertInto('paper_topics')
      .values(rows)
      .onConflict((oc) =>
        oc.column('paper_id').doUpdateSet((eb) => ({
          topic_id: eb.ref('excluded.topic_id'),
          x: eb.ref('excluded.x'),
          y: eb.ref('excluded.y'),
          similarity: eb.ref('excluded.similarity'),
        })),
      )
      .execute();
  }
}

/**
 * Creates the topic repository.
 */
export function createTopicRepo(q: QueryDb): TopicRepo {
  const { db } = q;
  // Read for every For-you feed and digest with topic follows: compiled once (QueryDb.prepare).
  const members = q.prepare((d) =>
    d
      .selectFrom('paper_topics as t')
      .innerJoin('papers as p', 'p.id', 't.paper_id')
      .select(['t.paper_id', 't.topic_id'])
      .where(inIntList(q.engine, 't.topic_id', arg<number[]>('topicIds')))
      .where('p.sort_date', '>=', arg<string>('from'))
      .where('p.sort_date', '<', arg<string>('to'))
      .orderBy('t.paper_id'),
  );
  return {
    async replaceAll(model, topics, points) {
      await transaction(q, async (tx) => {
        await tx.deleteFrom('paper_topics').execute();
        await tx.deleteFrom('topics').execute();
        for (const t of topics)
          await tx
            .insertInto('topics')
            .values({
              id: t.id,
              model,
              label: t.label,
              terms: JSON.stringify(t.terms),
              central: JSON.stringify(t.central),
              x: t.x,
              y: t.y,
              radius: t.radius,
              geometry: vectorToBytes(t.geometry),
              spread_a: t.spread[0],
              spread_b: t.spread[1],
            })
            .execute();
        await putPoints(tx, points);
      });
    },
    async putPoints(points) {
      await transaction(q, (tx) => putPoints(tx, points));
    },
    async list() {
      const rows = await db
        .selectFrom('topics as t')
        .select([
          't.id',
          't.label',
          't.terms',
          't.central',
          't.x',
          't.y',
          't.radius',
          't.geometry',
          't.spread_a',
          't.spread_b',
          (eb) =>
            eb
              .selectFrom('paper_topics as p')
              .innerJoin('papers', 'papers.id', 'p.paper_id')
              .select((c) => c.fn.countAll<number>().as('n'))
              .whereRef('p.topic_id', '=', 't.id')
              .as('size'),
        ])
        .orderBy('t.id')
        .execute();
      return rows.map((r) => toTopic({ ...r, size: r.size ?? 0 }));
    },
    async model() {
      return (await db.selectFrom('topics').select('model').limit(1).executeTakeFirst())?.model ?? null;
    },
    async points() {
      const rows = await db
        .selectFrom('paper_topics as p')
        .innerJoin('papers', 'papers.id', 'p.paper_id')
        .select(['p.paper_id', 'p.topic_id', 'p.x', 'p.y', 'p.similarity', 'papers.sort_date as date'])
        .orderBy('p.paper_id')
        .execute();
      return rows.map(toPoint);
    },
    async point(paperId) {
      const r = await db
        .selectFrom('paper_topics')
        .select(['paper_id', 'topic_id', 'x', 'y', 'similarity', sql<string>`''`.as('date')])
        .where('paper_id', '=', paperId)
        .executeTakeFirst();
      return r ? toPoint(r) : null;
    },
    async members(topicIds, from, to) {
      if (topicIds.length === 0) return [];
      const rows = await members.all({ topicIds, from, to });
      return rows.map((r) => ({ paperId: r.paper_id, topicId: Number(r.topic_id) }));
    },
  };
}
