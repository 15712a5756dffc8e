// Atom 1.0 feeds of papers (daily papers, a library tag, a search).
import { enrichPaper } from '../../services/enrich/index.ts';
import type { Paper } from '../../domain/index.ts';
import { href } from '../../domain/links.ts';
import { plainTitle } from '../../digest/index.ts';
import { joinHtml, xml, type SafeHtml } from './html.ts';
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

function entry(p: Paper, base: string): SafeHtml {
  const link = `${base}${paperPath(p.id)}`;
  const pdf = href(p.pdfUrl);
  return xml`<entry>
<id>${link}</id>
<title>${plainTitle(p.title)}</title>
<updated>${toRfc3339(p.modifiedAt)}</updated>
${p.published !== null ? xml`<published>${toRfc3339(p.published)}</published>` : ''}
${p.authors.map((a) => xml`<author><name>${a}</name></author>`)}
<link rel="alternate" type="text/html" href="${link}"/>
${pdf !== null ? xml`<link rel="related" type="application/pdf" href="${pdf}"/>` : ''}
${enrichPaper(p)
  .links.filter((l) => l.kind !== 'other')
  .map((l) => xml`<link rel="related" type="text/html" href="${l.url}" title="${l.kind}: ${l.label}"/>`)}
${p.categories.map((c) => xml`<category term="${c}"/>`)}
<summary>${plainTitle(p.abstract)}</summary>
</entry>`;
}

/** A date or timestamp as RFC 3339 (Atom needs a full timestamp). */
function toRfc3339(s: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
}

/**
 * Renders a feed; every value is escaped for XML.
 */
export function atomFeed(info: FeedInfo, papers: readonly Paper[]): string {
  const authorless = papers.some((p) => p.authors.length === 0)
    ? xml`<author><name>Paperboy</name></author>`
    : '';
  const entries = joinHtml(
    papers.map((p) => entry(p, info.base)),
    '\n',
  );
  return xml`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${info.self}</id>
<title>${info.title}</title>
<updated>${toRfc3339(info.updated)}</updated>
<link rel="self" type="application/atom+xml" href="${info.self}"/>
<link rel="alternate" type="text/html" href="${info.alternate}"/>
<generator>Paperboy</generator>
${authorless}
${entries}
</feed>
`.value;
}
