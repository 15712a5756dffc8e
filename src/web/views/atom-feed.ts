// Atom 1.0 feeds of papers (daily papers, a library tag, a search).
import type { Paper } from '../../domain/index.ts';
import { plainTitle } from '../../services/digest-math-text.ts';
import { escapeHtml } from './html.ts';
import { paperPath } from './paths.ts';

export interface FeedInfo {
  title: string;
  /** Absolute URL of the feed itself. */
  self: string;
  /** Absolute URL of the page the feed mirrors. */
  alternate: string;
  /** The site origin, for entry links. */
  base: string;
  updated: string;
}

/** Escapes for XML and drops characters XML 1.0 forbids (control characters), which would break readers. */
function x(s: string): string {
  let clean = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c >= 32 || c === 9 || c === 10 || c === 13) && c !== 0xfffe && c !== 0xffff) clean += ch;
  }
  return escapeHtml(clean);
}

function entry(p: Paper, base: string): string {
  const link = `${base}${paperPath(p.id)}`;
  return `<entry>
<id>${x(link)}</id>
<title>${x(plainTitle(p.title))}</title>
<updated>${x(toRfc3339(p.modifiedAt))}</updated>
${p.published !== null ? `<published>${x(toRfc3339(p.published))}</published>` : ''}
${p.authors.map((a) => `<author><name>${x(a)}</name></author>`).join('')}
<link rel="alternate" type="text/html" href="${x(link)}"/>
${p.pdfUrl !== null ? `<link rel="related" type="application/pdf" href="${x(p.pdfUrl)}"/>` : ''}
${p.categories.map((c) => `<category term="${x(c)}"/>`).join('')}
<summary>${x(plainTitle(p.abstract))}</summary>
</entry>`;
}

/** A date or timestamp as RFC 3339 (Atom needs a full timestamp). */
function toRfc3339(s: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
}

/**
 * Renders a feed; every value is escaped for XML.
 * @example atomFeed({ title: 'Daily papers', self, alternate, base, updated }, papers)
 */
export function atomFeed(info: FeedInfo, papers: readonly Paper[]): string {
  const authorless = papers.some((p) => p.authors.length === 0)
    ? `<author><name>Paperboy</name></author>`
    : '';
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${x(info.self)}</id>
<title>${x(info.title)}</title>
<updated>${x(toRfc3339(info.updated))}</updated>
<link rel="self" type="application/atom+xml" href="${x(info.self)}"/>
<link rel="alternate" type="text/html" href="${x(info.alternate)}"/>
<generator>Paperboy</generator>
${authorless}
${papers.map((p) => entry(p, info.base)).join('\n')}
</feed>
`;
}
