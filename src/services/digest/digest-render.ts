// Renders one digest e-mail (subject, HTML with inline styles, plain text, headers): pure, no I/O.
import { enrichPaper } from '../enrich/index.ts';
import { html, joinHtml, type SafeHtml } from '../../domain/html.ts';
import type { Paper } from '../../domain/index.ts';
import { href } from '../../domain/links.ts';
import { mathText } from '../../digest/index.ts';

export interface RenderedSection {
  title: string;
  papers: { paper: Paper; votes?: number; reason?: string }[];
}

/** A reply to the subscriber's comment (community issue), for the "Replies to you" section. */
export interface DigestReply {
  authorName: string;
  paperTitle: string;
  /** Markdown source; shown as plain text, clipped. */
  body: string;
  /** Absolute link to the reply on its paper page. */
  url: string;
}

export interface DigestRenderInput {
  email: string;
  /** Replies to the subscriber's comments since the last digest; the section is left out when empty. */
  replies?: DigestReply[];
  /** The subscriber's local date of the digest (YYYY-MM-DD). */
  digestDate: string;
  frequency: 'daily' | 'weekly';
  sections: RenderedSection[];
  /** Site origin without a trailing slash, e.g. https://papers.example.org. */
  baseUrl: string;
  unsubscribeUrl: string;
  manageUrl: string;
  messageId: string;
}

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

function paperUrl(baseUrl: string, id: string): string {
  return `${baseUrl}/papers/${id.split('/').map(encodeURIComponent).join('/')}`;
}

function arxivUrl(p: Paper): string | null {
  // A record's own link is shown only when it is a web link (mail has no CSP to stop a `javascript:` one).
  return p.arxivId !== null ? `https://arxiv.org/abs/${p.arxivId}` : href(p.absUrl);
}

function authorLine(p: Paper): string {
  const a = p.authors.slice(0, 5).join(', ');
  return p.authors.length > 5 ? `${a} and ${p.authors.length - 5} more` : a;
}

/** At most `n` characters (code points) of `s`, with an ellipsis when cut. */
function clip(s: string, n: number): string {
  if (s.length <= n) return s; // UTF-16 length is never below the code point count
  if (!/[\uD800-\uDFFF]/.test(s)) return `${s.slice(0, n - 1).trimEnd()}…`; // one unit per character
  const chars: string[] = [];
  for (const c of s) {
    if (chars.length === n)
      return `${chars
        .slice(0, n - 1)
        .join('')
        .trimEnd()}…`;
    chars.push(c);
  }
  return s;
}

/** Abstracts are cut to this many characters after the math is made readable. */
const ABSTRACT_CHARS = 400;

/** A paper as both parts show it, worked out once per digest. */
interface Shown {
  title: string;
  abstract: string;
  /** The extractive TL;DR (mail readers get the one line before the abstract), or null. */
  summary: string | null;
  /** The paper's first code link, or null. */
  code: { url: string; label: string } | null;
  authors: string;
  category: string | undefined;
  url: string;
  arxiv: string | null;
  votes: number;
  reason: string | undefined;
}

interface ShownSection {
  title: string;
  papers: Shown[];
}

function shownSections(i: DigestRenderInput): ShownSection[] {
  return i.sections.map((s) => ({
    title: s.title,
    papers: s.papers.map((e) => ({
      title: mathText(e.paper.title),
      // Math only shortens text, so three times the kept length is plenty for mathText to scan.
      abstract: clip(mathText(clip(e.paper.abstract, ABSTRACT_CHARS * 3)), ABSTRACT_CHARS),
      summary: summaryOf(e.paper),
      code: enrichPaper(e.paper).links.find((l) => l.kind === 'code') ?? null,
      authors: authorLine(e.paper),
      category: e.paper.categories[0],
      url: paperUrl(i.baseUrl, e.paper.id),
      arxiv: arxivUrl(e.paper),
      votes: e.votes ?? 0,
      reason: e.reason,
    })),
  }));
}

function summaryOf(p: Paper): string | null {
  const s = enrichPaper(p).summary;
  return s === null ? null : clip(mathText(s.text), ABSTRACT_CHARS);
}

/** The subject: the date and the top paper's title. */
/** Characters of a reply quoted in the digest. */
const REPLY_CHARS = 280;

function replies(i: DigestRenderInput): DigestReply[] {
  return i.replies ?? [];
}

function subjectOf(i: DigestRenderInput): string {
  const top = i.sections.flatMap((s) => s.papers)[0];
  const kind = i.frequency === 'weekly' ? 'Weekly papers' : 'Daily papers';
  const title = top ? `: ${clip(mathText(top.paper.title), 80)}` : '';
  return `${kind} ${i.digestDate}${title}`.replace(/[\r\n]+/g, ' ');
}

const S = {
  body: 'margin:0;padding:0;background:#ffffff;color:#1a1a1a;',
  wrap: 'max-width:640px;margin:0 auto;padding:16px;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;',
  h1: 'font-size:20px;margin:0 0 12px;color:#1a1a1a;',
  h2: 'font-size:16px;margin:20px 0 8px;padding-bottom:4px;border-bottom:1px solid #888888;color:#1a1a1a;',
  title: 'font-size:16px;font-weight:600;color:#1f5fbf;text-decoration:underline;',
  meta: 'font-size:13px;color:#555555;margin:2px 0;',
  abs: 'font-size:14px;margin:6px 0 0;color:#1a1a1a;',
  links: 'font-size:13px;margin:4px 0 0;',
  a: 'color:#1f5fbf;',
  foot: 'font-size:12px;color:#555555;margin-top:24px;border-top:1px solid #888888;padding-top:8px;',
};

