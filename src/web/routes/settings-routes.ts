// The settings page and its forms: name, e-mail, password, digest subscription, API tokens and signing out everywhere.
import { clearCookie, writeCookie } from '../cookies.ts';
import type { Hono } from 'hono';
import { isAppError } from '../../errors.ts';
import type { User } from '../../domain/index.ts';
import { clientOf, requireSession, requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { formFields } from '../request-input.ts';
import { pageOptions, PRIVATE, showSummaries } from '../route-helpers.ts';
import { page } from '../views/layout.ts';
import type { Subscription } from '../../services/digest/index.ts';
import {
  settingsBody,
  type DigestSettingsView,
  type DigestSubscriptionView,
  type SettingsView,
} from '../views/settings-page.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<
  'accountSettings' | 'accounts' | 'apiTokens' | 'digest' | 'discussion' | 'library' | 'votes'
>;

/** Whether the account's address gets the digest, and its subscriptions under other addresses, with manage links. */
async function digestView(deps: Deps, user: User): Promise<DigestSettingsView> {
  const digest = deps.services.digest.subscriptions;
  const { own, others } = await digest.forAccount(user);
  const view = (sub: Subscription): DigestSubscriptionView => ({
    email: sub.email,
    status: sub.status,
    ...(sub.status === 'active' || sub.status === 'pending'
      ? { manageUrl: digest.links(sub).manageUrl }
      : {}),
  });
  const shown = others.filter((s) => s.status !== 'unsubscribed').map(view);
  if (!own) return { status: null, others: shown };
  const { status, manageUrl } = view(own);
  const linked = own.userId !== null;
  return { status, ...(manageUrl !== undefined ? { manageUrl } : {}), linked, others: shown };
}

async function render(
  c: WebContext,
  deps: Deps,
  extra: Partial<SettingsView> = {},
  status: 200 | 400 | 401 | 409 | 429 = 200,
): Promise<Response> {
  const user = requireUser(c);
  const view: SettingsView = {
    user,
    csrf: csrfToken(c, deps),
    tokens: await deps.services.apiTokens.list(user.id),
    digest: await digestView(deps, user),
    summaries: showSummaries(c, deps),
    ...extra,
  };
  return c.html(page(pageOptions(c, deps, 'Settings'), settingsBody(view)), status, PRIVATE);
}

/** Runs a settings form; expected failures re-show the page with the reason. */
async function act(c: WebContext, deps: Deps, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (
      !isAppError(err) ||
      !['BAD_INPUT', 'UNAUTHORIZED', 'CONFLICT', 'RATE_LIMITED'].includes(err.code) ||
      c.get('user') === null
    )
      throw err;
    return render(
      c,
      deps,
      { error: err.message },
      err.code === 'BAD_INPUT'
        ? 400
        : err.code === 'CONFLICT'
          ? 409
          : err.code === 'RATE_LIMITED'
            ? 429
            : 401,
    );
  }
}

/**
 * Registers /settings and its POST forms.
 */
export function registerSettingsRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const s = deps.services;
  app.get('/settings', (c) => render(c, deps));
  app.post('/settings/name', (c) =>
    act(c, deps, async () => {
      const f = await formFields(c, ['name']);
      await s.accountSettings.rename(requireUser(c).id, f.name);
      return c.redirect('/settings?notice=name-changed', 303);
    }),
  );
  app.post('/settings/email', (c) =>
    act(c, deps, async () => {
      const f = await formFields(c, ['email', 'password']);
      await s.accountSettings.requestEmailChange(requireUser(c), f.password, f.email, clientOf(c, deps));
      return c.redirect('/settings?notice=email-sent', 303);
    }),
  );
  app.post('/settings/password', (c) =>
    act(c, deps, async () => {
      const f = await formFields(c, ['current', 'password']);
      await s.accountSettings.changePassword(requireUser(c).id, f.current, f.password, c.get('sessionToken'));
      return c.redirect('/settings?notice=password-changed', 303);
    }),
  );
  // Subscribes the account's own address with its user id (so the manage page offers "For you"); the
  // mailed confirmation link still starts the digest, as for anyone.
  app.post('/settings/digest', (c) =>
    act(c, deps, async () => {
      await formFields(c, []);
      const user = requireUser(c);
      await s.digest.subscriptions.subscribe(user.email, clientOf(c, deps).address, user.id);
      return c.redirect('/settings?notice=digest-sent', 303);
    }),
  );
  // Links the account address's subscription, made without signing in, to the account (its owner is signed in).
  app.post('/settings/digest/link', (c) =>
    act(c, deps, async () => {
      await formFields(c, []);
      await s.digest.subscriptions.linkAccount(requireUser(c));
      return c.redirect('/settings', 303);
    }),
  );
  // A display preference of this browser (a cookie, read only for signed-in readers).
  app.post('/settings/summaries', (c) =>
    act(c, deps, async () => {
      const f = await formFields(c, ['show']);
      requireUser(c);
      writeCookie(c, 'tldr', f.show === 'on' ? 'on' : 'off', deps.secure, 365 * 86400);
      return c.redirect('/settings', 303);
    }),
  );
  app.post('/settings/tokens', (c) =>
    act(c, deps, async () => {
      const user = requireSession(c);
      const f = await formFields(c, ['name']);
      const { token } = await s.apiTokens.create(user.id, f.name);
      return render(c, deps, { newToken: token });
    }),
  );
  app.post('/settings/tokens/:id/revoke', async (c) => {
    await formFields(c, []);
    const id = Number(c.req.param('id'));
    await s.apiTokens.revoke(requireUser(c).id, Number.isSafeInteger(id) ? id : -1);
    return c.redirect('/settings?notice=token-revoked', 303);
  });
  app.post('/settings/signout-everywhere', async (c) => {
    await formFields(c, []);
    await s.accountSettings.signOutEverywhere(requireUser(c).id);
    clearCookie(c, 'session', deps.secure);
    return c.redirect('/?notice=signed-out-everywhere', 303);
  });
}
