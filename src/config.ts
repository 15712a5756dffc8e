// One validated configuration from environment variables and an optional JSON config file.
// Every bad value is reported at once, with the variable name and what is expected.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { normalMailAddress } from './domain/mail-address.ts';
import { AppError } from './errors.ts';
import { DEFAULT_FUSION } from './rank/hybrid.ts';

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), {
    message: 'expected true or false',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** Trusted proxy hops: true/false words (one hop or none) or a count. */
const proxyHops = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (v) =>
      /^\d{1,2}$/.test(v)
        ? Number(v) <= 16
        : ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v),
    {
      message: 'expected false, true (one proxy) or the number of proxies in front of serve, 0–16',
    },
  )
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : ['true', 'yes', 'on'].includes(v) ? 1 : 0));

const categoryList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c.length > 0),
  )
  .refine((cats) => cats.every((c) => /^[a-z-]+(\.[A-Za-z-]+)?$/.test(c)), {
    message: 'expected comma-separated arXiv categories such as cs.CL,cs.LG',
  });

const secret = z.string().refine((v) => v === '' || v.length >= 32, {
  message: 'must be at least 32 characters; generate one with `openssl rand -hex 32` (or leave it unset)',
});

const baseUrl = z
  .string()
  .trim()
  .refine((v) => v === '' || /^https?:\/\/[^/\s]+$/.test(v.replace(/\/+$/, '')), {
    message: 'expected the site origin such as https://papers.example.org (no path), or nothing',
  })
  .transform((v) => v.replace(/\/+$/, ''));

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:/.test(u), { message: 'expected an http(s) URL' });

const optionalWeight = z
  .string()
  .trim()
  .refine((v) => v === '' || (/^\d*\.?\d+$/.test(v) && Number(v) <= 1), {
    message: 'expected a number from 0 to 1, or nothing',
  })
  .transform((v) => (v === '' ? null : Number(v)));

