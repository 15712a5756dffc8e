// Store interface for enrichment fetched from outside: GitHub repository facts, model summaries, thumbnails.

/** What the GitHub API said about one repository ("owner/name", lower-case) at its last check. */
export interface RepoFact {
  repo: string;
  /** ok: facts known; missing: 404/451 (deleted, private or blocked); error: the last check failed. */
  status: 'ok' | 'missing' | 'error';
  stars: number | null;
  pushedAt: string | null;
  archived: boolean;
  /** The ETag of the last 200, sent back as If-None-Match so an unchanged repository costs no quota. */
  etag: string | null;
  checkedAt: string;
}

/** One summary attempt: text when the model gave a usable answer, else the reason it was refused. */
export interface StoredSummary {
  paperId: string;
  model: string;
  promptVersion: string;
  text: string | null;
  error: string | null;
  createdAt: string;
}

/** A rendered first page (PNG), or the reason there is none. */
export interface StoredThumbnail {
  paperId: string;
  image: Uint8Array | null;
  width: number | null;
  height: number | null;
  error: string | null;
  createdAt: string;
}

export interface EnrichmentRepo {
  /** Every repository checked so far. */
  repoFacts(): Promise<RepoFact[]>;
  /** Stores a check's outcome; with stars, also the day's star count (for "stars gained this week"). */
  putRepoFact(fact: RepoFact, day: string): Promise<void>;
  /** Each repository's earliest star count on or after `day` (YYYY-MM-DD). */
  starsSince(day: string): Promise<Map<string, number>>;
  /** Usable summaries of one model and prompt version. */
  summaries(model: string, promptVersion: string): Promise<{ paperId: string; text: string }[]>;
  /** Papers with a usable summary, or a failed attempt at or after `failedSince` (ISO time), for this model and prompt. */
  summarizedIds(model: string, promptVersion: string, failedSince: string): Promise<Set<string>>;
  /** Stores one attempt (replacing an earlier one of the same paper, model and prompt version). */
  putSummary(s: StoredSummary): Promise<void>;
  /** Attempts (usable or not) made at or after `since` (ISO time), for the daily budget. */
  summaryAttemptsSince(since: string): Promise<number>;
  thumbnail(paperId: string): Promise<StoredThumbnail | null>;
  /** Papers with a stored thumbnail image. */
  thumbnailIds(): Promise<Set<string>>;
  /** Papers tried at all (an image or a recorded failure). */
  thumbnailTriedIds(): Promise<Set<string>>;
  putThumbnail(t: StoredThumbnail): Promise<void>;
}
