// Use cases: readers' collections — make, change, add papers with notes, reorder, share, upvote, export.
import {
  toBibtexList,
  toCsl,
  type Collection,
  type CollectionEntry,
  type Paper,
} from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { noSuchPaper, paperIdOf } from '../papers/index.ts';
import type { RandomBytes } from '../../platform/index.ts';
import {
  checkDescription,
  checkNote,
  checkTitle,
  COLLECTION_LIMITS,
  makeSlug,
  SLUG_PATTERN,
} from './collection-rules.ts';

/** Who made a collection, as shown publicly. */
export interface Owner {
  handle: string | null;
  name: string;
}

export interface CollectionItem extends CollectionEntry {
  paper: Paper;
}

/** A collection as its page, feed, export and API show it. */
export interface CollectionView {
  collection: Collection;
  owner: Owner;
  items: CollectionItem[];
  /** True when the viewer owns it (may change it). */
  mine: boolean;
  /** True when the viewer upvoted it. */
  voted: boolean;
}

/** A collection in a list, with its owner. */
export interface CollectionSummary extends Collection {
  owner: Owner;
}

export interface CollectionFields {
  title: unknown;
  description?: unknown;
  public?: unknown;
}

export interface CollectionsService {
  create(userId: number, f: CollectionFields): Promise<Collection>;
  /** Changes what is given of title, description and visibility. */
  update(userId: number, slug: string, f: Partial<CollectionFields>): Promise<Collection>;
  delete(userId: number, slug: string): Promise<void>;
  /** NOT_FOUND for an unknown collection, and for another reader's private one. */
  view(viewer: number | null, slug: string): Promise<CollectionView>;
  /** Adds a paper (at the end) or changes its note; `note` undefined keeps a note already there. */
  putPaper(userId: number, slug: string, paperRef: string, note?: unknown): Promise<{ added: boolean }>;
  removePaper(userId: number, slug: string, paperRef: string): Promise<void>;
  /** Puts the papers in exactly this order (every paper of the collection, once). */
  reorder(userId: number, slug: string, paperIds: unknown): Promise<void>;
  /** Moves one paper a place up or down, or to the top or bottom. */
  move(userId: number, slug: string, paperRef: string, to: 'up' | 'down' | 'top' | 'bottom'): Promise<void>;
  /** Upvotes (or takes back the upvote of) another reader's public collection. */
  vote(userId: number, slug: string, on: boolean): Promise<{ voted: boolean; votes: number }>;
  /** The reader's own collections, most recently changed first. */
  mine(userId: number): Promise<Collection[]>;
  /** A reader's public collections. */
  publicOf(ownerId: number, limit: number): Promise<Collection[]>;
  listPublic(
    order: 'popular' | 'recent',
    limit: number,
    offset: number,
  ): Promise<{ collections: CollectionSummary[]; total: number }>;
  /** Public collections holding a paper. */
  withPaper(paperId: string, limit: number): Promise<CollectionSummary[]>;
  export(viewer: number | null, slug: string, format: 'bibtex' | 'csl-json'): Promise<string>;
}

const NOT_FOUND_TEXT = 'No such collection; it may be private or deleted.';

function notFound(): AppError {
  return new AppError('NOT_FOUND', NOT_FOUND_TEXT);
}

/** A visibility flag from JSON (true/false) or a form ("on", "1", "true" / "", "0", "false", "off"). */
function checkPublic(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(on|1|true|yes)$/i.test(raw.trim())) return true;
  if (typeof raw === 'string' && /^(|0|false|no|off)$/i.test(raw.trim())) return false;
  throw new AppError('BAD_INPUT', '"public" must be true or false.');
}

/**
 * @example await createCollectionsService({ store, random: randomBytes }).create(user.id, { title: 'ViT', public: true });
 */
