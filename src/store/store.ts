// The store's public interface: repositories per aggregate, the same for every engine.
import type {
  ApiTokenInfo,
  EmailToken,
  ExternalId,
  IngestCounts,
  IngestRun,
  LibraryEntry,
  Paper,
  PaperInput,
  Rejection,
  Session,
  TagCount,
  UpsertOutcome,
  User,
} from '../domain/index.ts';

import type { ModelRepo, SettingsRepo, VectorRepo } from './vectors.ts';
import type { DigestRepo } from './digest.ts';
import type { DiscussionRepo } from './discussion.ts';
import type { ForYouRepo } from './foryou.ts';
import type { LeaseRepo } from './leases.ts';
import type { TopicRepo } from './topics.ts';
import type { CollectionRepo, ProfileRepo } from './collections.ts';
import type { EnrichmentRepo } from './enrichment.ts';

/** A change to a paper, in commit order; the search indexes follow this log. */
export interface PaperChange {
  seq: number;
  paperId: string;
  op: 'upsert' | 'delete';
}

export interface NewestQuery {
  limit: number;
  offset?: number;
  category?: string;
}

/** A record to store, with its own id in its source and where it came from (for merge reports). */
export interface UpsertRecord {
  paper: PaperInput;
  externalId: ExternalId | null;
  location: string | null;
}

/** What storing one record did. */
export interface UpsertResult {
  outcome: UpsertOutcome;
  /** The public id of the paper the record is now part of. */
  paperId: string;
  /** Set when the record merged into a paper another record made: matched by DOI or by corroborated title. */
  mergedBy: 'doi' | 'title' | null;
  /** For a merge: where the paper's first record came from (file:line), else the paper's id. */
  into: string | null;
}

export interface PaperRepo {
  /**
   * Inserts or merges each record in one transaction: matched by arXiv id, then DOI, then
   * same title with corroboration (see upsertRecords). With `dryRun` nothing is written.
   */
  upsertMany(inputs: readonly PaperInput[], opts?: { dryRun?: boolean }): Promise<UpsertOutcome[]>;
  /**
   * upsertMany for records that may carry their source's id: a record whose external id is stored updates
   * that paper; otherwise arXiv id, DOI, then a title match with corroboration (a shared author, or year and
   * venue; never the title alone). The external id is kept with the paper.
   */
  upsertRecords(records: readonly UpsertRecord[], opts?: { dryRun?: boolean }): Promise<UpsertResult[]>;
  /**
   * Before a bulk import (`wanted`: a big file): in a nearly empty store, drop the indexes no import reads and
   * build them in `finishBulkLoad`, true when it did. Also resumes (or, when not `wanted`, completes) a killed
   * bulk import's deferred indexes. PostgreSQL also drops the link tables' foreign keys and adds them back.
   */
  bulkLoad(wanted: boolean): Promise<boolean>;
  /** Builds the indexes `bulkLoad` deferred, one statement each, reporting each (seconds null: starting). */
  finishBulkLoad(
    onIndex?: (name: string, done: number, total: number, seconds: number | null) => void,
  ): Promise<void>;
  /** The paper holding an external id: "<source>:<id>" exactly, or a bare id from any source (oldest paper). */
  byExternalId(ref: string): Promise<Paper | null>;
  /** A paper's external ids, oldest first. */
  externalIds(paperId: string): Promise<ExternalId[]>;
  get(id: string): Promise<Paper | null>;
  getMany(ids: readonly string[]): Promise<Paper[]>;
  newest(q: NewestQuery): Promise<Paper[]>;
  count(): Promise<number>;
  /**
   * A number never below `count()`, read in a moment from the key index (the largest paper key; 0 when
   * empty), so a caller can skip the full count (seconds at millions of papers, cold) when even this bound
   * is below its threshold.
   */
  countUpperBound(): Promise<number>;
  delete(id: string): Promise<boolean>;
  /** The newest change's sequence number (0 when nothing changed yet). */
  latestChangeSeq(): Promise<number>;
  /** Changes after `seq`, oldest first, at most `limit`. */
  changesSince(seq: number, limit: number): Promise<PaperChange[]>;
  /** Every paper in stable order, in pages, for rebuilding derived indexes. */
  scan(pageSize: number): AsyncIterable<Paper[]>;
}

