// A paper's page and BibTeX, and the form actions on papers: upvote, save with tags, remove.
import type { Hono } from 'hono';
import { toBibtex, type Paper } from '../../domain/index.ts';
import { plainTitle } from '../../digest/index.ts';
import { requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { formFields, localPath } from '../request-input.ts';
import { pageOptions, PRIVATE, showSummaries } from '../route-helpers.ts';
import { paperPage } from '../views/paper-page.ts';
import { paperPath } from '../views/paths.ts';
import { paperGraphSection } from '../views/paper-graph.ts';
import { paperCollectionsSection } from '../views/collection-pages.ts';

/** Public collections listed on a paper's page. */
const COLLECTIONS_SHOWN = 10;
import { discussionSection } from '../views/discussion-section.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<
  | 'accounts'
  | 'apiTokens'
  | 'collections'
  | 'discussion'
  | 'forYou'
  | 'graph'
  | 'library'
  | 'papers'
  | 'profiles'
  | 'search'
  | 'votes'
>;

/** Encodes signed-in readers' pages (TextEncoder, like undici, turns a lone surrogate into U+FFFD). */
const UTF8 = new TextEncoder();

async function show(c: WebContext, deps: Deps): Promise<Response> {
  const raw = c.req.param('id') ?? '';
  if (c.get('user') === null) {
    const paper = await deps.services.papers.get(raw);
    if (paper.id !== raw) return c.redirect(paperPath(paper.id), 301);
    // Within a minute, so the discussion's relative times ("5 minutes ago") stay true on a quiet site.
    const body = await deps.cache.get(
      c.req.raw,
      async () => {
        const page = await render(c, deps, paper);
        // Similar papers or the graph answered while papers were still being indexed: sent, not kept.
        return page.keep ? page.html : { text: page.html, keep: false };
      },
      60_000,
    );
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'text/html; charset=UTF-8',
      'Cache-Control': 'no-cache',
    });
  }
  const paper = await deps.services.papers.get(raw);
  if (paper.id !== raw) return c.redirect(paperPath(paper.id), 301);
  const user = c.get('user');
  // An opened paper counts as seen for "For you" (ranked lower there, not hidden).
  if (user !== null) await deps.services.forYou.markSeen(user.id, [paper.id]);
  // Sent as bytes encoded here once: a string body is first scanned for lone surrogates (undici's
  // toUSVString) and then encoded, two passes over a page of 400 KB with 200 comments (docs/BENCHMARKS.md).
  const bytes = UTF8.encode((await render(c, deps, paper)).html) as Uint8Array<ArrayBuffer>;
  return c.body(bytes, 200, { 'Content-Type': 'text/html; charset=UTF-8', ...PRIVATE });
}

/** The paper's page, and whether it may be kept (not when a part of it was answered during a large sync). */
async function render(c: WebContext, deps: Deps, paper: Paper): Promise<{ html: string; keep: boolean }> {
  const user = c.get('user');
  const d = deps.services.discussion;
  const order = c.req.query('comments') === 'newest' ? 'newest' : 'oldest';
  const [counts, voted, entry, similar, graph, inCollections, submittedBy, comments] = await Promise.all([
    deps.services.votes.counts([paper.id]),
    deps.services.votes.votedBy(user?.id ?? null, [paper.id]),
    user ? deps.services.library.entry(user.id, paper.id) : Promise.resolve(null),
    similarTo(deps, paper.id),
    // The related-papers graph (pictures issue); like similar papers, the page never fails for want of it.
    deps.services.graph.of(paper.id).then(
      (g) => ({ section: paperGraphSection(g), behind: g.indexing === true }),
      () => ({ section: undefined, behind: false }),
    ),
    // Community issue: public collections holding the paper, and who submitted it.
    deps.services.collections.withPaper(paper.id, COLLECTIONS_SHOWN),
    deps.services.profiles.submittedBy(paper.id),
    d.comments.thread(paper.id, user, order),
  ]);
  const csrf = user ? csrfToken(c, deps) : null;
  const discussion = discussionSection({
    paperId: paper.id,
    comments,
    order,
    viewerId: user?.id ?? null,
    admin: d.moderation.isAdmin(user),
    csrf,
    voted: await d.comments.votedAmong(
      user,
      comments.map((x) => x.id),
    ),
    now: new Date(),
  });
  const view = {
    paper,
    votes: counts.get(paper.id) ?? 0,
    voted: voted.has(paper.id),
    entry,
    similar: similar.papers,
    similarIndexing: similar.behind,
    csrf,
    graph: graph.section,
    discussion,
    summaries: showSummaries(c, deps),
    submittedBy,
    collections: paperCollectionsSection(paper.id, inCollections, user !== null),
  };
  return {
    html: paperPage(view, pageOptions(c, deps, plainTitle(paper.title))),
    keep: !similar.behind && !graph.behind,
  };
}

/**
 * Similar papers from the search service when it is ready (null when it is not: the page never fails for want of
 * them), and whether they were answered during a large sync (`similarSoon`).
 */
async function similarTo(
  deps: Deps,
  id: string,
): Promise<{ papers: { paper: Paper }[] | null; behind: boolean }> {
  try {
    const { hits, behind } = await deps.services.search.similarSoon(id, 6);
    return { papers: hits, behind };
  } catch {
    return { papers: null, behind: false };
  }
}

async function paperAction(
  c: WebContext,
  deps: Deps,
  act: (userId: number, paper: string, tags: string) => Promise<unknown>,
): Promise<Response> {
  const user = requireUser(c);
  const f = await formFields(c, ['paper', 'tags', 'next']);
  await act(user.id, f.paper, f.tags);
  return c.redirect(localPath(f.next, localPath(paperPath(f.paper), '/')), 303);
}

/**
 * Registers `/papers/:id`, `/bibtex/:id`, `/abs/:id` and the POST actions `/vote`, `/save`, `/unsave`.
 */
export function registerPaperRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/papers/:id{.+}', (c) => show(c, deps));
  app.get('/abs/:id{.+}', async (c) =>
    c.redirect(paperPath((await deps.services.papers.get(c.req.param('id'))).id), 301),
  );
  app.get('/bibtex/:id{.+}', async (c) => {
    const paper = await deps.services.papers.get(c.req.param('id'));
    const name = paper.id.replace(/[^\w.-]+/g, '_');
    return c.body(toBibtex(paper), 200, {
      'Content-Type': 'application/x-bibtex; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.bib"`,
    });
  });
  app.post('/vote', (c) => paperAction(c, deps, (u, p) => deps.services.votes.toggle(u, p)));
  app.post('/save', (c) => paperAction(c, deps, (u, p, tags) => deps.services.library.save(u, p, tags)));
  app.post('/unsave', (c) => paperAction(c, deps, (u, p) => deps.services.library.remove(u, p)));
}