/** Each variable: its schema, default and a one-line description (README lists them from here). */
export const CONFIG_VARIABLES = {
  DATABASE_URL: {
    schema: z.string().min(1),
    default: './data/paperboy.db',
    doc: 'SQLite file path or sqlite: URL',
  },
  HOST: { schema: z.string().min(1), default: '127.0.0.1', doc: 'address serve listens on' },
  PORT: {
    schema: z.coerce.number().int().min(0).max(65535),
    default: '8080',
    doc: 'port serve listens on (0 = any free port)',
  },
  LOG_LEVEL: {
    schema: z.enum(['debug', 'info', 'warn', 'error', 'silent']),
    default: 'info',
    doc: 'log verbosity',
  },
  PAPERBOY_CATEGORIES: {
    schema: categoryList,
    default: 'cs.AI,cs.CL,cs.CV,cs.LG',
    doc: 'arXiv categories serve harvests',
  },
  PAPERBOY_HARVEST: { schema: bool, default: 'true', doc: 'serve harvests on first start and then daily' },
  PAPERBOY_HARVEST_HOUR_UTC: {
    schema: z.coerce.number().int().min(0).max(23),
    default: '2',
    doc: 'hour (UTC) of the daily harvest',
  },
  TOPICS_RECOMPUTE_DAYS: {
    schema: z.coerce.number().int().min(0).max(365),
    default: '7',
    doc: 'days between the full topic recomputes serve runs (0 = never; `paperboy topics` by hand)',
  },
  TOPICS_RECOMPUTE_HOUR_UTC: {
    schema: z.coerce.number().int().min(0).max(23),
    default: '3',
    doc: 'hour (UTC) at which a due topic recompute starts',
  },
  PAPERBOY_HARVEST_DAYS: {
    schema: z.coerce.number().int().min(1).max(365),
    default: '7',
    doc: 'days back the first harvest reaches',
  },
  PAPERBOY_BULK_IMPORT_MB: {
    schema: z.coerce.number().min(0),
    default: '64',
    doc: '`ingest` of a file at least this big into a store of under 10,000 papers builds its author indexes at the end',
  },
  ARXIV_API_URL: {
    schema: httpUrl,
    default: 'https://export.arxiv.org/api/query',
    doc: 'arXiv export API endpoint',
  },
  ARXIV_OAI_URL: { schema: httpUrl, default: 'https://oaipmh.arxiv.org/oai', doc: 'arXiv OAI-PMH endpoint' },
  ARXIV_RSS_URL: {
    schema: httpUrl,
    default: 'https://rss.arxiv.org/atom',
    doc: 'arXiv daily listing feed base',
  },
  ARXIV_RETRIES: {
    schema: z.coerce.number().int().min(0).max(20),
    default: '5',
    doc: 'retries of a failed arXiv request (429/5xx/network)',
  },
  ARXIV_DELAY_MS: {
    schema: z.coerce.number().int().min(0).max(600_000),
    default: '3000',
    doc: 'minimum gap between arXiv requests',
  },
  EMBEDDER: {
    schema: z.enum(['auto', 'static', 'use-lite', 'http', 'onnx', 'none']),
    default: 'auto',
    doc: 'semantic model: auto (the trained static model once `paperboy train` ran), static, use-lite, http, onnx or none',
  },
  EMBEDDER_URL: {
    schema: z.string().trim(),
    default: '',
    doc: 'base URL of an OpenAI-compatible embeddings API (EMBEDDER=http), e.g. http://127.0.0.1:8000/v1',
  },
  EMBEDDER_MODEL: {
    schema: z.string().trim(),
    default: '',
    doc: 'model name sent to the embeddings API (EMBEDDER=http)',
  },
  EMBEDDER_API_KEY: {
    schema: z.string(),
    default: '',
    doc: 'bearer key for the embeddings API (EMBEDDER=http), if it needs one',
  },
  EMBEDDER_DIMENSION: {
    schema: z.coerce.number().int().min(0).max(8192),
    default: '0',
    doc: 'vector size the embeddings API returns (0 = learn it from the first answer)',
  },
  EMBEDDER_ONNX_DIR: {
    schema: z.string().trim(),
    default: '',
    doc: 'folder with model.onnx and vocab.txt (EMBEDDER=onnx)',
  },
  PAPERBOY_AUTO_TRAIN_PAPERS: {
    schema: z.coerce.number().int().min(0).max(100_000_000),
    default: '2000',
    doc: 'with EMBEDDER=auto, serve trains the semantic model by itself once the store holds this many papers (0 = only `paperboy train`)',
  },
  PAPERBOY_RETRAIN_GROWTH: {
    schema: z.coerce.number().min(1.1).max(100),
    default: '1.5',
    doc: 'serve retrains the model when the store holds this many times the papers the active model learned from (1.1–100)',
  },
  SEARCH_SEMANTIC_WEIGHT: {
    schema: optionalWeight,
    default: '',
    doc: 'share of the semantic score in hybrid ranking, 0–1 (empty = the tuned default)',
  },
  SEARCH_TOKEN_MATCH: {
    schema: optionalWeight,
    default: '',
    doc: 'share of the token-match rerank of the hybrid top 20, 0–1 (empty = the tuned 0.4; 0 turns it off)',
  },
  SEARCH_DEPTH: {
    schema: z.coerce.number().int().min(10).max(2000),
    default: String(DEFAULT_FUSION.depth),
    doc: 'candidates each retriever contributes before fusing',
  },
  SEARCH_SPLIT_THREAD: {
    schema: bool,
    default: 'true',
    doc: 'serve answers lexical searches over long posting lists on two threads: a helper thread opens the lexical snapshot and searches half of the papers (same answers; off: one thread)',
  },
  VECTOR_APPROXIMATE_ABOVE: {
    schema: z.coerce.number().int().min(0),
    default: '10000',
    doc: 'vector count above which search uses the HNSW index instead of exact scan',
  },
  VECTOR_GRAPH_LAYOUT_ABOVE: {
    schema: z.coerce.number().int().min(0),
    default: '100000',
    doc: 'HNSW graph size from which `reindex`, `train` and `embed` rewrite the saved graph file with nodes in neighbourhood order (same answers; fewer pages read per search once mapped); 0 = always',
  },
  INDEX_POSTINGS_CACHE_MIB: {
    schema: z.coerce.number().int().min(0).max(65536),
    default: '256',
    doc: 'MiB of lexical posting lists kept in memory after being read from the snapshot file, most recently used first (0 = read each from the file every time)',
  },
  INDEX_SNAPSHOT_SECONDS: {
    schema: z.coerce.number().int().min(1).max(86400),
    default: '300',
    doc: "seconds between serve's search index snapshots while papers or vectors change (one more at exit); a snapshot makes the next start fast, and past the changes a restart should replay serve writes the lexical file anew on a worker thread",
  },
  INDEX_PAIR_SIGNATURES_MIB: {
    schema: z.coerce.number().int().min(1).max(65536),
    default: '64',
    doc: 'MiB of phrase pair signatures held (128 bytes a paper; past this, papers share slots and a phrase check reads the paper instead)',
  },
  INDEX_BUILD_MEMORY_MIB: {
    schema: z.coerce.number().int().min(1).max(65536),
    default: '256',
    doc: "MiB of postings `reindex` buffers before writing a sorted run to a temporary file beside the snapshots (merged once at the end; bounds the lexical build's memory)",
  },
  LOOKUP_FILE_ABOVE: {
    schema: z.coerce.number().int().min(0),
    default: '500000',
    doc: 'papers above which serve answers spelling and suggestions from the lookup file `reindex` writes (lookup.bin) instead of building the tables in memory (0 = always from the file)',
  },
  LOOKUP_WORKER: {
    schema: bool,
    default: 'false',
    doc: 'build and hold the spelling and suggestion tables on a worker thread with its own store connection (off: on the event loop in 8 ms slices)',
  },
  INDEX_DIR: {
    schema: z.string().trim(),
    default: '',
    doc: "folder for search index snapshots and the trained model's image (empty = beside a SQLite file as <file>.index; with PostgreSQL none, so each node rebuilds on start unless set)",
  },
  INDEX_SEED_DIR: {
    schema: z.string().trim(),
    default: '',
    doc: "another node's index folder (or a shared copy of one): when INDEX_DIR holds no snapshot at start, its current generation is linked or copied in instead of rebuilding every index from the store (PostgreSQL nodes)",
  },
  PAPERBOY_SECRET: {
    schema: secret,
    default: '',
    doc: 'secret for signed tokens; with SQLite generated into a file beside the database when unset; required with PostgreSQL',
  },
  PAPERBOY_BASE_URL: {
    schema: baseUrl,
    default: '',
    doc: 'public origin of the site, used in e-mailed links (unset: the address serve listens on, with a warning); https turns on Secure cookies',
  },
  PAPERBOY_MAIL_DIR: {
    schema: z.string(),
    default: '',
    doc: 'folder where development mail is written as .eml files (unset: logged)',
  },
  PAPERBOY_TRUST_PROXY: {
    schema: proxyHops,
    default: 'false',
    doc: 'reverse proxies in front of serve that append to X-Forwarded-For: false (none, use the socket address), true (one), or a count 0–16; the client address is the one the outermost trusted proxy added',
  },
  PAPERBOY_SESSION_DAYS: {
    schema: z.coerce.number().int().min(1).max(365),
    default: '30',
    doc: 'days a sign-in lasts without use',
  },
  SMTP_URL: {
    schema: z
      .string()
      .trim()
      .refine((v) => v === '' || /^smtps?:\/\/[^\s/]+/.test(v), {
        message: 'expected smtp://user:pass@host:587 or smtps://host:465, or nothing',
      }),
    default: '',
    doc: 'outgoing mail server for digests and site mail (empty = PAPERBOY_MAIL_DIR or the log)',
  },
  DIGEST_FROM: {
    schema: z
      .string()
      .trim()
      .refine((v) => !/[\r\n]/.test(v) && /^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(v), {
        message: 'expected an address such as "Paperboy <papers@example.org>"',
      }),
    default: 'Paperboy <paperboy@localhost>',
    doc: 'From address of digests and site mail',
  },
  DIGEST_SKIP_EMPTY: {
    schema: bool,
    default: 'true',
    doc: 'send no digest when nothing is new (no papers, no replies)',
  },
  DIGEST_RATE_PER_SECOND: {
    schema: z.coerce.number().int().min(0).max(10_000),
    default: '50',
    doc: 'most digests sent per second (0 = no limit)',
  },
  DIGEST_INTERVAL_SECONDS: {
    schema: z.coerce.number().int().min(1).max(3600),
    default: '60',
    doc: 'how often serve looks for digests that are due (1–3600 s)',
  },
  PAPERBOY_LEASE_SECONDS: {
    schema: z.coerce.number().int().min(2).max(3600),
    default: '120',
    doc: 'job lease length: how soon another node takes over a harvest, embedding or digest job of a node that died (2–3600 s)',
  },
  ADMIN_EMAILS: {
    schema: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((a) => a.trim().toLowerCase())
          .filter((a) => a.length > 0),
      )
      .refine((list) => list.every((a) => normalMailAddress(a) === a), {
        message:
          'expected comma-separated plain e-mail addresses such as ada@example.org,grace@example.org (ASCII, no spaces, quotes, colons or control characters)',
      }),
    default: '',
    doc: 'accounts (by e-mail address, comma-separated) that may open admin pages (empty = nobody)',
  },
  GITHUB_ENRICH: {
    schema: bool,
    default: 'false',
    doc: "fetch stars, last push and archived flag of papers' GitHub repositories (`paperboy enrich --github`, and daily in serve)",
  },
  GITHUB_API_URL: { schema: httpUrl, default: 'https://api.github.com', doc: 'GitHub REST API base' },
  GITHUB_TOKEN: {
    schema: z.string().trim(),
    default: '',
    doc: 'GitHub token (no scopes needed); raises the API limit from 60 to 5,000 requests an hour',
  },
  SUMMARIZER: {
    schema: z.enum(['extractive', 'http']),
    default: 'extractive',
    doc: 'TL;DR source: extractive (offline) or http (an OpenAI-compatible chat completions server, extractive as fallback)',
  },
  SUMMARIZER_URL: {
    schema: z
      .string()
      .trim()
      .refine((v) => v === '' || /^https?:\/\/[^\s]+$/.test(v), {
        message: 'expected an http(s) URL or nothing',
      }),
    default: '',
    doc: 'base URL of the chat completions API (SUMMARIZER=http), e.g. http://127.0.0.1:8000/v1',
  },
  SUMMARIZER_MODEL: { schema: z.string().trim(), default: '', doc: 'model name sent to the summarizer' },
  SUMMARIZER_API_KEY: {
    schema: z.string(),
    default: '',
    doc: 'bearer key for the summarizer, if it needs one',
  },
  SUMMARIZER_PROMPT_VERSION: {
    schema: z
      .string()
      .trim()
      .regex(/^[\w.-]{1,32}$/, 'expected a short name such as v1'),
    default: 'v1',
    doc: 'name of the prompt; a new name re-summarizes papers lazily (the extractive TL;DR shows until then)',
  },
  SUMMARIZER_DAILY_BUDGET: {
    schema: z.coerce.number().int().min(0).max(1_000_000),
    default: '500',
    doc: 'most summarizer requests per UTC day, over all nodes and runs (0 = none)',
  },
  SUMMARIZER_CONCURRENCY: {
    schema: z.coerce.number().int().min(1).max(32),
    default: '2',
    doc: 'summarizer requests in flight at once (1–32)',
  },
  SUMMARIZER_TIMEOUT_SECONDS: {
    schema: z.coerce.number().int().min(1).max(600),
    default: '60',
    doc: 'deadline of one summarizer answer, slow streams included (1–600 s)',
  },
  THUMBNAILS: {
    schema: bool,
    default: 'false',
    doc: "render the first page of papers' PDFs as card thumbnails (`paperboy thumbnails`, and in serve)",
  },
  THUMBNAIL_PDF_URL: {
    schema: z
      .string()
      .trim()
      .refine((v) => /^https?:\/\/\S+$/.test(v) && v.includes('{id}'), {
        message: 'expected an http(s) URL holding {id}, such as https://arxiv.org/pdf/{id}',
      }),
    default: 'https://arxiv.org/pdf/{id}',
    doc: "where a paper's PDF is fetched from; {id} is its arXiv id",
  },
  THUMBNAIL_DELAY_MS: {
    schema: z.coerce.number().int().min(0).max(600_000),
    default: '3000',
    doc: 'minimum gap between PDF downloads',
  },
  THUMBNAIL_MAX_PDF_MB: {
    schema: z.coerce.number().int().min(1).max(500),
    default: '25',
    doc: 'PDFs larger than this are not rendered (1–500 MB)',
  },
  PDFTOPPM_PATH: {
    schema: z.string().trim().min(1),
    default: '/usr/bin/pdftoppm',
    doc: 'the pdftoppm program (Debian poppler-utils) that renders thumbnails',
  },
} as const;

