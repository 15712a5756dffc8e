// SQLite repository for topics and each paper's topic and map position.
import { vectorToBytes } from '../rows/vector-rows.ts';
import { toPoint, toTopic, type PointRow, type TopicRow } from '../rows/topic-rows.ts';
import type { PaperPoint, StoredTopic, TopicRepo } from '../topics.ts';
import type { SqliteDb } from './open.ts';

/**
 * Creates the topic repository.
 */
export function createSqliteTopicRepo(db: SqliteDb): TopicRepo {
  const q = {
    insertTopic: db.prepare(
      `INSERT INTO topics (id, model, label, terms, central, x, y, radius, geometry, spread_a, spread_b)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    putPoint: db.prepare(
      `INSERT INTO paper_topics (paper_id, topic_id, x, y, similarity) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (paper_id) DO UPDATE SET topic_id = excluded.topic_id, x = excluded.x, y = excluded.y,
         similarity = excluded.similarity`,
    ),
    list: db.prepare<[], TopicRow>(
      `SELECT t.id, t.label, t.terms, t.central, t.x, t.y, t.radius, t.geometry, t.spread_a, t.spread_b,
              (SELECT count(*) FROM paper_topics p JOIN papers ON papers.id = p.paper_id
                WHERE p.topic_id = t.id) AS size
       FROM topics t ORDER BY t.id`,
    ),
    model: db.prepare<[], { model: string }>('SELECT model FROM topics LIMIT 1'),
    points: db.prepare<[], PointRow>(
      `SELECT p.paper_id, p.topic_id, p.x, p.y, p.similarity, papers.sort_date AS date
       FROM paper_topics p JOIN papers ON papers.id = p.paper_id ORDER BY p.paper_id`,
    ),
    point: db.prepare<[string], PointRow>(
      `SELECT paper_id, topic_id, x, y, similarity, '' AS date FROM paper_topics WHERE paper_id = ?`,
    ),
  };
  const putPoints = (points: readonly PaperPoint[]): void => {
    for (const p of points) q.putPoint.run(p.paperId, p.topicId, p.x, p.y, p.similarity);
  };
  const replaceTx = db.transaction(
    (model: string, topics: readonly StoredTopic[], points: readonly PaperPoint[]) => {
      db.prepare('DELETE FROM paper_topics').run();
      db.prepare('DELETE FROM topics').run();
      for (const t of topics)
        q.insertTopic.run(
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
        );
      putPoints(points);
    },
  );
  const putTx = db.transaction(putPoints);
  return {
    async replaceAll(model, topics, points) {
      replaceTx(model, topics, points);
    },
    async putPoints(points) {
      putTx(points);
    },
    async list() {
      return q.list.all().map(toTopic);
    },
    async model() {
      return q.model.get()?.model ?? null;
    },
    async points() {
      return q.points.all().map(toPoint);
    },
    async point(paperId) {
      const r = q.point.get(paperId);
      return r ? toPoint(r) : null;
    },
    async members(topicIds, from, to) {
      if (topicIds.length === 0) return [];
      const rows = db
        .prepare<unknown[], { paper_id: string; topic_id: number }>(
          `SELECT t.paper_id, t.topic_id FROM paper_topics t JOIN papers p ON p.id = t.paper_id
           WHERE t.topic_id IN (${topicIds.map(() => '?').join(',')}) AND p.sort_date >= ? AND p.sort_date < ?
           ORDER BY t.paper_id`,
        )
        .all(...topicIds, from, to);
      return rows.map((r) => ({ paperId: r.paper_id, topicId: r.topic_id }));
    },
  };
}
