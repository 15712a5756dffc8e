// The library page (saved papers, tag filter) and its BibTeX / CSL-JSON exports.
import type { Hono } from 'hono';
import { requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { formFields, intQuery } from '../request-input.ts';
import { cardContext, pageOptions, PRIVATE, withComments } from '../route-helpers.ts';
import { page } from '../views/layout.ts';
import { libraryBody } from '../views/library-page.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'discussion' | 'library' | 'votes'>;

const PER_PAGE = 30;

function tagOf(c: WebContext): string | undefined {
  return c.req.query('tag') || undefined;
}

/**
 * Registers /library, /library/feed-keys (rotation), /library/export.bib and /library/export.json.
 */
export function registerLibraryRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const s = deps.services;
  app.get('/library', async (c) => {
    const user = requireUser(c);
    const pageNo = intQuery(c, 'page', 1, 1, 1000);
    const tag = tagOf(c);
    const lib = await s.library.list(user.id, { tag, limit: PER_PAGE, offset: (pageNo - 1) * PER_PAGE });
    const ids = lib.items.map((i) => i.paperId);
    const [votes, voted] = await Promise.all([s.votes.counts(ids), s.votes.votedBy(user.id, ids)]);
    const feedKey = tag !== undefined ? await s.library.feedKey(user.id, tag) : '';
    const feedFor = (t: string): string =>
      `/feeds/library/${user.id}/${encodeURIComponent(t)}.atom?key=${feedKey}`;
    const view = {
      csrf: csrfToken(c, deps),
      rotated: c.req.query('notice') === 'feeds-rotated',
      lib,
      tag: tag ?? null,
      votes,
      voted,
      card: await withComments(cardContext(c, deps), deps, ids),
      pageNo,
      perPage: PER_PAGE,
      feedFor,
    };
    return c.html(page(pageOptions(c, deps, 'Library'), libraryBody(view)), 200, PRIVATE);
  });
  // New keys for every tag feed of the reader: a feed link that leaked stops working.
  app.post('/library/feed-keys', async (c) => {
    await formFields(c, []);
    await s.library.rotateFeedKeys(requireUser(c).id);
    const tag = tagOf(c);
    return c.redirect(
      `/library?notice=feeds-rotated${tag !== undefined ? `&tag=${encodeURIComponent(tag)}` : ''}`,
      303,
    );
  });
  app.get('/library/export.bib', async (c) => {
    const text = await s.library.export(requireUser(c).id, 'bibtex', tagOf(c));
    return c.body(text, 200, {
      ...PRIVATE,
      'Content-Type': 'application/x-bibtex; charset=utf-8',
      'Content-Disposition': 'attachment; filename="library.bib"',
    });
  });
  app.get('/library/export.json', async (c) => {
    const text = await s.library.export(requireUser(c).id, 'csl-json', tagOf(c));
    return c.body(text, 200, {
      ...PRIVATE,
      'Content-Type': 'application/vnd.citationstyles.csl+json; charset=utf-8',
      'Content-Disposition': 'attachment; filename="library.json"',
    });
  });
}
