// The tables as Kysely sees them: one typed schema for both engines, so a misspelt column fails to compile.
import type { Generated } from 'kysely';

// Timestamps are ISO-8601 text and JSON is text on both engines (see the migrations), so both stay strings
// here; 64-bit keys and counts come back as numbers (the pg pool parses int8, SQLite returns numbers).

export interface PapersTable {
  pk: Generated<number>;
  id: string;
  arxiv_id: string | null;
  version: number | null;
  doi: string | null;
  title: string;
  title_key: string;
  abstract: string;
  authors: string;
  categories: string;
  primary_category: string | null;
  published: string | null;
  updated: string | null;
  announced: string | null;
  sort_date: string;
  comment: string | null;
  journal_ref: string | null;
  license: string | null;
  abs_url: string | null;
  pdf_url: string | null;
  content_hash: string;
  created_at: string;
  modified_at: string;
}

export interface AuthorsTable {
  pk: Generated<number>;
  name: string;
  name_key: string;
}

export interface PaperAuthorsTable {
  paper_pk: number;
  position: number;
  author_pk: number;
}

export interface PaperCategoriesTable {
  category: string;
  paper_pk: number;
}

export interface IngestRunsTable {
  id: Generated<number>;
  source: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  added: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  errors: Generated<string>;
  checkpoint: string | null;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: Generated<string>;
  password_hash: string;
  created_at: string;
  updated_at: string;
  feed_salt: Generated<string>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface EmailTokensTable {
  token_hash: string;
  purpose: 'signup' | 'reset' | 'email-change';
  email: string;
  user_id: number | null;
  payload: Generated<string>;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface VotesTable {
  user_id: number;
  paper_pk: number;
  cast_ms: number;
}

export interface LibraryTable {
  user_id: number;
  paper_pk: number;
  tags: Generated<string>;
  saved_at: string;
}

export interface LibraryTagsTable {
  user_id: number;
  tag: string;
  paper_pk: number;
}

export interface FollowsTable {
  user_id: number;
  kind: 'author' | 'category' | 'topic';
  target: string;
  label: string;
  created_at: string;
}

export interface SavedSearchesTable {
  id: Generated<number>;
  user_id: number;
  query: string;
  created_at: string;
}

export interface NotInterestedTable {
  user_id: number;
  kind: 'paper' | 'author';
  target: string;
  label: string;
  created_at: string;
}

export interface SeenPapersTable {
  user_id: number;
  paper_id: string;
  seen_at: string;
}

export interface InterestTextsTable {
  id: Generated<number>;
  user_id: number;
  title: string;
  title_key: string;
  abstract: string;
  source: string;
  created_at: string;
}

export interface ForYouVisitsTable {
  user_id: number;
  previous_at: string | null;
  last_at: string;
}

export interface DigestSubscriptionsTable {
  id: Generated<number>;
  email: string;
  user_id: number | null;
  status: 'pending' | 'active' | 'unsubscribed' | 'bouncing';
  confirm_hash: string | null;
  frequency: Generated<'daily' | 'weekly'>;
  send_hour: Generated<number>;
  time_zone: Generated<string>;
  weekday: Generated<number>;
  sections: Generated<string>;
  max_papers: Generated<number>;
  created_at: string;
  token_at: string;
  confirmed_at: string | null;
  updated_at: string;
}

export interface DigestOutboxTable {
  id: Generated<number>;
  subscription_id: number;
  digest_date: string;
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'bounced' | 'skipped';
  message_id: string;
  content: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_until: string | null;
  owner: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface DigestAttemptsTable {
  id: Generated<number>;
  outbox_id: number;
  attempt: number;
  at: string;
  outcome: 'sent' | 'transient' | 'permanent';
  smtp_code: number | null;
  detail: Generated<string>;
}

export interface DigestSentPapersTable {
  subscription_id: number;
  paper_id: string;
  digest_date: string;
}

export interface TopicsTable {
  id: number;
  model: string;
  label: string;
  terms: string;
  central: string;
  x: number;
  y: number;
  radius: number;
  geometry: Buffer;
  spread_a: number;
  spread_b: number;
}

export interface PaperTopicsTable {
  paper_id: string;
  topic_id: number;
  x: number;
  y: number;
  similarity: number;
}

export interface ModelsTable {
  name: string;
  kind: string;
  created_at: string;
  info: Generated<string>;
  data: Buffer;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface JobLeasesTable {
  name: string;
  holder: string;
  lease_until: string;
  acquired_at: string;
}

export interface ProfilesTable {
  user_id: number;
  handle: string;
  handle_key: string;
  /** 0 or 1 on both engines (an integer column with a CHECK). */
  show_upvotes: Generated<number>;
  updated_at: string;
}

export interface PaperSubmissionsTable {
  paper_pk: number;
  user_id: number;
  submitted_at: string;
}

export interface RepoFactsTable {
  repo: string;
  status: string;
  stars: number | null;
  pushed_at: string | null;
  archived: Generated<number>;
  etag: string | null;
  checked_at: string;
}

export interface RepoStarDaysTable {
  repo: string;
  day: string;
  stars: number;
}

export interface PaperSummariesTable {
  paper_id: string;
  model: string;
  prompt_version: string;
  text: string | null;
  error: string | null;
  created_at: string;
}

export interface PaperThumbnailsTable {
  paper_id: string;
  /** BLOB on SQLite, bytea on PostgreSQL: a Buffer either way. */
  image: Uint8Array | null;
  width: number | null;
  height: number | null;
  error: string | null;
  created_at: string;
}

export interface CommentsTable {
  id: Generated<number>;
  paper_pk: number;
  user_id: number;
  parent_id: number | null;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
}

export interface CommentVotesTable {
  user_id: number;
  comment_id: number;
  cast_ms: number;
}

export interface CommentReportsTable {
  id: Generated<number>;
  comment_id: number;
  user_id: number;
  reason: string;
  created_at: string;
  resolved_at: string | null;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: 'reply' | 'library';
  comment_id: number;
  created_at: string;
  read_at: string | null;
}

export interface AccountSuspensionsTable {
  user_id: number;
  suspended_by: number | null;
  created_at: string;
}

export interface CollectionsTable {
  id: Generated<number>;
  slug: string;
  user_id: number;
  title: string;
  description: Generated<string>;
  /** 0 or 1 on both engines (an integer column with a CHECK). */
  public: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface CollectionPapersTable {
  collection_id: number;
  paper_pk: number;
  position: number;
  note: Generated<string>;
  added_at: string;
}

export interface CollectionVotesTable {
  collection_id: number;
  user_id: number;
  cast_at: string;
}

/** Every table the shared repositories query, by its name in both schemas. */
export interface Database {
  papers: PapersTable;
  authors: AuthorsTable;
  paper_authors: PaperAuthorsTable;
  paper_categories: PaperCategoriesTable;
  ingest_runs: IngestRunsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  email_tokens: EmailTokensTable;
  votes: VotesTable;
  library: LibraryTable;
  library_tags: LibraryTagsTable;
  follows: FollowsTable;
  saved_searches: SavedSearchesTable;
  not_interested: NotInterestedTable;
  seen_papers: SeenPapersTable;
  interest_texts: InterestTextsTable;
  foryou_visits: ForYouVisitsTable;
  digest_subscriptions: DigestSubscriptionsTable;
  digest_outbox: DigestOutboxTable;
  digest_attempts: DigestAttemptsTable;
  digest_sent_papers: DigestSentPapersTable;
  topics: TopicsTable;
  paper_topics: PaperTopicsTable;
  models: ModelsTable;
  settings: SettingsTable;
  job_leases: JobLeasesTable;
  profiles: ProfilesTable;
  paper_submissions: PaperSubmissionsTable;
  repo_facts: RepoFactsTable;
  repo_star_days: RepoStarDaysTable;
  paper_summaries: PaperSummariesTable;
  paper_thumbnails: PaperThumbnailsTable;
  comments: CommentsTable;
  comment_votes: CommentVotesTable;
  comment_reports: CommentReportsTable;
  notifications: NotificationsTable;
  account_suspensions: AccountSuspensionsTable;
  collections: CollectionsTable;
  collection_papers: CollectionPapersTable;
  collection_votes: CollectionVotesTable;
}
