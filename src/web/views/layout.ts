// The page shell shared by every HTML page: skip link, header with search, navigation and account menu.
import type { User } from '../../domain/index.ts';
import { html, type SafeHtml } from './html.ts';

export interface PageOptions {
  title: string;
  user: User | null;
  /** CSRF token for the sign-out form and the script's requests; null on pages for anonymous readers. */
  csrf: string | null;
  /** The search box's current text. */
  q?: string;
  /** Links KaTeX's stylesheet (also done whenever the body holds rendered math). */
  math?: boolean;
  /** Atom feeds to advertise. */
  feeds?: { title: string; href: string }[];
  /** A one-line message at the top of the page (after a form). */
  notice?: string;
  description?: string;
  /** Unread notifications of the signed-in reader, shown beside "Notifications" in the header. */
  unread?: number;
  /** False on pages that are themselves a subscribe form (the digest pages): no second box in the footer. */
  subscribeBox?: boolean;
}

/** The footer's subscribe box: it subscribes at once (a confirmation link is mailed), from any page. */
function subscribeBox(o: PageOptions): SafeHtml {
  if (o.subscribeBox === false) return html``;
  return html`<form class="digest-box" method="post" action="/digest/subscribe">
    ${o.user !== null && o.csrf !== null ? html`<input type="hidden" name="_csrf" value="${o.csrf}" />` : ''}
    <label for="digest-email">Get trending papers in your inbox once a day</label>
    <input
      id="digest-email"
      name="email"
      type="email"
      maxlength="254"
      required
      placeholder="you@example.org"
      value="${o.user?.email ?? ''}"
    />
    <button type="submit">Subscribe</button>
  </form>`;
}

/** The header's notifications link, with the unread count when there is one. */
function notificationsLink(unread: number): SafeHtml {
  return unread > 0
    ? html`<a href="/notifications" aria-label="Notifications (${String(unread)} unread)"
        >Notifications <span class="unread-count">${String(unread)}</span></a
      >`
    : html`<a href="/notifications">Notifications</a>`;
}

function accountNav(user: User | null, csrf: string | null, unread = 0): SafeHtml {
  if (!user)
    return html`<li><a href="/signin">Sign in</a></li>
      <li><a href="/signup">Sign up</a></li>`;
  return html`<li><a href="/submit">Submit</a></li>
    <li><a href="/foryou">For you</a></li>
    <li><a href="/library">Library</a></li>
    <li><a href="/collections">Collections</a></li>
    <li>${notificationsLink(unread)}</li>
    <li><a href="/settings" title="${user.email}">Settings</a></li>
    <li>
      <form method="post" action="/signout" class="inline">
        <input type="hidden" name="_csrf" value="${csrf ?? ''}" /><button type="submit" class="link">
          Sign out
        </button>
      </form>
    </li>`;
}

/** The document head: title, metadata, stylesheets (KaTeX's when the body has math), feeds, the script. */
function documentHead(o: PageOptions, body: SafeHtml): SafeHtml {
  return html`<head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>${o.title} · Paperboy</title>
    ${o.description !== undefined ? html`<meta name="description" content="${o.description}" />` : ''}
    ${o.csrf !== null ? html`<meta name="csrf-token" content="${o.csrf}" />` : ''}
    <link rel="icon" href="/static/icon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/static/site.css" />
    ${o.math === true || body.value.includes('class="katex"')
      ? html`<link rel="stylesheet" href="/static/katex/katex.min.css" />`
      : ''}
    ${(o.feeds ?? []).map(
      (f) => html`<link rel="alternate" type="application/atom+xml" title="${f.title}" href="${f.href}" />`,
    )}
    <script src="/static/site.js" defer></script>
  </head>`;
}

/** The site header: brand, the search box with its suggestion list, and the account navigation. */
function siteHeader(o: PageOptions): SafeHtml {
  return html`<header class="site">
    <a class="brand" href="/">Paperboy</a>
    <form class="search" role="search" method="get" action="/search">
      <label for="q" class="visually-hidden">Search papers</label>
      <input
        id="q"
        name="q"
        type="search"
        value="${o.q ?? ''}"
        placeholder="Search papers"
        maxlength="20000"
        autocomplete="off"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded="false"
        aria-controls="suggestions"
      />
      <button type="submit">Search</button>
      <ul id="suggestions" class="suggestions" role="listbox" aria-label="Suggestions" hidden></ul>
    </form>
    <nav aria-label="Site">
      <ul>
        ${accountNav(o.user, o.csrf, o.unread)}
      </ul>
    </nav>
  </header>`;
}

/**
 * Wraps page content in the document shell.
 */
export function page(o: PageOptions, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      ${documentHead(o, body)}
      <body>
        <a class="skip" href="#main">Skip to content</a>
        ${siteHeader(o)}
        <main id="main" tabindex="-1">
          ${o.notice !== undefined ? html`<p class="notice" role="status">${o.notice}</p>` : ''} ${body}
        </main>
        <footer class="site">
          ${subscribeBox(o)}
          <p>
            <a href="/feeds/daily.atom">Atom feed</a> · <a href="/collections">Collections</a> ·
            <a href="/api/docs">API</a> · arXiv metadata is CC0; thank you to arXiv for use of its open access
            interoperability.
          </p>
        </footer>
      </body>
    </html>`.value;
}

/**
 * A 4xx/5xx page that says what went wrong and where to go next.
 */
export function errorPage(heading: string, message: string, user: User | null): string {
  return page(
    { title: heading, user, csrf: null },
    html`<section class="empty">
      <h1>${heading}</h1>
      <p>${message}</p>
      <p><a href="/">Back to the daily papers</a></p>
    </section>`,
  );
}
