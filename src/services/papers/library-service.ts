// Use cases: a reader's library — save with tags, remove, list by tag, export, and signed tag-feed keys.
import {
  toBibtexList,
  toCsl,
  type LibraryEntry,
  type LibraryItem,
  type TagCount,
} from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { checkTag, checkTags, randomToken, sameString, sign } from '../../platform/index.ts';
import { noSuchPaper, paperIdOf } from './paper-ref.ts';

export interface LibraryPage {
  items: LibraryItem[];
  total: number;
  tags: TagCount[];
}

export interface LibraryService {
  save(userId: number, paperRef: string, tags: string | readonly string[]): Promise<LibraryEntry>;
  remove(userId: number, paperRef: string): Promise<void>;
  entry(userId: number, paperRef: string): Promise<LibraryEntry | null>;
  list(userId: number, q: { tag?: string; limit: number; offset: number }): Promise<LibraryPage>;
  savedAmong(userId: number | null, paperIds: readonly string[]): Promise<Set<string>>;
  /** The whole library (or one tag) as BibTeX or CSL-JSON text. */
  export(userId: number, format: 'bibtex' | 'csl-json', tag?: string): Promise<string>;
  /** A key that lets a feed reader fetch one tag's feed without signing in. */
  feedKey(userId: number, tag: string): Promise<string>;
  /** NOT_FOUND unless `key` is the current key of that reader's tag feed. */
  checkFeedKey(userId: number, tag: string, key: string): Promise<void>;
  /** Gives every tag feed of the reader a new key; the old feed links stop working at once. */
  rotateFeedKeys(userId: number): Promise<void>;
}

const EXPORT_MAX = 10_000;

/**
 * @example await createLibraryService(store, () => secret).save(user.id, '2503.11677', 'to-read, vision');
 */
export function createLibraryService(store: Store, secret: () => string): LibraryService {
  async function items(entries: readonly LibraryEntry[]): Promise<LibraryItem[]> {
    const papers = new Map((await store.papers.getMany(entries.map((e) => e.paperId))).map((p) => [p.id, p]));
    return entries.flatMap((e) => {
      const paper = papers.get(e.paperId);
      return paper ? [{ ...e, paper }] : [];
    });
  }
  // The salt is '' until the reader first rotates, so links made before rotation existed keep working.
  const feedKey = async (userId: number, tag: string): Promise<string> => {
    const salt = (await store.users.feedSalt(userId)) ?? '';
    const subject = salt === '' ? `library-feed:${userId}:${tag}` : `library-feed:${userId}:${salt}:${tag}`;
    return sign(secret(), subject).slice(0, 32);
  };

  return {
    async save(userId, paperRef, rawTags) {
      const paperId = paperIdOf(paperRef);
      const tags = checkTags(rawTags);
      if (!(await store.library.save(userId, paperId, tags))) throw noSuchPaper(paperId);
      return (await store.library.get(userId, paperId)) as LibraryEntry;
    },
    async remove(userId, paperRef) {
      const paperId = paperIdOf(paperRef);
      if (!(await store.library.remove(userId, paperId)))
        throw new AppError('NOT_FOUND', `"${paperId}" is not in your library.`);
    },
    entry: (userId, paperRef) => store.library.get(userId, paperIdOf(paperRef)),
    async list(userId, q) {
      const tag = q.tag !== undefined ? checkTag(q.tag) : undefined;
      const { entries, total } = await store.library.list(userId, { tag, limit: q.limit, offset: q.offset });
      return { items: await items(entries), total, tags: await store.library.tags(userId) };
    },
    async savedAmong(userId, ids) {
      return userId === null ? new Set() : store.library.savedAmong(userId, ids);
    },
    async export(userId, format, rawTag) {
      const tag = rawTag !== undefined ? checkTag(rawTag) : undefined;
      const { entries } = await store.library.list(userId, { tag, limit: EXPORT_MAX, offset: 0 });
      const papers = (await items(entries)).map((i) => i.paper);
      return format === 'bibtex' ? toBibtexList(papers) : `${JSON.stringify(papers.map(toCsl), null, 2)}\n`;
    },
    feedKey,
    async checkFeedKey(userId, tag, key) {
      if (!sameString(await feedKey(userId, tag), key))
        throw new AppError('NOT_FOUND', 'No such feed; copy its link from your library again.');
    },
    async rotateFeedKeys(userId) {
      await store.users.setFeedSalt(userId, randomToken(16));
    },
  };
}