type Vars = typeof CONFIG_VARIABLES;
export type Config = { readonly [K in keyof Vars]: z.output<Vars[K]['schema']> };

/** Variables whose value is never printed, not even in part: a problem names the variable and the rule. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'PAPERBOY_SECRET',
  'EMBEDDER_API_KEY',
  'GITHUB_TOKEN',
  'SUMMARIZER_API_KEY',
]);

/**
 * A URL with its password (and any `password=` parameter) replaced by ***, for messages and logs. Everything
 * between `://` and the last `@` counts as credentials, so a password holding `@` or `/` is hidden whole.
 * @example redactUrl('postgres://app:hunter2@db:5432/pb') // 'postgres://app:***@db:5432/pb'
 */
export function redactUrl(value: string): string {
  let out = value.replace(/(password=)[^&#\s]*/gi, '$1***');
  const start = out.indexOf('://');
  const at = out.lastIndexOf('@');
  if (start >= 0 && at > start) {
    const user = out.slice(start + 3, at).split(':')[0] ?? '';
    out = `${out.slice(0, start + 3)}${user.slice(0, 64)}:***${out.slice(at)}`;
  }
  return out;
}

/** How a bad value is named in a problem: secrets by name only, URLs without their password. */
function shownValue(name: string, raw: string): string {
  if (SECRET_VARIABLES.has(name)) return `${name} (value not shown)`;
  return `${name}=${JSON.stringify(redactUrl(raw))}`;
}

/** Reads PAPERBOY_CONFIG (a JSON object of the same variable names) if set, else nothing. */
function readConfigFile(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string> {
  const path = env.PAPERBOY_CONFIG;
  if (path === undefined || path === '') return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      problems.push(`PAPERBOY_CONFIG ${path}: expected a JSON object of variable names to values`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (!(k in CONFIG_VARIABLES)) problems.push(`PAPERBOY_CONFIG ${path}: unknown setting "${k}"`);
      else out[k] = Array.isArray(v) ? v.join(',') : String(v);
    }
    return out;
  } catch (err) {
    // JSON.parse quotes the text around a syntax error, which may be a secret: say only where it is.
    const at = err instanceof SyntaxError ? /position \d+/.exec(err.message)?.[0] : undefined;
    const why =
      err instanceof SyntaxError
        ? `not valid JSON${at !== undefined ? ` (${at})` : ''}`
        : err instanceof Error
          ? err.message
          : String(err);
    problems.push(`PAPERBOY_CONFIG ${path}: ${why}`);
    return {};
  }
}

/**
 * Validates the environment (over the config file, over defaults) and throws one AppError
 * listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const file = readConfigFile(env, problems);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CONFIG_VARIABLES)) {
    const raw = env[name] ?? file[name] ?? spec.default;
    const result = spec.schema.safeParse(raw);
    if (result.success) out[name] = result.data;
    else problems.push(`${shownValue(name, raw)}: ${result.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `Invalid configuration (${problems.length} problem(s))`, problems);
  }
  return out as Config;
}
