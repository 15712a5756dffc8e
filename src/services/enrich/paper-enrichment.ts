// A paper's derived extras (links and extractive TL;DR), computed from its stored fields and kept in a small cache.
import type { Paper } from '../../domain/index.ts';
import { extractPaperLinks, type PaperLink } from '../../ingest/paper-links.ts';
import { extractiveSummary, type PaperSummary } from '../../rank/extractive-summary.ts';
import { enrichmentOverlay } from './enrichment-overlay.ts';
import { githubRepoOf } from './github-repo.ts';

/** What surfaces show besides a paper's own fields. */
export interface PaperEnrichment {
  links: PaperLink[];
  summary: PaperSummary | null;
}

/** Enough for every card of a few busy pages; an entry is a few hundred bytes. */
const CACHE_ENTRIES = 5000;
const cache = new Map<string, PaperEnrichment>();

/**
 * The links and summary of a paper. Both are pure functions of the abstract, comment and journal reference,
 * so they are derived, not stored: a paper's new version (new modifiedAt) recomputes them, and improving the
 * extractor needs no backfill. Cached by id and modifiedAt (uncached, the summary is 43–46 µs an abstract once
 * compiled: docs/BENCHMARKS.md, "#23 per-request CPU around the search core").
 * @example enrichPaper(paper).links.filter((l) => l.kind === 'code')
 */
export function enrichPaper(p: Paper): PaperEnrichment {
  return withOverlay(p.id, derived(p));
}

/**
 * Adds what the background jobs found: stars on GitHub chips, a model summary in place of the extractive one.
 * Applied on every call (two map lookups), so a job's new results show without clearing the cache.
 */
function withOverlay(id: string, base: PaperEnrichment): PaperEnrichment {
  const o = enrichmentOverlay();
  if (o.repos.size === 0 && o.summaries.size === 0) return base;
  const text = o.summaries.get(id);
  const summary =
    text !== undefined && o.summaryModel !== null
      ? { text, kind: 'abstractive' as const, model: o.summaryModel }
      : base.summary;
  const links = o.repos.size === 0 ? base.links : base.links.map(withStars);
  return { links, summary };
}

function withStars(l: PaperLink): PaperLink {
  const repo = l.kind === 'code' ? githubRepoOf(l.url) : null;
  const badge = repo === null ? undefined : enrichmentOverlay().repos.get(repo);
  return badge === undefined ? l : { ...l, stars: badge.stars, archived: badge.archived };
}

function derived(p: Paper): PaperEnrichment {
  // The lengths guard against records built without a real modifiedAt (imports' previews, tests).
  const key = `${p.id}\n${p.modifiedAt}\n${p.abstract.length}\n${p.comment?.length ?? -1}\n${p.journalRef?.length ?? -1}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = { links: extractPaperLinks(p), summary: extractiveSummary(p.abstract) };
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

/** The link kinds a paper has, for the search index's `has:` filter. */
export function linkKinds(p: Pick<Paper, 'abstract' | 'comment' | 'journalRef'>): string[] {
  return [...new Set(extractPaperLinks(p).map((l) => l.kind))].filter((k) => k !== 'other');
}

/** A paper as the JSON API shows it: its fields plus `links` and `summary`. */
export function enrichedJson<T extends Paper>(p: T): T & PaperEnrichment {
  return { ...p, ...enrichPaper(p) };
}
