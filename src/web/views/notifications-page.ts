// The reader's notifications page and personal Atom feed: replies to them and comments on papers they saved.
import type { ReaderNotification } from '../../domain/comment.ts';
import { plainTitle } from '../../digest/index.ts';
import { commentHtml } from '../../services/discussion/index.ts';
import { csrfField } from './form-parts.ts';
import { html, rawHtml, xml, type SafeHtml } from './html.ts';
import { commentPath, relativeTime } from './discussion-section.ts';

/** What a notification says happened, in words. */
function headline(n: ReaderNotification): string {
  const who = n.authorName !== '' ? n.authorName : 'A reader';
  return n.kind === 'reply'
    ? `${who} replied to your comment on ${plainTitle(n.paperTitle)}`
    : `${who} commented on ${plainTitle(n.paperTitle)} (in your library)`;
}

/**
 * The /notifications page body.
 */
export function notificationsBody(
  list: readonly ReaderNotification[],
  csrf: string,
  feedUrl: string,
  now: Date,
): SafeHtml {
  const unread = list.some((n) => n.readAt === null);
  return html`<h1>Notifications</h1>
    <p class="meta">
      Replies to your comments and new comments on papers in your library.
      <a href="${feedUrl}">Atom feed</a> (a private link: rotate it under Settings → library feed keys).
    </p>
    ${unread
      ? html`<form method="post" action="/notifications/read" class="inline">
          ${csrfField(csrf)}<button type="submit">Mark all as read</button>
        </form>`
      : ''}
    ${list.length === 0
      ? html`<p>
          Nothing yet. When someone replies to you, or comments on a paper you saved, it shows here.
        </p>`
      : html`<ol class="notifications">
          ${list.map(
            (n) =>
              html`<li class="${n.readAt === null ? 'unread' : 'read'}">
                <p class="meta">
                  <a href="${commentPath(n.paperId, n.commentId)}">${headline(n)}</a> ·
                  <time datetime="${n.createdAt}">${relativeTime(n.createdAt, now)}</time>
                  ${n.readAt === null ? html`<span class="badge">new</span>` : ''}
                </p>
                <blockquote class="comment-body">${rawHtml(commentHtml(n.body))}</blockquote>
              </li>`,
          )}
        </ol>`}`;
}

/**
 * The personal notifications feed (Atom 1.0); every value is escaped for XML.
 */
export function notificationsFeed(
  list: readonly ReaderNotification[],
  info: { self: string; base: string; alternate: string },
): string {
  const updated = list[0]?.createdAt ?? '1970-01-01T00:00:00Z';
  return xml`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${info.self}</id>
<title>Paperboy notifications</title>
<updated>${updated}</updated>
<author><name>Paperboy</name></author>
<link rel="self" href="${info.self}"/>
<link rel="alternate" type="text/html" href="${info.alternate}"/>
${list.map((n) => {
  const link = `${info.base}${commentPath(n.paperId, n.commentId)}`;
  return xml`<entry>
<id>${info.base}/comments/${String(n.commentId)}</id>
<title>${headline(n)}</title>
<updated>${n.createdAt}</updated>
<author><name>${n.authorName !== '' ? n.authorName : 'A reader'}</name></author>
<link rel="alternate" type="text/html" href="${link}"/>
<content type="html">${commentHtml(n.body)}</content>
</entry>`;
})}
</feed>`.value;
}
