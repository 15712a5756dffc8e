// Use case: a signed-in reader adds a paper by arXiv id or URL; it is fetched from arXiv and stored.
import type { Paper } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { parseArxivId } from '../../ingest/normalize.ts';
import type { Store } from '../../store/store.ts';
import type { HarvestService } from '../ingest/index.ts';
import { RATE_RULES, type RateLimiter } from '../../platform/index.ts';

export interface SubmitService {
  /** Fetches the paper from arXiv (even when stored, to pick up a new version) and returns it as stored. */
  submit(userId: number, idOrUrl: string): Promise<Paper>;
}

/**
 * What a reader is told when arXiv cannot be asked: the fault in words, never the API's URL (an internal
 * detail, and too long for the form); the log of a CLI harvest names it instead.
 */
function unreachable(err: unknown): AppError {
  if (err instanceof AppError && err.code === 'BAD_INPUT')
    return new AppError('BAD_INPUT', 'arXiv did not accept that id; check it and try again.');
  if (err instanceof AppError && err.code !== 'NETWORK' && err.code !== 'INTERNAL') return err;
  return new AppError('NETWORK', 'arXiv could not be reached; try again later.', [], { cause: err });
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
      const summary = await deps.harvest.arxivIds([raw]).catch((err: unknown) => {
        throw unreachable(err);
      });
      if (summary.fatal !== null)
        throw unreachable(new AppError(summary.fatalCode ?? 'NETWORK', summary.fatal));
      const paper = await deps.store.papers.get(parsed.id);
      if (!paper || summary.missing.length > 0)
        throw new AppError('NOT_FOUND', `arXiv has no paper ${parsed.id}; check the id.`);
      // The paper page says who submitted it (community issue): the first reader to do so keeps the credit.
      await deps.store.profiles.recordSubmission(userId, paper.id);
      return paper;
    },
  };
}
