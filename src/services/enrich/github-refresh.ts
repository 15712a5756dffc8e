// The GitHub enrichment job: which repositories are due, checked one by one and stored as they go (resumable).
import { isAppError } from '../../errors.ts';
import type { Paper } from '../../domain/index.ts';
import type { RepoFact } from '../../store/enrichment.ts';
import type { Store } from '../../store/store.ts';
import type { GithubClient } from './github-client.ts';
import { githubRepoOf } from './github-repo.ts';
import { enrichPaper } from './paper-enrichment.ts';

export interface GithubRefreshOptions {
  store: Store;
  client: GithubClient;
  now: () => Date;
  signal?: AbortSignal;
  /** Most repositories to check in this run (default: every one due). */
  limit?: number;
  /** A checked repository is due again after this many hours, while its newest paper is recent (default 20). */
  staleHours?: number;
  /** Papers newer than this many days keep their repositories refreshed daily (default 30). */
  recentDays?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GithubRefreshSummary {
  /** Repositories due before the run. */
  due: number;
  checked: number;
  updated: number;
  unchanged: number;
  missing: number;
  failed: number;
  /** Why the run stopped early: GitHub's rate limit, the network, or an interrupt; null when it finished. */
  stopped: null | { reason: 'rate-limit' | 'network' | 'interrupted'; message: string };
}

/** Every GitHub repository the stored papers link to, with the date of the newest paper linking it. */
async function linkedRepos(store: Store): Promise<Map<string, string>> {
  const repos = new Map<string, string>();
  const dateOf = (p: Paper): string => (p.announced ?? p.published ?? p.createdAt).slice(0, 10);
  for await (const page of store.papers.scan(2000)) {
    for (const p of page) {
      for (const l of enrichPaper(p).links) {
        const repo = l.kind === 'code' ? githubRepoOf(l.url) : null;
        if (repo === null) continue;
        const d = dateOf(p);
        if ((repos.get(repo) ?? '') < d) repos.set(repo, d);
      }
    }
  }
  return repos;
}

/**
 * The repositories to check now: never checked first (newest papers first), then those checked more than
 * `staleHours` ago whose newest paper is recent.
 */
export async function dueRepos(
  store: Store,
  now: Date,
  staleHours: number,
  recentDays: number,
): Promise<{ repo: string; fact: RepoFact | null }[]> {
  const linked = await linkedRepos(store);
  const facts = new Map((await store.enrichment.repoFacts()).map((f) => [f.repo, f]));
  const staleBefore = new Date(now.getTime() - staleHours * 3_600_000).toISOString();
  const recentFrom = new Date(now.getTime() - recentDays * 86_400_000).toISOString().slice(0, 10);
  const fresh: [string, string][] = [];
  const stale: [string, string][] = [];
  for (const [repo, date] of linked) {
    const f = facts.get(repo);
    if (f === undefined) fresh.push([repo, date]);
    else if (f.checkedAt < staleBefore && date >= recentFrom) stale.push([repo, date]);
  }
  const byDate = (a: [string, string], b: [string, string]): number =>
    b[1].localeCompare(a[1]) || a[0].localeCompare(b[0]);
  return [...fresh.sort(byDate), ...stale.sort(byDate)].map(([repo]) => ({
    repo,
    fact: facts.get(repo) ?? null,
  }));
}

/**
 * Checks the due repositories one at a time, storing each answer at once, so an interrupted or rate-limited
 * run loses nothing and the next run continues with what is still due.
 */
export async function refreshGithub(opts: GithubRefreshOptions): Promise<GithubRefreshSummary> {
  const due = await dueRepos(opts.store, opts.now(), opts.staleHours ?? 20, opts.recentDays ?? 30);
  const todo = due.slice(0, opts.limit ?? due.length);
  const s: GithubRefreshSummary = {
    due: due.length,
    checked: 0,
    updated: 0,
    unchanged: 0,
    missing: 0,
    failed: 0,
    stopped: null,
  };
  const aborted = (): boolean => opts.signal?.aborted === true;
  opts.onProgress?.(0, todo.length);
  for (const { repo, fact } of todo) {
    if (aborted()) {
      s.stopped = { reason: 'interrupted', message: 'Interrupted; run again to continue.' };
      break;
    }
    let answer;
    try {
      answer = await opts.client.repo(repo, fact?.status === 'ok' ? fact.etag : null, opts.signal);
    } catch (err) {
      if (aborted()) {
        s.stopped = { reason: 'interrupted', message: 'Interrupted; run again to continue.' };
        break;
      }
      if (!isAppError(err) || (err.code !== 'RATE_LIMITED' && err.code !== 'NETWORK')) throw err;
      s.stopped = { reason: err.code === 'RATE_LIMITED' ? 'rate-limit' : 'network', message: err.message };
      break;
    }
    const at = opts.now();
    const checkedAt = at.toISOString();
    const day = checkedAt.slice(0, 10);
    if (answer.kind === 'ok') {
      s.updated++;
      const { stars, pushedAt, archived, etag } = answer;
      await opts.store.enrichment.putRepoFact(
        { repo, status: 'ok', stars, pushedAt, archived, etag, checkedAt },
        day,
      );
    } else if (answer.kind === 'unchanged' && fact !== null) {
      s.unchanged++;
      await opts.store.enrichment.putRepoFact({ ...fact, checkedAt }, day);
    } else if (answer.kind === 'missing') {
      s.missing++;
      const gone = { repo, status: 'missing' as const, stars: null, pushedAt: null, archived: false };
      await opts.store.enrichment.putRepoFact({ ...gone, etag: null, checkedAt }, day);
    } else {
      s.failed++;
      // Keep the last good facts on a failed check: a 502 today does not make yesterday's stars wrong.
      const kept = fact ?? {
        repo,
        status: 'error' as const,
        stars: null,
        pushedAt: null,
        archived: false,
        etag: null,
      };
      await opts.store.enrichment.putRepoFact({ ...kept, checkedAt }, day);
    }
    s.checked++;
    opts.onProgress?.(s.checked, todo.length);
  }
  return s;
}
