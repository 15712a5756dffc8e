// Escaping HTML and XML templates: every interpolated value is escaped unless explicitly marked safe. Pages,
// the digest mail and the Atom feeds are all built with them, so no renderer can forget to escape.

const SAFE = Symbol('safe-html');

/** A fragment of HTML that is already escaped and may be inserted as is. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attributes.
 * @example escapeHtml('<SEG> & [MASK]') // '&lt;SEG&gt; &amp; [MASK]'
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function isSafe(v: unknown): v is SafeHtml {
  return typeof v === 'object' && v !== null && SAFE in v;
}

/**
 * Escapes text for XML content and quoted attributes, dropping the characters XML 1.0 forbids (control
 * characters other than tab and line ends, U+FFFE, U+FFFF), which would make a feed reader refuse the feed.
 * @example escapeXml('a\u0001 & b') // 'a &amp; b'
 */
export function escapeXml(s: string): string {
  // Lone surrogates are forbidden too; the `u` flag treats each one as a code point of its own.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return escapeHtml(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu, ''));
}

function render(v: unknown, escape: (s: string) => string): string {
  if (v === null || v === undefined || v === false) return '';
  if (isSafe(v)) return v.value;
  if (Array.isArray(v)) return v.map((x) => render(x, escape)).join('');
  return escape(String(v));
}

function template(escape: (s: string) => string) {
  return (strings: TemplateStringsArray, ...values: unknown[]): SafeHtml => {
    let out = strings[0] ?? '';
    values.forEach((v, i) => {
      out += render(v, escape) + (strings[i + 1] ?? '');
    });
    return { [SAFE]: true, value: out };
  };
}

/**
 * Tagged template that escapes every interpolation (arrays are joined, SafeHtml kept).
 * @example html`<h1>${title}</h1>` // title "<script>" becomes &lt;script&gt;
 */
export const html = template(escapeHtml);

/**
 * The same for XML documents (Atom feeds): escapes every interpolation and drops characters XML forbids.
 */
export const xml = template(escapeXml);

/**
 * Marks a string produced by a trusted renderer (KaTeX, JSON-LD we build) as HTML. Never pass data through it.
 */
export function rawHtml(value: string): SafeHtml {
  return { [SAFE]: true, value };
}

/**
 * Joins fragments with a separator (the separator is escaped like any value).
 */
export function joinHtml(parts: readonly SafeHtml[], sep: string): SafeHtml {
  return rawHtml(parts.map((p) => p.value).join(escapeHtml(sep)));
}
