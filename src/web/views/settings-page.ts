// The settings page: account, name, e-mail, password, daily digest, sign out everywhere, and personal API tokens.
import type { ApiTokenInfo, User } from '../../domain/index.ts';
import type { Subscription } from '../../services/digest/index.ts';
import { html, type SafeHtml } from './html.ts';
import { csrfField, field, formError } from './form-parts.ts';

export interface SettingsView {
  user: User;
  csrf: string;
  tokens: ApiTokenInfo[];
  /** Whether cards and paper pages show the extractive TL;DR. */
  summaries?: boolean;
  /** A token just created: shown once. */
  newToken?: string;
  error?: string;
  /** The digest subscription of the account's address; the section is left out without it. */
  digest?: DigestSettingsView;
}

export interface DigestSettingsView {
  /** null: the address never subscribed. */
  status: Subscription['status'] | null;
  /** The signed manage link, for an active or pending subscription. */
  manageUrl?: string;
  /** False when the address's subscription was made without the account (then its personal sections are off). */
  linked?: boolean;
  /** The account's subscriptions under other addresses (e.g. its e-mail before a change), unsubscribed ones left out. */
  others?: DigestSubscriptionView[];
}

/** One subscription of the account under another address. */
export interface DigestSubscriptionView {
  email: string;
  status: Subscription['status'];
  /** The signed manage link, for an active or pending subscription. */
  manageUrl?: string;
}

