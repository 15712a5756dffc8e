// Use cases for reading papers: newest lists, single papers and store statistics.
import type { Paper } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { normalizeDoi, parseArxivId } from '../../ingest/normalize.ts';
import type { Store, StoreStats } from '../../store/store.ts';

export interface PapersService {
  newest(opts: { limit: number; offset?: number; category?: string }): Promise<Paper[]>;
  /**
   * A paper by public id, arXiv id with or without version, arxiv.org URL, DOI, or an external id kept at
   * ingest ("1234", "cacm.jsonl:1234", a BibTeX key); NOT_FOUND otherwise.
   */
  get(idOrUrl: string): Promise<Paper>;
  stats(): Promise<StoreStats>;
  /**
   * How many papers the store holds: counted again only after the store's paper change log moved (a count is a
   * full scan on PostgreSQL, 147 ms at 300k papers, and health checks and the background jobs ask often).
   */
  count(): Promise<number>;
}

/** A paper by DOI or by an id its source gave it, for references that are no public id. */
async function byOtherId(store: Store, raw: string): Promise<Paper | null> {
  if (raw === '' || raw.length > 300) return null;
  const doi = normalizeDoi(raw);
  return (doi !== null ? await store.papers.get(`doi:${doi}`) : null) ?? store.papers.byExternalId(raw);
}

/**
 * @example const papers = createPapersService(store); await papers.get('https://arxiv.org/abs/2503.11677v2');
 */
export function createPapersService(store: Store): PapersService {
  let counted: { seq: number; n: number } | null = null;
  return {
    async newest(opts) {
      const limit = Math.min(Math.max(1, Math.floor(opts.limit)), 500);
      return store.papers.newest({ ...opts, limit });
    },
    async get(idOrUrl) {
      const raw = idOrUrl.trim();
      const id = parseArxivId(raw)?.id ?? raw;
      const paper = (await store.papers.get(id)) ?? (await byOtherId(store, raw));
      if (!paper)
        throw new AppError(
          'NOT_FOUND',
          `No paper "${raw.slice(0, 100)}" in this store; ingest or harvest it first.`,
        );
      return paper;
    },
    stats: () => store.stats(),
    async count() {
      const seq = await store.papers.latestChangeSeq();
      if (counted?.seq !== seq) counted = { seq, n: await store.papers.count() };
      return counted.n;
    },
  };
}
