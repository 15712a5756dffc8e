// Column encodings of topics shared by the SQLite and PostgreSQL engines: JSON text for terms and central
// papers, float32 bytes for the geometry.
import type { PaperTopicsTable, TopicsTable } from '../kysely/database.ts';
import type { DatedPoint, TopicSummary } from '../topics.ts';
import { bytesToVector } from './vector-rows.ts';

/** One row of the topics table (as both engines store it) with its live size. */
export type TopicRow = Omit<TopicsTable, 'model'> & { size: number | string };

/** One paper's place on the map, with the paper's date. */
export type PointRow = PaperTopicsTable & { date: string };

/** A stored topic row as a summary. */
export function toTopic(r: TopicRow): TopicSummary {
  return {
    id: Number(r.id),
    label: r.label,
    terms: JSON.parse(r.terms) as TopicSummary['terms'],
    central: JSON.parse(r.central) as string[],
    x: Number(r.x),
    y: Number(r.y),
    radius: Number(r.radius),
    geometry: bytesToVector(r.geometry),
    spread: [Number(r.spread_a), Number(r.spread_b)],
    size: Number(r.size),
  };
}

/** A stored point row (date cut to the day). */
export function toPoint(r: PointRow): DatedPoint {
  return {
    paperId: r.paper_id,
    topicId: Number(r.topic_id),
    x: Number(r.x),
    y: Number(r.y),
    similarity: Number(r.similarity),
    date: String(r.date).slice(0, 10),
  };
}
