// Comment Markdown to safe HTML: raw HTML off, links only http(s) with rel="nofollow ugc noopener", no images,
// $…$ and $$…$$ rendered by KaTeX with \href and friends off. Renders are cached by source text.
import MarkdownIt from 'markdown-it';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { texHtml } from '../../domain/tex-formula.ts';

const INLINE_MAX = 500;
const DISPLAY_MAX = 2000;
const CACHE_MAX = 5000;
const cache = new Map<string, string>();

function formula(tex: string, display: boolean): string {
  return (
    texHtml(tex, display) ??
    `<code class="tex">${md.utils.escapeHtml(display ? `$$${tex}$$` : `$${tex}$`)}</code>`
  );
}

/** `$…$` (no space inside either dollar, not followed by a digit: "$5 and $6" stays text) and `$$…$$`. */
function mathRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const at = state.pos;
  if (src.charCodeAt(at) !== 0x24) return false;
  const display = src.charCodeAt(at + 1) === 0x24;
  const mark = display ? '$$' : '$';
  const start = at + mark.length;
  let end = src.indexOf(mark, start);
  while (end > 0 && src[end - 1] === '\\') end = src.indexOf(mark, end + 1);
  if (end <= start || end - start > (display ? DISPLAY_MAX : INLINE_MAX)) return false;
  const tex = src.slice(start, end);
  if (!display && (/^\s|\s$/.test(tex) || /\d/.test(src[end + 1] ?? '') || tex.includes('\n\n')))
    return false;
  if (!silent) {
    const token = state.push(display ? 'math_display' : 'math_inline', 'math', 0);
    token.content = tex.trim();
    token.markup = mark;
  }
  state.pos = end + mark.length;
  return true;
}

const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false });
md.disable('image');
// Only explicit web addresses become links: no "example.com" guesses, no mail links.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });
md.validateLink = (url: string): boolean => /^https?:\/\/[^\s]/i.test(url.trim());
md.inline.ruler.after('escape', 'math', mathRule);
md.renderer.rules.math_inline = (tokens, i) => formula(tokens[i]?.content ?? '', false);
md.renderer.rules.math_display = (tokens, i) => formula(tokens[i]?.content ?? '', true);
md.renderer.rules.link_open = (tokens, i, options, _env, self) => {
  tokens[i]?.attrSet('rel', 'nofollow ugc noopener');
  return self.renderToken(tokens, i, options);
};

/**
 * Renders a comment's Markdown to HTML that is safe to put in a page.
 * @example commentHtml('See [this](https://x.org) and $x^2$') // '<p>See <a href="https://x.org" rel="nofollow ugc noopener">this</a> and <span class="katex">…</span></p>\n'
 */
export function commentHtml(body: string): string {
  const hit = cache.get(body);
  if (hit !== undefined) return hit;
  const out = md.render(body);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(body, out);
  return out;
}

function anyLink(tokens: readonly Token[]): boolean {
  return tokens.some((t) => t.type === 'link_open' || (t.children !== null && anyLink(t.children)));
}

/**
 * Whether the Markdown would render a link (written, autolinked or a bare web address).
 * @example hasLink('see https://x.org') // true; hasLink('see x.org') // false
 */
export function hasLink(body: string): boolean {
  return anyLink(md.parse(body, {}));
}
