// Use case: a signed-in reader adds a paper by arXiv id or URL; it is fetched from arXiv and stored.
import type { Paper } from '../domain/index.ts';
import { AppError } from '../errors.ts';
import { parseArxivId } from '../ingest/normalize.ts';
import type { Store } from '../store/store.ts';
import type { HarvestService } from './harvest-service.ts';
import { RATE_RULES, type RateLimiter } from './rate-limiter.ts';

export interface SubmitService {
  /** Fetches the paper from arXiv (even when stored, to pick up a new version) and returns it as stored. */
  submit(userId: number, idOrUrl: string): Promise<Paper>;
}

/**
 * @example const paper = await createSubmitService({ store, harvest, limiter }).submit(user.id, 'https://arxiv.org/abs/1605.08386');
 */
export function createSubmitService(deps: {
  store: Store;
  harvest: HarvestService;
  limiter: RateLimiter;
}): SubmitService {
  return {
    async submit(userId, idOrUrl) {
      const raw = idOrUrl.trim();
      const parsed = raw.length <= 200 ? parseArxivId(raw) : null;
      if (!parsed) {
        throw new AppError(
          'BAD_INPUT',
          'Give an arXiv id or link, such as 2503.11677 or https://arxiv.org/abs/2503.11677.',
        );
      }
      deps.limiter.hit(`submit:${userId}`, RATE_RULES.submitPerUser, 'submission');
      const summary = await deps.harvest.arxivIds([raw]);
      if (summary.fatal !== null) {
        const code = summary.fatalCode === 'BAD_INPUT' ? 'BAD_INPUT' : 'NETWORK';
        throw new AppError(
          code,
          `arXiv could not be asked for ${parsed.id}: ${summary.fatal}. Try again later.`,
        );
      }
      const paper = await deps.store.papers.get(parsed.id);
      if (!paper || summary.missing.length > 0)
        throw new AppError('NOT_FOUND', `arXiv has no paper ${parsed.id}; check the id.`);
      return paper;
    },
  };
}