export interface IngestRunRepo {
  start(source: string): Promise<IngestRun>;
  /** Records progress so far; called after every committed batch. */
  progress(
    id: number,
    counts: IngestCounts,
    errors: readonly Rejection[],
    checkpoint: string | null,
  ): Promise<void>;
  finish(
    id: number,
    status: IngestRun['status'],
    counts: IngestCounts,
    errors: readonly Rejection[],
  ): Promise<void>;
  /** The latest run of a source when it did not finish (killed, interrupted or failed), else null. */
  lastUnfinished(source: string): Promise<IngestRun | null>;
  /** The latest finished ('done') run of a source before run `beforeId`, else null. */
  previousDone(source: string, beforeId: number): Promise<IngestRun | null>;
  recent(limit: number): Promise<IngestRun[]>;
  /** Marks runs left 'running' by a killed process as 'interrupted'; returns how many. */
  markStale(): Promise<number>;
}

export interface StoreStats {
  papers: number;
  authors: number;
  categories: number;
  newestDate: string | null;
  oldestDate: string | null;
  ingestRuns: number;
  schemaVersion: number;
  engine: 'sqlite' | 'postgres';
  location: string;
}

export interface Store {
  readonly papers: PaperRepo;
  readonly runs: IngestRunRepo;
  readonly vectors: VectorRepo;
  readonly models: ModelRepo;
  readonly settings: SettingsRepo;
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  readonly apiTokens: ApiTokenRepo;
  readonly emailTokens: EmailTokenRepo;
  readonly votes: VoteRepo;
  readonly library: LibraryRepo;
  readonly listings: ListingRepo;
  readonly digest: DigestRepo;
  readonly forYou: ForYouRepo;
  /** Job leases (scale-out issue): scheduled jobs run on one node at a time. */
  readonly leases: LeaseRepo;
  /** Topics (pictures issue): clusters of paper vectors and each paper's place on the map. */
  readonly topics: TopicRepo;
  /** Collections (community issue): readers' curated lists of papers with notes, and their upvotes. */
  readonly collections: CollectionRepo;
  /** Profiles (community issue): handles, the public upvote setting, who submitted which paper. */
  readonly profiles: ProfileRepo;
  /** Enrichment (enrichment issue): GitHub repository facts, model summaries, first-page thumbnails. */
  readonly enrichment: EnrichmentRepo;
  /** Discussion (community issue): comments, their votes and reports, notifications, suspensions. */
  readonly discussion: DiscussionRepo;
  stats(): Promise<StoreStats>;
  /**
   * For a long-running server (serve): moves SQLite's WAL checkpoints off this connection, whose automatic
   * checkpoint runs inside whichever write crosses its threshold, to a worker thread. Null where there is
   * nothing to move (PostgreSQL, an in-memory database). The CLI keeps the automatic checkpoint. `close` stops it.
   */
  checkpointInBackground(opts?: CheckpointOptions): BackgroundCheckpoints | null;
  close(): Promise<void>;
}

/** One PASSIVE checkpoint the background worker ran: SQLite's answer (frames in the WAL, frames copied). */
export interface CheckpointReport {
  /** A writer was in the way: not everything was copied (tried again later). */
  busy: boolean;
  walFrames: number;
  checkpointed: number;
  /** When it started (epoch ms) and how long it took. */
  startedAt: number;
  ms: number;
}

export interface CheckpointOptions {
  /** How often the worker looks for new writes, ms (default 200). */
  tickMs?: number;
  /** New frames are checkpointed at most this often, ms (default 1000)... */
  everyMs?: number;
  /** ...or at once when the WAL file is larger than this; also the size it is cut back to (default 16 MiB). */
  maxWalBytes?: number;
  /** Past this WAL size (writes that never pause), the connection checkpoints by itself again (256 MiB). */
  selfCheckpointAboveBytes?: number;
  onCheckpoint?: (r: CheckpointReport) => void;
  /** The worker failed; the connection then checkpoints by itself again. */
  onError?: (message: string) => void;
}

export interface BackgroundCheckpoints {
  /** Ends the worker (after a checkpoint in progress) and gives the connection its own checkpoints back. */
  stop(): Promise<void>;
}

export interface UserRepo {
  /** Creates an account; null when the e-mail address is taken. */
  create(email: string, name: string, passwordHash: string): Promise<User | null>;
  get(id: number): Promise<User | null>;
  /** The account and its password hash, for signing in. */
  byEmail(email: string): Promise<{ user: User; passwordHash: string } | null>;
  passwordHash(id: number): Promise<string | null>;
  setPassword(id: number, passwordHash: string): Promise<void>;
  /** False when another account has the address. */
  setEmail(id: number, email: string): Promise<boolean>;
  setName(id: number, name: string): Promise<void>;
  count(): Promise<number>;
  /** The salt in the reader's library feed keys ('' until first rotated); null for no such user. */
  feedSalt(id: number): Promise<string | null>;
  /** Replaces the salt, so every feed key made with the old one stops working. */
  setFeedSalt(id: number, salt: string): Promise<void>;
}

