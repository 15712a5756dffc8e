// The admin digest preview: a form (address, date) and the digest that address would get, as HTML or plain text.
import { field, formError } from './form-parts.ts';
import { html, rawHtml, type SafeHtml } from './html.ts';

/** A rendered digest as the preview shows it. */
export interface PreviewedDigest {
  subject: string;
  /** The whole HTML document the digest renderer made (everything in it already escaped). */
  html: string;
  text: string;
  headers: Record<string, string>;
}

export interface DigestPreviewView {
  to: string;
  date: string;
  format: 'html' | 'text';
  error?: string;
  preview?: PreviewedDigest;
  /** The address's subscription status; null when it has none (the preview then uses the default settings). */
  status?: string | null;
}

const PATH = '/admin/digest/preview';

/** The body of the mail's HTML document: its inline styles are allowed by the site's CSP, scripts are absent. */
function mailBody(doc: string): SafeHtml {
  return rawHtml(/<body[^>]*>([\s\S]*)<\/body>/.exec(doc)?.[1] ?? '');
}

function toggle(v: DigestPreviewView): SafeHtml {
  const href = (format: DigestPreviewView['format']): string =>
    `${PATH}?${new URLSearchParams({ to: v.to, date: v.date, format }).toString()}`;
  const item = (format: DigestPreviewView['format'], label: string): SafeHtml =>
    v.format === format
      ? html`<strong aria-current="page">${label}</strong>`
      : html`<a href="${href(format)}">${label}</a>`;
  return html`<p class="preview-toggle">Show: ${item('html', 'HTML')} · ${item('text', 'Plain text')}</p>`;
}

function previewBlock(v: DigestPreviewView, p: PreviewedDigest): SafeHtml {
  return html`<section aria-labelledby="preview-h">
    <h2 id="preview-h">What ${v.to} would get</h2>
    <p>
      ${v.status === null || v.status === undefined
        ? 'This address has no subscription, so the preview uses the default settings (trending, 10 papers).'
        : `Its subscription is ${v.status}.`}
      Nothing was sent or recorded: this digest counts as neither delivered nor seen.
    </p>
    <dl>
      <dt>Subject</dt>
      <dd>${p.subject}</dd>
      <dt>List-Unsubscribe</dt>
      <dd><code>${p.headers['List-Unsubscribe'] ?? ''}</code></dd>
    </dl>
    ${toggle(v)}
    ${v.format === 'text'
      ? html`<pre class="digest-text" style="white-space:pre-wrap">${p.text}</pre>`
      : html`<div class="digest-html" style="border:1px solid #888888">${mailBody(p.html)}</div>`}
  </section>`;
}

/**
 * The preview page body.
 */
export function digestPreviewPage(v: DigestPreviewView): SafeHtml {
  return html`<h1>Digest preview</h1>
    <p>See the digest an address would get today (or on a given date), without sending or recording it.</p>
    ${formError(v.error)}
    <form method="get" action="${PATH}">
      ${field('E-mail', 'to', { type: 'email', value: v.to, required: true, maxlength: 254 })}
      ${field('Date', 'date', { value: v.date, maxlength: 10, hint: 'YYYY-MM-DD; empty: today (UTC)' })}
      <input type="hidden" name="format" value="${v.format}" />
      <button type="submit">Preview</button>
    </form>
    ${v.preview !== undefined ? previewBlock(v, v.preview) : ''}`;
}
