// Digest pages: subscribe (double opt-in), confirm, unsubscribe (page and RFC 8058 one-click POST), manage.
import type { Hono } from 'hono';
import { ERROR_CATALOG, isAppError, type AppError } from '../../errors.ts';
import { clientOf } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { formFields } from '../request-input.ts';
import { PRIVATE } from '../route-helpers.ts';
import {
  confirmSubscriptionPage,
  managePage,
  subscribeConfirmed,
  subscribeForm,
  subscribeSent,
  unsubscribePage,
} from '../views/digest-pages.ts';
import type { SettingsInput } from '../../services/digest/index.ts';
import type { SafeHtml } from '../views/html.ts';
import { page } from '../views/layout.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'digest' | 'discussion' | 'library' | 'votes'>;

type Status = 200 | 400 | 410 | 429;

function show(c: WebContext, deps: Deps, title: string, body: SafeHtml, status: Status = 200): Response {
  return c.html(
    page(
      { title, user: c.get('user'), csrf: c.get('user') ? csrfToken(c, deps) : null, subscribeBox: false },
      body,
    ),
    status,
    PRIVATE,
  );
}

function statusOf(err: AppError): Status {
  return ERROR_CATALOG[err.code].status as Status;
}

const SECTION_FIELDS = ['trending', 'foryou', 'alerts', 'authors'] as const;

/** The manage form; each section is its own checkbox field (section-NAME). */
async function settingsForm(c: WebContext): Promise<SettingsInput> {
  const names = SECTION_FIELDS.map((s) => `section-${s}` as const);
  const f = await formFields(c, ['frequency', 'sendHour', 'timeZone', 'weekday', 'maxPapers', ...names]);
  return { ...f, sections: SECTION_FIELDS.filter((s) => f[`section-${s}`] !== '') };
}

function registerSubscribe(app: Hono<WebEnv>, deps: Deps): void {
  const digest = () => deps.services.digest.subscriptions;
  app.get('/digest', (c) => {
    const email = (c.req.query('email') ?? c.get('user')?.email ?? '').slice(0, 254);
    const signedIn = c.get('user') !== null;
    return show(c, deps, 'Daily digest', subscribeForm({ csrf: csrfToken(c, deps), email, signedIn }));
  });
  app.post('/digest/subscribe', async (c) => {
    const f = await formFields(c, ['email']);
    // The account joins the subscription only for its own address: another address's owner confirms it
    // without knowing the account, and must not get its personal sections nor show up in its settings.
    const user = c.get('user');
    const own = user !== null && user.email.toLowerCase() === f.email.trim().toLowerCase();
    try {
      await digest().subscribe(f.email, clientOf(c, deps).address, own ? user.id : null);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'BAD_INPUT') throw err;
      const form = subscribeForm({
        csrf: csrfToken(c, deps),
        email: f.email.slice(0, 254),
        error: err.message,
        signedIn: user !== null,
      });
      return show(c, deps, 'Daily digest', form, statusOf(err));
    }
    return show(c, deps, 'Check your inbox', subscribeSent(f.email.trim().toLowerCase()));
  });
  // GET only shows a button: scanners that open every link in a mail must not start a digest nobody asked for.
  app.get('/digest/confirm/:token', (c) =>
    show(
      c,
      deps,
      'Confirm your digest',
      confirmSubscriptionPage({ csrf: csrfToken(c, deps), action: new URL(c.req.url).pathname }),
    ),
  );
  app.post('/digest/confirm/:token', async (c) => {
    await formFields(c, []);
    const sub = await digest().confirm(c.req.param('token'));
    return show(c, deps, 'Subscribed', subscribeConfirmed(sub.email, digest().links(sub).manageUrl));
  });
}

function registerUnsubscribe(app: Hono<WebEnv>, deps: Deps): void {
  const digest = () => deps.services.digest.subscriptions;
  app.get('/digest/unsubscribe/:token', async (c) => {
    const sub = await digest().fromLink('unsubscribe', c.req.param('token'));
    return show(c, deps, 'Unsubscribe', unsubscribePage(sub, new URL(c.req.url).pathname));
  });
  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here, without cookies or a CSRF token.
  app.post('/digest/unsubscribe/:token', async (c) => {
    const sub = await digest().unsubscribe(c.req.param('token'));
    return show(c, deps, 'Unsubscribed', unsubscribePage(sub, ''));
  });
}

function registerManage(app: Hono<WebEnv>, deps: Deps): void {
  const digest = () => deps.services.digest.subscriptions;
  const view = (c: WebContext, sub: Parameters<typeof managePage>[0]['sub'], extra: object = {}) =>
    managePage({
      sub,
      action: new URL(c.req.url).pathname,
      unsubscribeUrl: digest().links(sub).unsubscribeUrl,
      csrf: csrfToken(c, deps),
      ...extra,
    });
  app.get('/digest/manage/:token', async (c) => {
    const sub = await digest().fromLink('manage', c.req.param('token'));
    return show(c, deps, 'Your digest', view(c, sub));
  });
  app.post('/digest/manage/:token', async (c) => {
    const token = c.req.param('token');
    const f = await settingsForm(c);
    try {
      const sub = await digest().updateSettings(token, f);
      return show(c, deps, 'Your digest', view(c, sub, { saved: true }));
    } catch (err) {
      if (!isAppError(err) || err.code !== 'BAD_INPUT') throw err;
      const sub = await digest().fromLink('manage', token);
      return show(c, deps, 'Your digest', view(c, sub, { error: err.message }), 400);
    }
  });
}

export function registerDigestRoutes(app: Hono<WebEnv>, deps: Deps): void {
  registerSubscribe(app, deps);
  registerUnsubscribe(app, deps);
  registerManage(app, deps);
}
