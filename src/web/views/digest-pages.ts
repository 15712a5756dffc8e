// Digest pages: subscribe form, "check your inbox", confirmed, unsubscribe (one button) and manage settings.
import type { Subscription } from '../../services/digest/index.ts';
import { csrfField, emailField, field, formError } from './form-parts.ts';
import { html, type SafeHtml } from './html.ts';

/** The subscribe form; `email` prefills it (from the box on every page). */
export function subscribeForm(v: {
  csrf: string;
  email?: string;
  error?: string;
  signedIn?: boolean;
}): SafeHtml {
  return html`<section class="narrow">
    <h1>Get trending papers in your inbox</h1>
    <p>A short e-mail with the papers readers here upvote most, on the days arXiv announces new ones.</p>
    ${formError(v.error)}
    <form method="post" action="/digest/subscribe">
      ${csrfField(v.csrf)} ${emailField(v.email)}
      <button type="submit">Subscribe</button>
    </form>
    <p>We mail you a link to confirm first. Every digest has a one-click unsubscribe link.</p>
    ${v.signedIn === true
      ? html`<p>
          To add your "For you", saved-search alerts and followed-authors sections, subscribe with your
          account's address and choose the sections under <a href="/settings">Settings</a>.
        </p>`
      : html`<p>
          The "For you", saved-search alerts and followed-authors sections need an account:
          <a href="/signin">sign in</a> (or <a href="/signup">sign up</a>) and subscribe from Settings.
        </p>`}
  </section>`;
}

export function subscribeSent(email: string): SafeHtml {
  return html`<section class="narrow">
    <h1>Check your inbox</h1>
    <p>If ${email} can get mail, a confirmation link is on its way. The digest starts once you open it.</p>
  </section>`;
}

export function subscribeConfirmed(email: string, manageUrl: string): SafeHtml {
  return html`<section class="narrow">
    <h1>You are subscribed</h1>
    <p>The digest goes to ${email}. <a href="${manageUrl}">Choose the time, frequency and sections</a>.</p>
  </section>`;
}

/**
 * The page a confirmation link opens: a button, so that mail scanners following the link start no digest.
 */
export function confirmSubscriptionPage(v: { csrf: string; action: string }): SafeHtml {
  return html`<section class="narrow">
    <h1>Confirm your digest</h1>
    <p>Start the Paperboy digest at the address this link was mailed to?</p>
    <form method="post" action="${v.action}">
      ${csrfField(v.csrf)}<button type="submit">Start the digest</button>
    </form>
  </section>`;
}

/** The unsubscribe page: a button, so that link scanners opening the URL unsubscribe nobody. */
export function unsubscribePage(sub: Subscription, action: string): SafeHtml {
  if (sub.status === 'unsubscribed')
    return html`<section class="narrow">
      <h1>Unsubscribed</h1>
      <p>${sub.email} gets no more digests.</p>
    </section>`;
  return html`<section class="narrow">
    <h1>Unsubscribe</h1>
    <p>Stop the Paperboy digest to ${sub.email}?</p>
    <form method="post" action="${action}">
      <button type="submit">Unsubscribe</button>
    </form>
  </section>`;
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SECTIONS: [Subscription['sections'][number], string][] = [
  ['trending', 'Trending papers'],
  ['foryou', 'For you'],
  ['alerts', 'Saved-search alerts'],
  ['authors', 'Followed authors and topics'],
];
/** Only a subscription without an account is told that the personal sections need one. */
const NEEDS_ACCOUNT = ' (needs an account)';

/** The settings of a subscription, reached by its signed manage link. */
export function managePage(v: {
  sub: Subscription;
  action: string;
  unsubscribeUrl: string;
  csrf: string;
  error?: string;
  saved?: boolean;
}): SafeHtml {
  const s = v.sub;
  return html`<section class="narrow">
    <h1>Your digest</h1>
    <p>For ${s.email} (${s.status}).${v.saved === true ? ' Saved.' : ''}</p>
    ${s.userId === null
      ? html`<p class="hint">
          This subscription has no account, so it gets the trending papers only. For you, saved-search alerts
          and followed authors come from an account: <a href="/signin">sign in</a> (or
          <a href="/signup">sign up</a>) with ${s.email} and link the digest under Settings.
        </p>`
      : ''}
    ${formError(v.error)}
    <form method="post" action="${v.action}">
      ${csrfField(v.csrf)}
      <p class="field">
        <label for="f-frequency">How often</label>
        <select id="f-frequency" name="frequency">
          <option value="daily" ${s.frequency === 'daily' ? 'selected' : ''}>Daily (Monday to Friday)</option>
          <option value="weekly" ${s.frequency === 'weekly' ? 'selected' : ''}>Weekly</option>
        </select>
      </p>
      <p class="field">
        <label for="f-weekday">Day (weekly)</label>
        <select id="f-weekday" name="weekday">
          ${WEEKDAYS.map(
            (d, i) => html`<option value="${i}" ${s.weekday === i ? 'selected' : ''}>${d}</option>`,
          )}
        </select>
      </p>
      <p class="field">
        <label for="f-sendHour">Hour</label>
        <select id="f-sendHour" name="sendHour">
          ${HOURS.map(
            (h) => html`<option value="${h}" ${s.sendHour === h ? 'selected' : ''}>${h}:00</option>`,
          )}
        </select>
      </p>
      ${field('Time zone', 'timeZone', {
        value: s.timeZone,
        required: true,
        maxlength: 64,
        hint: 'e.g. Europe/Berlin',
      })}
      ${field('Papers at most', 'maxPapers', { value: String(s.maxPapers), required: true, maxlength: 2 })}
      <fieldset>
        <legend>Sections</legend>
        ${SECTIONS.map(
          ([name, label]) =>
            html`<label
                ><input
                  type="checkbox"
                  name="section-${name}"
                  value="on"
                  ${s.sections.includes(name) ? 'checked' : ''}
                />
                ${label}${name !== 'trending' && s.userId === null ? NEEDS_ACCOUNT : ''}</label
              ><br />`,
        )}
      </fieldset>
      <button type="submit">Save</button>
    </form>
    <p><a href="${v.unsubscribeUrl}">Unsubscribe</a></p>
  </section>`;
}
