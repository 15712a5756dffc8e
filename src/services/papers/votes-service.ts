// Use cases: one upvote per reader per paper, set, cleared or toggled; counts for display.
import type { Store } from '../../store/store.ts';
import { AppError } from '../../errors.ts';
import { noSuchPaper, paperIdOf } from './paper-ref.ts';

export interface VoteState {
  paperId: string;
  voted: boolean;
  count: number;
}

export interface VotesService {
  /** Sets the vote on (true) or off (false); doing it twice changes nothing. */
  set(userId: number, paperRef: string, on: boolean): Promise<VoteState>;
  toggle(userId: number, paperRef: string): Promise<VoteState>;
  counts(paperIds: readonly string[]): Promise<Map<string, number>>;
  votedBy(userId: number | null, paperIds: readonly string[]): Promise<Set<string>>;
}

/**
 * @example await createVotesService(store, () => new Date()).toggle(user.id, '2503.11677'); // { voted: true, count: 1 }
 */
export function createVotesService(store: Store, now: () => Date): VotesService {
  async function set(userId: number, paperRef: string, on: boolean): Promise<VoteState> {
    const paperId = paperIdOf(paperRef);
    // A suspended account (moderation, community issue) cannot vote.
    if (await store.discussion.isSuspended(userId))
      throw new AppError('FORBIDDEN', 'This account is suspended: it cannot post, vote or subscribe.');
    const r = await store.votes.set(userId, paperId, on, now().getTime());
    if (!r) throw noSuchPaper(paperId);
    return { paperId, ...r };
  }
  return {
    set,
    async toggle(userId, paperRef) {
      const paperId = paperIdOf(paperRef);
      return set(userId, paperId, !(await store.votes.has(userId, paperId)));
    },
    counts: (ids) => store.votes.counts(ids),
    async votedBy(userId, ids) {
      return userId === null ? new Set() : store.votes.votedBy(userId, ids);
    },
  };
}
