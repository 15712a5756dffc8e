// The site's stylesheet, served from memory: light and dark from the system setting, visible focus, phone-first.
export const SITE_CSS = `
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fff; --muted: #52555c; --accent: #0b5cad; --card: #f4f5f7; --line: #d9dce1; --warn: #8a1c1c; --ok: #14532d; }
@media (prefers-color-scheme: dark) { :root { --fg: #e7e7ea; --bg: #131417; --muted: #a9acb3; --accent: #8cbcff; --card: #1c1e22; --line: #33363c; --warn: #ffb4b4; --ok: #a7f3c0; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem; z-index: 10; }
.skip:focus { left: .5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; color: var(--fg); }
form.search { position: relative; display: flex; gap: .25rem; flex: 1 1 16rem; max-width: 32rem; }
form.search input { flex: 1; min-width: 0; }
.suggestions { position: absolute; top: 100%; left: 0; right: 0; z-index: 5; margin: .25rem 0 0; padding: .25rem 0; list-style: none; background: var(--bg); border: 1px solid var(--line); border-radius: .4rem; box-shadow: 0 4px 16px rgb(0 0 0 / .15); }
.suggestions a { display: block; padding: .35rem .75rem; text-decoration: none; color: var(--fg); }
.suggestions a:hover, .suggestions a:focus { background: var(--card); }
.suggestions [role="option"] { padding: .35rem .75rem; cursor: pointer; }
.suggestions [role="option"][aria-selected="true"], .suggestions [role="option"]:hover { background: var(--card); }
.suggestions .kind { font-size: .75em; color: var(--muted); margin-right: .25rem; }
form.search textarea { flex: 1; min-width: 0; font: inherit; resize: vertical; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; list-style: none; align-items: center; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
main:focus { outline: none; }
footer.site { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .85rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; }
h1 small { display: block; font-size: 1rem; font-weight: 400; color: var(--muted); }
input, select, button, textarea { font: inherit; color: inherit; }
input, select { padding: .4rem .5rem; border: 1px solid var(--line); border-radius: .35rem; background: var(--bg); }
button, .button { padding: .4rem .8rem; border: 1px solid var(--accent); border-radius: .35rem; background: var(--accent); color: var(--bg); cursor: pointer; text-decoration: none; display: inline-block; }
button.link { background: none; border: none; color: var(--accent); padding: 0; text-decoration: underline; }
form.inline { display: inline; }
p.reason { margin: .25rem 0; font-size: .9rem; color: var(--muted); font-style: italic; }
.foryou-actions { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: .25rem 0; font-size: .9rem; }
.periods ul { gap: 0; border: 1px solid var(--line); border-radius: .4rem; display: inline-flex; overflow: hidden; }
.periods a { display: block; padding: .3rem .9rem; text-decoration: none; }
.periods a[aria-current] { background: var(--accent); color: var(--bg); }
.days { display: flex; justify-content: space-between; gap: 1rem; margin: .75rem 0; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem .75rem; align-items: end; margin-bottom: 1rem; }
.filters label { display: flex; flex-direction: column; gap: .15rem; font-size: .85rem; color: var(--muted); }
.filters select, .filters input { color: var(--fg); min-width: 0; width: 100%; }
.api-index { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; list-style: none; font-size: .9rem; }
.api-op { border-top: 1px solid var(--line); padding-top: .5rem; }
.api-op h3 code { overflow-wrap: anywhere; }
.table-scroll { overflow-x: auto; max-width: 100%; }
.digest-html { overflow-x: auto; max-width: 100%; background: #fff; color: #1b1b1f; color-scheme: light; }
.digest-html img, .digest-html table { max-width: 100%; }
dd code, .digest-text { overflow-wrap: anywhere; }
.cards { display: grid; gap: .9rem; }
.card { display: grid; grid-template-columns: 3.5rem 1fr; gap: .75rem; background: var(--card); border-radius: .6rem; padding: .8rem 1rem; }
.card h2 { font-size: 1.1rem; line-height: 1.3; margin: 0 0 .25rem; }
.card h2 a { color: var(--fg); text-decoration: none; }
.card h2 a:hover { text-decoration: underline; }
.meta, .cats, .actions, .tags { margin: .15rem 0; font-size: .9rem; color: var(--muted); }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; }
.cat, .tag { display: inline-block; padding: 0 .45rem; border: 1px solid var(--line); border-radius: 1rem; font-size: .8rem; text-decoration: none; margin-right: .15rem; }
.filters label.toggle { flex-direction: row; align-items: center; align-self: end; gap: .35rem; color: var(--fg); font-size: .9rem; min-height: 2.2rem; }
.filters label.toggle input { width: auto; }
/* A long repository name is cut with an ellipsis, never widening the card on a phone. */
.card-body, .chips, .chip { min-width: 0; }
.chips { display: flex; flex-wrap: wrap; gap: .35rem; margin: .3rem 0; }
.chip { display: inline-block; max-width: 100%; box-sizing: border-box; padding: .1rem .55rem; border: 1px solid var(--line); border-radius: 1rem; background: var(--bg); font-size: .8rem; text-decoration: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.chip-kind { font-weight: 600; color: var(--fg); margin-right: .2rem; }
.chip-code { border-color: var(--accent); }
.tldr { margin: .35rem 0; font-size: .95rem; }
.chip-stars { color: var(--muted); margin-left: .25rem; }
.thumb { float: right; width: 116px; height: 150px; margin: 0 0 .4rem .75rem; border: 1px solid var(--line); border-radius: .25rem; background: #fff; object-fit: contain; }
.thumb-none { display: flex; align-items: center; justify-content: center; box-sizing: border-box; background: var(--bg); color: var(--muted); font-size: .75rem; }
.tldr-label { font-weight: 600; margin-right: .25rem; }
.tldr-label small { font-weight: 400; color: var(--muted); }
.abstract { margin: .35rem 0; overflow-wrap: anywhere; }
.vote { display: flex; flex-direction: column; align-items: center; justify-content: center; width: 3.5rem; min-height: 3.5rem; padding: .25rem; border: 1px solid var(--line); border-radius: .5rem; background: var(--bg); color: var(--fg); text-decoration: none; }
.vote[aria-pressed="true"] { border-color: var(--accent); background: var(--accent); color: var(--bg); }
.save { display: inline-block; padding: .15rem .6rem; font-size: .85rem; line-height: 1.5; border: 1px solid var(--accent); border-radius: .35rem; background: var(--bg); color: var(--accent); text-decoration: none; }
.save[aria-pressed="true"] { background: var(--accent); color: var(--bg); }
.paper-actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: 1rem 0; }
.abstract-full { overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.save-tags { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0 .5rem; }
.hint { color: var(--muted); font-size: .85rem; }
.field { display: flex; flex-direction: column; gap: .2rem; max-width: 26rem; }
.narrow { max-width: 28rem; }
.notice { padding: .5rem .75rem; border-left: 4px solid var(--ok); background: var(--card); }
.error { padding: .5rem .75rem; border-left: 4px solid var(--warn); background: var(--card); color: var(--warn); }
.empty { padding: 1rem; border: 1px dashed var(--line); border-radius: .6rem; }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin: 1.5rem 0; }
pre { overflow-x: auto; background: var(--card); padding: .75rem; border-radius: .4rem; white-space: pre-wrap; }
code.token { overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
.katex-display { overflow-x: auto; overflow-y: hidden; }
mark { background: #ffe58a; color: #1b1b1f; padding: 0 .1em; }
.collection-form textarea, .note-form textarea { padding: .4rem .5rem; border: 1px solid var(--line); border-radius: .35rem; background: var(--bg); width: 100%; resize: vertical; }
.collection-list { list-style: none; padding: 0; margin: .5rem 0 1rem; display: grid; gap: .6rem; }
.collection-list li { background: var(--card); border-radius: .6rem; padding: .6rem .8rem; overflow-wrap: anywhere; }
.collection-list .title { font-weight: 600; margin-right: .5rem; }
.collection-list .meta { color: var(--muted); font-size: .9rem; }
.collection-list .desc, .collection-head .desc { margin: .25rem 0 0; white-space: pre-line; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: .75rem; padding: 0 .4rem; border: 1px solid var(--line); border-radius: 1rem; color: var(--muted); vertical-align: middle; font-weight: 400; }
.collection-head { display: grid; grid-template-columns: 3.5rem 1fr; gap: .75rem; align-items: start; }
.collection-head h1 { margin-top: 0; overflow-wrap: anywhere; }
.vote.static { cursor: default; }
.share-url { width: min(100%, 22rem); }
.collection-items { list-style: none; padding: 0; display: grid; gap: 1rem; }
.note { margin: .4rem 0; padding: .4rem .7rem; border-left: 3px solid var(--accent); background: var(--bg); white-space: pre-line; overflow-wrap: anywhere; }
.item-controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; padding: .5rem 1rem 0; font-size: .9rem; }
.note-form { display: flex; flex-wrap: wrap; gap: .35rem; align-items: end; flex: 1 1 18rem; }
.note-form textarea { flex: 1 1 14rem; }
.move-form button:disabled { opacity: .45; cursor: default; }
.collection-form { display: grid; gap: .6rem; margin: .75rem 0; max-width: 32rem; }
.collection-form fieldset { border: 1px solid var(--line); border-radius: .4rem; }
.field.check { flex-direction: row; align-items: center; gap: .5rem; max-width: none; }
button.danger { background: none; color: var(--warn); border-color: var(--warn); }
.paper-links { padding-left: 1.2rem; overflow-wrap: anywhere; }
.card .add-to { margin-left: .5rem; }
@media (max-width: 32rem) {
  .card { grid-template-columns: 2.5rem 1fr; gap: .6rem; padding: .7rem .75rem; }
  .thumb { width: 72px; height: 93px; margin-left: .5rem; }
  .vote { width: 2.5rem; min-height: 2.75rem; padding: .15rem; font-size: .85rem; }
  h1 { font-size: 1.35rem; }
  .filters { display: grid; grid-template-columns: 1fr 1fr; }
  .filters button { grid-column: 1 / -1; }
  table.tokens, table.tokens tbody, table.tokens tr, table.tokens td { display: block; }
  table.tokens thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.tokens tr { padding: .4rem 0; border-bottom: 1px solid var(--line); }
  table.tokens td { border: none; padding: .1rem 0; }
  .collection-head { grid-template-columns: 2.5rem 1fr; gap: .6rem; }
  .item-controls { padding: .5rem .25rem 0; }
}
/* Discussion (community issue): threads indented by depth, compose forms, notifications. */
.discussion { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: 1rem; }
.discussion h2 small { font-weight: 400; color: var(--muted); font-size: .9rem; margin-left: .4rem; }
.compose { display: grid; gap: .4rem; margin: .75rem 0; }
.compose textarea { width: 100%; padding: .5rem; border: 1px solid var(--line); border-radius: .35rem; background: var(--bg); resize: vertical; }
.compose-actions { display: flex; gap: .5rem; margin: 0; }
.comment { border-left: 3px solid var(--line); padding: .35rem .75rem; margin: .6rem 0; }
.comment .meta { margin: 0; font-size: .85rem; color: var(--muted); }
.comment .author { color: var(--fg); }
.comment-body { overflow-wrap: anywhere; }
.comment-body p { margin: .35rem 0; }
.comment-body pre { overflow-x: auto; background: var(--card); padding: .5rem; border-radius: .35rem; }
.comment-actions { display: flex; flex-wrap: wrap; gap: .25rem .9rem; align-items: baseline; font-size: .85rem; }
.comment-actions details[open] { flex-basis: 100%; }
.comment.deleted { color: var(--muted); }
.comment.hidden-comment { opacity: .7; border-left-color: var(--warn); }
.depth-1 { margin-left: 1.25rem; } .depth-2 { margin-left: 2.5rem; } .depth-3 { margin-left: 3.75rem; } .depth-4 { margin-left: 5rem; }
.badge { font-size: .75rem; padding: 0 .35rem; border-radius: .3rem; background: var(--card); color: var(--warn); }
.unread-count { display: inline-block; min-width: 1.3em; padding: 0 .3em; border-radius: .65em; background: var(--accent); color: var(--bg); font-size: .8em; text-align: center; }
.notifications li.unread { font-weight: 600; }
.notifications blockquote, .report-item blockquote { font-weight: 400; margin: .25rem 0 .75rem 1rem; }
.comments-link { margin-right: .5rem; }
@media (max-width: 40rem) { .depth-2, .depth-3, .depth-4 { margin-left: 1.25rem; } }
`;
