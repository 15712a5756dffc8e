// Escaping HTML templates: every interpolated value is escaped unless explicitly marked safe.

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

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (isSafe(v)) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/**
 * Tagged template that escapes every interpolation (arrays are joined, SafeHtml kept).
 * @example html`<h1>${title}</h1>` // title "<script>" becomes &lt;script&gt;
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return { [SAFE]: true, value: out };
}

/**
 * Marks a string produced by a trusted renderer (KaTeX, JSON-LD we build) as HTML. Never pass data through it.
 * @example rawHtml(katex.renderToString(tex))
 */
export function rawHtml(value: string): SafeHtml {
  return { [SAFE]: true, value };
}

/**
 * Joins fragments with a separator (the separator is escaped like any value).
 * @example joinHtml(authors.map(link), ', ')
 */
export function joinHtml(parts: readonly SafeHtml[], sep: string): SafeHtml {
  return rawHtml(parts.map((p) => p.value).join(escapeHtml(sep)));
}
