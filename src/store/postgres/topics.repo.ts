// PostgreSQL repository for topics and each paper's topic and map position.
import { vectorToBytes } from '../rows/vector-rows.ts';
import { toPoint, toTopic, type PointRow, type TopicRow } from '../rows/topic-rows.ts';
import type { PaperPoint, TopicRepo } from '../topics.ts';
import { queryOne, queryRows, withTransaction, type PgQueryable, type PgDb } from './pg-db.ts';

/** Rows per multi-row insert (PostgreSQL takes at most 65,535 parameters per statement). */
const BATCH = 2000;

async function putPoints(c: PgQueryable, points: readonly PaperPoint[]): Promise<void> {
  for (let i = 0; i < points.length; i += BATCH) {
    const part = points.slice(i, i + BATCH);
    await c.query(
      `INSERT INTO paper_topics (paper_id, topic_id, x, y, similarity)
       SELECT * FROM unnest($1::text[], $2::int[], $3::float8[], $4::float8[], $5::float8[])
       ON CONFLICT (paper_id) DO UPDATE SET topic_id = excluded.topic_id, x = excluded.x, y = excluded.y,
         similarity = excluded.similarity`,
      [
        part.map((p) => p.paperId),
        part.map((p) => p.topicId),
        part.map((p) => p.x),
        part.map((p) => p.y),
        part.map((p) => p.similarity),
      ],
    );
  }
}

/**
 * Creates the topic repository.
 */
export function createPgTopicRepo(db: PgDb): TopicRepo {
  return {
    async replaceAll(model, topics, points) {
      await withTransaction(db, async (c) => {
        await c.query('DELETE FROM paper_topics');
        await c.query('DELETE FROM topics');
        for (const t of topics)
          await c.query(
            `INSERT INTO topics (id, model, label, terms, central, x, y, radius, geometry, spread_a, spread_b)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [
              t.id,
              model,
              t.label,
              JSON.stringify(t.terms),
              JSON.stringify(t.central),
              t.x,
              t.y,
              t.radius,
              vectorToBytes(t.geometry),
              t.spread[0],
              t.spread[1],
            ],
          );
        await putPoints(c, points);
      });
    },
    async putPoints(points) {
      await withTransaction(db, (c) => putPoints(c, points));
    },
    async list() {
      const rows = await queryRows<TopicRow>(
        db,
        `SELECT t.id, t.label, t.terms, t.central, t.x, t.y, t.radius, t.geometry, t.spread_a, t.spread_b,
                (SELECT count(*) FROM paper_topics p JOIN papers ON papers.id = p.paper_id
                  WHERE p.topic_id = t.id) AS size
         FROM topics t ORDER BY t.id`,
      );
      return rows.map(toTopic);
    },
    async model() {
      return (await queryOne<{ model: string }>(db, 'SELECT model FROM topics LIMIT 1'))?.model ?? null;
    },
    async points() {
      const rows = await queryRows<PointRow>(
        db,
        `SELECT p.paper_id, p.topic_id, p.x, p.y, p.similarity, papers.sort_date AS date
         FROM paper_topics p JOIN papers ON papers.id = p.paper_id ORDER BY p.paper_id`,
      );
      return rows.map(toPoint);
    },
    async point(paperId) {
      const r = await queryOne<PointRow>(
        db,
        `SELECT paper_id, topic_id, x, y, similarity, '' AS date FROM paper_topics WHERE paper_id = $1`,
        [paperId],
      );
      return r ? toPoint(r) : null;
    },
    async members(topicIds, from, to) {
      if (topicIds.length === 0) return [];
      const rows = await queryRows<{ paper_id: string; topic_id: number }>(
        db,
        `SELECT t.paper_id, t.topic_id FROM paper_topics t JOIN papers p ON p.id = t.paper_id
         WHERE t.topic_id = ANY($1::int[]) AND p.sort_date >= $2 AND p.sort_date < $3 ORDER BY t.paper_id`,
        [[...topicIds], from, to],
      );
      return rows.map((r) => ({ paperId: r.paper_id, topicId: Number(r.topic_id) }));
    },
  };
}