function htmlPaper(p: Shown): SafeHtml {
  const why = p.reason !== undefined ? html`<p style="${S.meta}">${p.reason}</p>` : '';
  const votes = p.votes > 0 ? ` · ${p.votes} upvote${p.votes === 1 ? '' : 's'}` : '';
  const category = p.category !== undefined ? ` · ${p.category}` : '';
  const arxiv = p.arxiv !== null ? html` · <a href="${p.arxiv}" style="${S.a}">arXiv</a>` : '';
  const code =
    p.code !== null ? html` · <a href="${p.code.url}" style="${S.a}">Code: ${p.code.label}</a>` : '';
  return html`<tr>
    <td style="padding:10px 0;">
      <a href="${p.url}" style="${S.title}">${p.title}</a>
      <p style="${S.meta}">${p.authors}${category}${votes}</p>
      ${why}
      ${p.summary !== null
        ? html`<p style="${S.abs}"><b>TL;DR</b> <span style="${S.meta}">(extractive)</span> ${p.summary}</p>`
        : ''}
      <p style="${S.abs}">${p.abstract}</p>
      <p style="${S.links}"><a href="${p.url}" style="${S.a}">On Paperboy</a>${arxiv}${code}</p>
    </td>
  </tr>`;
}

function whyLine(i: DigestRenderInput): string {
  return `You get this because ${i.email} subscribed to the ${i.frequency} Paperboy digest at ${i.baseUrl}.`;
}

function renderHtml(i: DigestRenderInput, shown: ShownSection[], subject: string): string {
  const sections = shown.map(
    (s) =>
      html`<h2 style="${S.h2}">${s.title}</h2>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
          ${joinHtml(s.papers.map(htmlPaper), '\n')}
        </table>`,
  );
  const empty =
    i.sections.length === 0 && replies(i).length === 0
      ? html`<p>Nothing new since your last digest.</p>`
      : '';
  const replySection =
    replies(i).length === 0
      ? ''
      : html`<h2 style="${S.h2}">Replies to you</h2>
          ${joinHtml(
            replies(i).map(
              (r) =>
                html`<p style="${S.abs}">
                  <b>${r.authorName}</b> on <a href="${r.url}" style="${S.a}">${mathText(r.paperTitle)}</a>:
                  ${clip(r.body, REPLY_CHARS)}
                </p>`,
            ),
            '\n',
          )}`;
  // The viewport line keeps phones from shrinking the 640-pixel column to a desktop-wide page.
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>${subject}</title>
      </head>
      <body style="${S.body}">
        <div style="${S.wrap}">
          <h1 style="${S.h1}">${subject}</h1>
          ${replySection}${joinHtml(sections, '\n')}${empty}
          <p style="${S.foot}">
            ${whyLine(i)}<br /><a href="${i.manageUrl}" style="${S.a}">Manage your digest</a> ·
            <a href="${i.unsubscribeUrl}" style="${S.a}">Unsubscribe</a>
          </p>
        </div>
      </body>
    </html>`.value;
}

function renderText(i: DigestRenderInput, shown: ShownSection[], subject: string): string {
  const lines = [subject, '='.repeat(Math.min(subject.length, 72)), ''];
  if (replies(i).length > 0) {
    lines.push('REPLIES TO YOU', '');
    for (const r of replies(i))
      lines.push(
        `${r.authorName} on ${mathText(r.paperTitle)}:`,
        `   ${clip(r.body, REPLY_CHARS)}`,
        `   ${r.url}`,
        '',
      );
  }
  let n = 0;
  for (const s of shown) {
    lines.push(s.title.toUpperCase(), '');
    for (const p of s.papers) {
      n += 1;
      lines.push(`${n}. ${p.title}`, `   ${p.authors}`);
      if (p.reason !== undefined) lines.push(`   ${p.reason}`);
      if (p.summary !== null) lines.push('', `   TL;DR (extractive): ${p.summary}`);
      lines.push('', `   ${p.abstract}`, '', `   ${p.url}`);
      if (p.code !== null) lines.push(`   Code: ${p.code.url}`);
      if (p.arxiv !== null) lines.push(`   ${p.arxiv}`);
      lines.push('');
    }
  }
  if (i.sections.length === 0 && replies(i).length === 0)
    lines.push('Nothing new since your last digest.', '');
  lines.push('--', whyLine(i), `Manage: ${i.manageUrl}`, `Unsubscribe: ${i.unsubscribeUrl}`, '');
  return lines.join('\n');
}

/**
 * Renders a digest; the List-Unsubscribe headers follow RFC 8058 (one-click POST).
 */
export function renderDigest(i: DigestRenderInput): RenderedDigest {
  const subject = subjectOf(i);
  const shown = shownSections(i);
  return {
    subject,
    html: renderHtml(i, shown, subject),
    text: renderText(i, shown, subject),
    headers: {
      'List-Unsubscribe': `<${i.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `Paperboy digest <digest.${new URL(i.baseUrl).hostname}>`,
      'Auto-Submitted': 'auto-generated',
    },
  };
}
