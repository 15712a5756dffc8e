// Store interface for topics: clusters of paper vectors with their names, map geometry, and each paper's place.

/** A topic as stored: its name, terms, most central papers and the geometry that places new papers. */
export interface StoredTopic {
  id: number;
  label: string;
  terms: { term: string; weight: number }[];
  /** Most central papers first (highest cosine to the centroid). */
  central: string[];
  /** Centre and disc radius on the map. */
  x: number;
  y: number;
  radius: number;
  /** The unit centroid (dim floats) then two unit axes of spread (dim floats each). */
  geometry: Float32Array;
  spread: [number, number];
}

/** A topic as listed, with its live size (papers assigned now). */
export interface TopicSummary extends StoredTopic {
  size: number;
}

/** One paper's topic and map position. */
export interface PaperPoint {
  paperId: string;
  topicId: number;
  x: number;
  y: number;
  /** Cosine to the topic's centroid. */
  similarity: number;
}

/** A point with the paper's date (sort date, YYYY-MM-DD), for charts and the map. */
export interface DatedPoint extends PaperPoint {
  date: string;
}

export interface TopicRepo {
  /** Replaces every topic and every paper's place in one transaction (a full recompute). */
  replaceAll(model: string, topics: readonly StoredTopic[], points: readonly PaperPoint[]): Promise<void>;
  /** Adds or moves papers' places (incremental assignment of new papers). */
  putPoints(points: readonly PaperPoint[]): Promise<void>;
  /** Every topic with its size, by id; empty before the first `paperboy topics`. */
  list(): Promise<TopicSummary[]>;
  /** The model whose vectors the topics were computed from; null before the first run. */
  model(): Promise<string | null>;
  /** Every placed paper that is still in the store, with its date, in paper id order. */
  points(): Promise<DatedPoint[]>;
  /** One paper's place, or null. */
  point(paperId: string): Promise<PaperPoint | null>;
  /** Papers of these topics dated in [from, to) (YYYY-MM-DD, the papers' sort date), for follows. */
  members(
    topicIds: readonly number[],
    from: string,
    to: string,
  ): Promise<{ paperId: string; topicId: number }[]>;
}