export interface SessionRepo {
  create(tokenHash: string, userId: number, expiresAt: string): Promise<void>;
  /** The live session and its user; expired ones read as null. */
  get(tokenHash: string): Promise<{ session: Session; user: User } | null>;
  extend(tokenHash: string, expiresAt: string): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  /** Deletes every session of a user except `keepHash`; returns how many. */
  deleteForUser(userId: number, keepHash?: string): Promise<number>;
  purgeExpired(): Promise<number>;
}

export interface ApiTokenRepo {
  create(userId: number, name: string, prefix: string, tokenHash: string): Promise<ApiTokenInfo>;
  list(userId: number): Promise<ApiTokenInfo[]>;
  revoke(userId: number, id: number): Promise<boolean>;
  /** Revokes every token of a user (password reset or change, signing out everywhere); returns how many. */
  revokeAll(userId: number): Promise<number>;
  /** The token's owner, recording the use. */
  use(tokenHash: string): Promise<User | null>;
}

export interface EmailTokenRepo {
  create(tokenHash: string, token: Omit<EmailToken, 'createdAt'>): Promise<void>;
  /** Marks the link used and returns it, once; used, expired or unknown links read as null. */
  consume(tokenHash: string): Promise<EmailToken | null>;
  /** Whether the link exists and can still be used (for showing its form). */
  peek(tokenHash: string): Promise<EmailToken | null>;
  /** Marks every unused link of `purpose` for the user used (one reset link used ends the others); returns how many. */
  consumeAll(userId: number, purpose: EmailToken['purpose']): Promise<number>;
  purgeExpired(): Promise<number>;
}

export interface VoteRepo {
  /** Sets or clears a user's vote; null when the paper is unknown. */
  set(
    userId: number,
    paperId: string,
    on: boolean,
    atMs: number,
  ): Promise<{ voted: boolean; count: number } | null>;
  counts(paperIds: readonly string[]): Promise<Map<string, number>>;
  votedBy(userId: number, paperIds: readonly string[]): Promise<Set<string>>;
  has(userId: number, paperId: string): Promise<boolean>;
}

export interface LibraryRepo {
  /** Saves (or re-tags) a paper; false when the paper is unknown. */
  save(userId: number, paperId: string, tags: readonly string[]): Promise<boolean>;
  /**
   * Saves many papers with the same tags in one transaction (an import: one commit instead of one per paper,
   * so the write-ahead log grows and is checkpointed far less often); returns the ids that were known.
   */
  saveMany(userId: number, paperIds: readonly string[], tags: readonly string[]): Promise<string[]>;
  remove(userId: number, paperId: string): Promise<boolean>;
  get(userId: number, paperId: string): Promise<LibraryEntry | null>;
  list(
    userId: number,
    q: { tag?: string; limit: number; offset: number },
  ): Promise<{ entries: LibraryEntry[]; total: number }>;
  tags(userId: number): Promise<TagCount[]>;
  savedAmong(userId: number, paperIds: readonly string[]): Promise<Set<string>>;
}

/** A date window [from, to) of YYYY-MM-DD days, optionally one category. */
export interface WindowQuery {
  from: string;
  to: string;
  category?: string;
}

export interface ListingRepo {
  /** Ids of the papers dated in the window: newest day first, then arXiv listing order. */
  windowIds(q: WindowQuery): Promise<string[]>;
  /** The votes on the window's papers, grouped by paper and hour: [paperId, hourStartMs, count]. */
  windowVotes(q: WindowQuery): Promise<(readonly [string, number, number])[]>;
  /** The latest day with papers on or before `day`, and the first day with papers after it. */
  neighbours(day: string): Promise<{ prev: string | null; next: string | null }>;
  latestDay(notAfter: string): Promise<string | null>;
  byAuthor(name: string, limit: number, offset: number): Promise<{ papers: Paper[]; total: number }>;
  byCategory(category: string, limit: number, offset: number): Promise<{ papers: Paper[]; total: number }>;
  /** A change counter that moves whenever papers or votes change (for caches). */
  version(): Promise<number>;
}
