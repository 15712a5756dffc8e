// Use cases: readers' handles and public profiles (/u/<handle>), and who submitted a paper.
import type { Collection, Paper, Profile } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { checkHandle, handleTaken, HANDLE_PATTERN } from './handle-rules.ts';

/** What /u/<handle> shows; `upvoted` is null unless the reader chose to show upvotes. */
export interface ProfilePage {
  profile: Profile;
  collections: Collection[];
  submitted: { papers: Paper[]; total: number };
  upvoted: { papers: Paper[]; total: number } | null;
}

/** A paper's submitter as shown publicly: only readers with a handle are named. */
export interface SubmittedBy {
  handle: string;
  name: string;
}

export interface ProfilesService {
  get(userId: number): Promise<Profile | null>;
  /** Sets or changes the reader's handle: BAD_INPUT when it breaks the rules, CONFLICT when taken. */
  setHandle(userId: number, raw: string): Promise<Profile>;
  /** BAD_INPUT for a handle that breaks the rules, CONFLICT when another reader has it; else the handle. */
  checkAvailable(raw: string): Promise<string>;
  /** Shows or hides the reader's upvotes on their profile; needs a handle first. */
  setShowUpvotes(userId: number, on: boolean): Promise<void>;
  /** NOT_FOUND for a handle nobody has. */
  page(handle: string, limit: number): Promise<ProfilePage>;
  /** Notes who submitted a paper (the first submitter stays). */
  recordSubmission(userId: number, paperId: string): Promise<void>;
  submittedBy(paperId: string): Promise<SubmittedBy | null>;
  submittedByMany(paperIds: readonly string[]): Promise<Map<string, SubmittedBy>>;
}

/**
 * @example await createProfilesService({ store }).setHandle(user.id, 'ada_l');
 */
export function createProfilesService(deps: { store: Store }): ProfilesService {
  const { store } = deps;
  const papers = async (ids: readonly string[]): Promise<Paper[]> => {
    const by = new Map((await store.papers.getMany(ids)).map((p) => [p.id, p]));
    return ids.flatMap((id) => by.get(id) ?? []);
  };
  const named = (s: { handle: string | null; name: string } | null): SubmittedBy | null =>
    s === null || s.handle === null ? null : { handle: s.handle, name: s.name };

  async function checkAvailable(raw: string): Promise<string> {
    const handle = checkHandle(raw);
    if ((await store.profiles.byHandle(handle)) !== null) throw handleTaken(handle);
    return handle;
  }

  return {
    get: (userId) => store.profiles.get(userId),
    async setHandle(userId, raw) {
      const handle = checkHandle(raw);
      const holder = await store.profiles.byHandle(handle);
      if ((holder !== null && holder.userId !== userId) || !(await store.profiles.setHandle(userId, handle)))
        throw handleTaken(handle);
      return (await store.profiles.get(userId)) as Profile;
    },
    checkAvailable,
    async setShowUpvotes(userId, on) {
      if (!(await store.profiles.setShowUpvotes(userId, on)))
        throw new AppError('BAD_INPUT', 'Choose a handle first: your profile lives at /u/<handle>.');
    },
    async page(handle, limit) {
      const profile = HANDLE_PATTERN.test(handle) ? await store.profiles.byHandle(handle) : null;
      if (profile === null)
        throw new AppError('NOT_FOUND', `Nobody here has the handle "${handle.slice(0, 40)}".`);
      const [collections, submitted, upvoted] = await Promise.all([
        store.collections.byOwner(profile.userId, { publicOnly: true, limit, offset: 0 }),
        store.profiles.submittedBy(profile.userId, limit, 0),
        profile.showUpvotes ? store.profiles.upvotedBy(profile.userId, limit, 0) : Promise.resolve(null),
      ]);
      return {
        profile,
        // Empty public collections are listed to their owner's visitors too: the profile is the owner's shelf.
        collections,
        submitted: { papers: await papers(submitted.paperIds), total: submitted.total },
        upvoted: upvoted === null ? null : { papers: await papers(upvoted.paperIds), total: upvoted.total },
      };
    },
    async recordSubmission(userId, paperId) {
      await store.profiles.recordSubmission(userId, paperId);
    },
    async submittedBy(paperId) {
      return named(await store.profiles.submitter(paperId));
    },
    async submittedByMany(paperIds) {
      const out = new Map<string, SubmittedBy>();
      for (const [id, s] of await store.profiles.submitters(paperIds)) {
        const n = named(s);
        if (n !== null) out.set(id, n);
      }
      return out;
    },
  };
}