export function createCollectionsService(deps: { store: Store; random: RandomBytes }): CollectionsService {
  const { store } = deps;

  async function owners(ids: readonly number[]): Promise<Map<number, Owner>> {
    const unique = [...new Set(ids)];
    const [handles, users] = await Promise.all([
      store.profiles.handlesOf(unique),
      Promise.all(unique.map((id) => store.users.get(id))),
    ]);
    return new Map(
      unique.map((id, i) => [id, { handle: handles.get(id) ?? null, name: users[i]?.name ?? '' }]),
    );
  }

  async function summaries(cs: readonly Collection[]): Promise<CollectionSummary[]> {
    const by = await owners(cs.map((c) => c.ownerId));
    return cs.map((c) => ({ ...c, owner: by.get(c.ownerId) ?? { handle: null, name: '' } }));
  }

  /** The collection if the viewer may see it: public, or their own. */
  async function visible(viewer: number | null, slug: string): Promise<Collection> {
    const c = SLUG_PATTERN.test(slug) ? await store.collections.bySlug(slug) : null;
    if (c === null || (!c.public && c.ownerId !== viewer)) throw notFound();
    return c;
  }

  /** The collection if the reader owns it; another reader's private one is NOT_FOUND, a public one FORBIDDEN. */
  async function owned(userId: number, slug: string): Promise<Collection> {
    const c = await visible(userId, slug);
    if (c.ownerId !== userId) throw new AppError('FORBIDDEN', 'Only its owner can change a collection.');
    return c;
  }

  async function items(entries: readonly CollectionEntry[]): Promise<CollectionItem[]> {
    const papers = new Map((await store.papers.getMany(entries.map((e) => e.paperId))).map((p) => [p.id, p]));
    return entries.flatMap((e) => {
      const paper = papers.get(e.paperId);
      return paper ? [{ ...e, paper }] : [];
    });
  }

  async function create(userId: number, f: CollectionFields): Promise<Collection> {
    const title = checkTitle(f.title);
    const description = f.description === undefined ? '' : checkDescription(f.description);
    const isPublic = f.public === undefined ? false : checkPublic(f.public);
    if ((await store.collections.countByOwner(userId)) >= COLLECTION_LIMITS.perReader)
      throw new AppError(
        'BAD_INPUT',
        `You have ${COLLECTION_LIMITS.perReader} collections, the most one reader may keep; delete one first.`,
      );
    // Six random characters rarely collide; try a few before giving up.
    for (let i = 0; i < 5; i++) {
      const made = await store.collections.create({
        slug: makeSlug(title, deps.random),
        userId,
        title,
        description,
        public: isPublic,
      });
      if (made !== null) return made;
    }
    throw new AppError('CONFLICT', 'Could not find a free address for the collection; try again.');
  }

  async function move(
    userId: number,
    slug: string,
    paperRef: string,
    to: 'up' | 'down' | 'top' | 'bottom',
  ): Promise<void> {
    const c = await owned(userId, slug);
    const ids = (await store.collections.entries(c.id)).map((e) => e.paperId);
    const id = paperIdOf(paperRef);
    const at = ids.indexOf(id);
    if (at < 0) throw new AppError('NOT_FOUND', `"${id.slice(0, 100)}" is not in this collection.`);
    ids.splice(at, 1);
    const dest = { up: Math.max(0, at - 1), down: Math.min(ids.length, at + 1), top: 0, bottom: ids.length }[
      to
    ];
    ids.splice(dest, 0, id);
    await store.collections.reorder(c.id, ids);
  }

  return {
    create,
    async update(userId, slug, f) {
      const c = await owned(userId, slug);
      const next = {
        title: f.title === undefined ? c.title : checkTitle(f.title),
        description: f.description === undefined ? c.description : checkDescription(f.description),
        public: f.public === undefined ? c.public : checkPublic(f.public),
      };
      await store.collections.update(c.id, next);
      return (await store.collections.bySlug(c.slug)) ?? c;
    },
    async delete(userId, slug) {
      await store.collections.delete((await owned(userId, slug)).id);
    },
    async view(viewer, slug) {
      const c = await visible(viewer, slug);
      const [entries, by, voted] = await Promise.all([
        store.collections.entries(c.id),
        owners([c.ownerId]),
        viewer === null ? Promise.resolve(new Set<number>()) : store.collections.votedBy(viewer, [c.id]),
      ]);
      return {
        collection: c,
        owner: by.get(c.ownerId) ?? { handle: null, name: '' },
        items: await items(entries),
        mine: viewer === c.ownerId,
        voted: voted.has(c.id),
      };
    },
    async putPaper(userId, slug, paperRef, rawNote) {
      const c = await owned(userId, slug);
      const paperId = paperIdOf(paperRef);
      const note = rawNote === undefined || rawNote === null ? null : checkNote(rawNote);
      if (c.papers >= COLLECTION_LIMITS.papersPerCollection) {
        const there = (await store.collections.entries(c.id)).some((e) => e.paperId === paperId);
        if (!there)
          throw new AppError(
            'BAD_INPUT',
            `A collection holds at most ${COLLECTION_LIMITS.papersPerCollection} papers; start another.`,
          );
      }
      const r = await store.collections.putPaper(c.id, paperId, note);
      if (r === null) throw noSuchPaper(paperId);
      return { added: r === 'added' };
    },
    async removePaper(userId, slug, paperRef) {
      const c = await owned(userId, slug);
      const paperId = paperIdOf(paperRef);
      if (!(await store.collections.removePaper(c.id, paperId)))
        throw new AppError('NOT_FOUND', `"${paperId.slice(0, 100)}" is not in this collection.`);
    },
    async reorder(userId, slug, raw) {
      const c = await owned(userId, slug);
      if (!Array.isArray(raw) || !raw.every((p) => typeof p === 'string'))
        throw new AppError('BAD_INPUT', '"papers" must be an array of paper ids.');
      const ids = (raw as string[]).map(paperIdOf);
      if (!(await store.collections.reorder(c.id, ids)))
        throw new AppError(
          'BAD_INPUT',
          `"papers" must list each of the collection's ${c.papers} papers exactly once, in the new order.`,
        );
    },
    move,
    async vote(userId, slug, on) {
      const c = await visible(userId, slug);
      if (!c.public) throw new AppError('BAD_INPUT', 'Only public collections can be upvoted.');
      if (c.ownerId === userId) throw new AppError('BAD_INPUT', 'You cannot upvote your own collection.');
      const votes = await store.collections.vote(userId, c.id, on);
      return { voted: on, votes };
    },
    mine: (userId) =>
      store.collections.byOwner(userId, { publicOnly: false, limit: COLLECTION_LIMITS.perReader, offset: 0 }),
    publicOf: (ownerId, limit) => store.collections.byOwner(ownerId, { publicOnly: true, limit, offset: 0 }),
    async listPublic(order, limit, offset) {
      const r = await store.collections.listPublic({ order, limit, offset });
      return { collections: await summaries(r.collections), total: r.total };
    },
    async withPaper(paperId, limit) {
      return summaries(await store.collections.publicWithPaper(paperId, limit));
    },
    async export(viewer, slug, format) {
      const c = await visible(viewer, slug);
      const papers = (await items(await store.collections.entries(c.id))).map((i) => i.paper);
      return format === 'bibtex' ? toBibtexList(papers) : `${JSON.stringify(papers.map(toCsl), null, 2)}\n`;
    },
  };
}