function tokenList(v: SettingsView): SafeHtml {
  if (v.tokens.length === 0) return html`<p>No tokens yet.</p>`;
  return html`<div class="table-scroll">
    <table class="tokens">
      <caption class="visually-hidden">
        Your API tokens
      </caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Starts with</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${v.tokens.map(
          (t) =>
            html`<tr>
              <td>${t.name}</td>
              <td><code>${t.prefix}…</code></td>
              <td>${t.createdAt.slice(0, 10)}</td>
              <td>${t.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? 'never'}</td>
              <td>
                <form method="post" action="/settings/tokens/${t.id}/revoke" class="inline">
                  ${csrfField(v.csrf)}<button type="submit" class="link">Revoke</button>
                </form>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function accountSection(v: SettingsView): SafeHtml {
  return html`<section aria-labelledby="acct-h">
    <h2 id="acct-h">Account</h2>
    <p>Signed in as <strong>${v.user.email}</strong> since ${v.user.createdAt.slice(0, 10)}.</p>
    <p><a href="/settings/profile">Profile: your handle and public page</a></p>
    <form method="post" action="/settings/name">
      ${csrfField(v.csrf)}
      ${field('Name', 'name', { value: v.user.name, autocomplete: 'name', maxlength: 80 })}<button
        type="submit"
      >
        Save name
      </button>
    </form>
  </section>`;
}

function emailSection(v: SettingsView): SafeHtml {
  return html`<section aria-labelledby="email-h">
    <h2 id="email-h">E-mail address</h2>
    <form method="post" action="/settings/email">
      ${csrfField(v.csrf)}
      ${field('New e-mail', 'email', {
        type: 'email',
        autocomplete: 'email',
        required: true,
        maxlength: 254,
        hint: 'We mail a link to the new address; the change takes effect when you open it.',
      })}
      ${field('Current password', 'password', {
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        maxlength: 256,
      })} <button type="submit">Change e-mail</button>
    </form>
  </section>`;
}

function passwordSection(v: SettingsView): SafeHtml {
  return html`<section aria-labelledby="pw-h">
    <h2 id="pw-h">Password</h2>
    <form method="post" action="/settings/password">
      ${csrfField(v.csrf)}
      ${field('Current password', 'current', {
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        maxlength: 256,
      })}
      ${field('New password', 'password', {
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        minlength: 8,
        maxlength: 256,
        hint: 'At least 8 characters. Other browsers are signed out and every API token is revoked.',
      })} <button type="submit">Change password</button>
    </form>
  </section>`;
}

function tokensSection(v: SettingsView): SafeHtml {
  return html`<section aria-labelledby="tok-h">
    <h2 id="tok-h">API tokens</h2>
    <p>
      Send a token as <code>Authorization: Bearer &lt;token&gt;</code> to use the
      <a href="/api/openapi.json">JSON API</a> as yourself. Tokens are created here only, never with a token,
      and all are revoked when the password is changed or reset or you sign out everywhere.
    </p>
    ${v.newToken !== undefined
      ? html`<p class="notice" role="status">
          New token (copy it now; it is not shown again): <code class="token">${v.newToken}</code>
        </p>`
      : ''}
    ${tokenList(v)}
    <form method="post" action="/settings/tokens">
      ${csrfField(v.csrf)}${field('Token name', 'name', {
        maxlength: 80,
        hint: 'Where you will use it, e.g. "laptop".',
      })}<button type="submit">Create token</button>
    </form>
  </section>`;
}

function digestSection(v: SettingsView, d: DigestSettingsView): SafeHtml {
  const email = v.user.email;
  const manage =
    d.manageUrl !== undefined
      ? html` <a href="${d.manageUrl}">Choose the time, frequency and sections</a>.`
      : '';
  const button = (label: string, action = '/settings/digest'): SafeHtml =>
    html`<form method="post" action="${action}">
      ${csrfField(v.csrf)}<button type="submit">${label}</button>
    </form>`;
  const link =
    d.linked === false
      ? html`<p>
            It was subscribed with the address alone, so its "For you", saved-search alerts and
            followed-authors sections need your account.
          </p>
          ${button('Link it to my account', '/settings/digest/link')}`
      : '';
  const body =
    d.status === 'active'
      ? html`<p>The digest goes to <strong>${email}</strong>.${manage}</p>
          ${link}`
      : d.status === 'pending'
        ? html`<p>
              A confirmation link was mailed to <strong>${email}</strong>; the digest starts once you open
              it.${manage}
            </p>
            ${button('Send the link again')}`
        : html`<p>
              ${d.status === 'bouncing'
                ? html`Mail to <strong>${email}</strong> bounced, so its digests stopped.`
                : html`<strong>${email}</strong> gets no digest.`}
              Subscribing from here also offers the "For you", saved-search alerts and followed-authors
              sections, drawn from your account.
            </p>
            ${button('Subscribe to the digest')}`;
  return html`<section aria-labelledby="digest-h">
    <h2 id="digest-h">Daily digest</h2>
    ${body}${(d.others ?? []).map(otherAddress)}
  </section>`;
}

/** A subscription the account made under another address: it keeps running until managed from here. */
function otherAddress(o: DigestSubscriptionView): SafeHtml {
  const manage =
    o.manageUrl !== undefined ? html` <a href="${o.manageUrl}">Manage or unsubscribe ${o.email}</a>.` : '';
  const state =
    o.status === 'active'
      ? html`The digest also goes to <strong>${o.email}</strong>, an address you subscribed with before.`
      : o.status === 'pending'
        ? html`A confirmation link was mailed to <strong>${o.email}</strong>, an address you subscribed with
            before.`
        : html`Mail to <strong>${o.email}</strong>, an address you subscribed with before, bounced, so its
            digests stopped.`;
  return html`<p class="digest-other">${state}${manage}</p>`;
}

function summariesSection(v: SettingsView): SafeHtml {
  const on = v.summaries ?? true;
  return html`<section aria-labelledby="tldr-h">
    <h2 id="tldr-h">Summaries</h2>
    <p>
      Cards and paper pages show a one-line TL;DR: the abstract's most central sentence (extractive, not
      written by a model). They are ${on ? 'shown' : 'hidden'} in this browser.
    </p>
    <form method="post" action="/settings/summaries">
      ${csrfField(v.csrf)}<input type="hidden" name="show" value="${on ? 'off' : 'on'}" />
      <button type="submit">${on ? 'Hide summaries' : 'Show summaries'}</button>
    </form>
  </section>`;
}

function signOutSection(v: SettingsView): SafeHtml {
  return html`<section aria-labelledby="out-h">
    <h2 id="out-h">Sign out everywhere</h2>
    <form method="post" action="/settings/signout-everywhere">
      ${csrfField(v.csrf)}
      <p>
        Ends every session of this account, on every device, this one included, and revokes every API token.
      </p>
      <button type="submit">Sign out everywhere</button>
    </form>
  </section>`;
}

/**
 * Renders the settings page body.
 */
export function settingsBody(v: SettingsView): SafeHtml {
  return html`<h1>Settings</h1>
    ${formError(v.error)}
    ${accountSection(v)}${emailSection(v)}${passwordSection(v)}${v.digest !== undefined
      ? digestSection(v, v.digest)
      : ''}${summariesSection(v)}${tokensSection(v)}${signOutSection(v)}`;
}
