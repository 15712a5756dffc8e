// Renders one digest e-mail (subject, HTML with inline styles, plain text, headers): pure, no I/O.
import type { Paper } from '../domain/index.ts';

export interface RenderedSection {
  title: string;
  papers: { paper: Paper; votes?: number; reason?: string }[];
}

export interface DigestRenderInput {
  email: string;
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

const GREEK: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  varepsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  pi: 'π',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  phi: 'φ',
  varphi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Pi: 'Π',
  Sigma: 'Σ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
  times: '×',
  cdot: '·',
  leq: '≤',
  le: '≤',
  geq: '≥',
  ge: '≥',
  neq: '≠',
  approx: '≈',
  sim: '~',
  infty: '∞',
  rightarrow: '→',
  to: '→',
  leftarrow: '←',
  Rightarrow: '⇒',
  in: '∈',
  sum: 'Σ',
  prod: 'Π',
  partial: '∂',
  nabla: '∇',
  pm: '±',
  ell: 'ℓ',
  log: 'log',
  exp: 'exp',
  max: 'max',
  min: 'min',
  ldots: '…',
  dots: '…',
  cdots: '…',
  '%': '%',
  '&': '&',
  '#': '#',
  _: '_',
  $: '$',
};

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '+': '⁺',
  '-': '⁻',
  n: 'ⁿ',
  i: 'ⁱ',
  T: 'ᵀ',
};

/** Unicode superscript when every character has one, else ^(x). */
function sup(s: string): string {
  const chars = [...s];
  return chars.every((c) => SUPERSCRIPT[c] !== undefined)
    ? chars.map((c) => SUPERSCRIPT[c]).join('')
    : `^(${s})`;
}

/**
 * LaTeX in titles and abstracts as readable text: $O(n^2)$ → O(n²), \mathcal{L} → L, \alpha → α.
 * @example mathText('$\\mathcal{O}(n^{2})$ with $\\alpha$') // 'O(n²) with α'
 */
export function mathText(s: string): string {
  let t = s.replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, '($1)/($2)');
  t = t.replace(/\\(?:math\w+|text\w*|operatorname|boldsymbol|bm|emph|textbf|textit)\{([^{}]*)\}/g, '$1');
  t = t.replace(/\\sqrt\{([^{}]*)\}/g, '√($1)');
  t = t.replace(/\\([A-Za-z]+|[%&#_$])/g, (m, name: string) => GREEK[name] ?? name);
  t = t.replace(/\^\{([^{}]*)\}|\^(\w)/g, (_m, a?: string, b?: string) => sup(a ?? b ?? ''));
  t = t.replace(/_\{([^{}]*)\}/g, '_$1');
  t = t.replace(/(?<!\\)\$\$?/g, '').replace(/[{}]/g, '');
  return t.replace(/\s+/g, ' ').trim();
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and double-quoted attributes. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

function paperUrl(baseUrl: string, id: string): string {
  return `${baseUrl}/papers/${id.split('/').map(encodeURIComponent).join('/')}`;
}

function arxivUrl(p: Paper): string | null {
  return p.arxivId !== null ? `https://arxiv.org/abs/${p.arxivId}` : p.absUrl;
}

function authorLine(p: Paper): string {
  const a = p.authors.slice(0, 5).join(', ');
  return p.authors.length > 5 ? `${a} and ${p.authors.length - 5} more` : a;
}

function clip(s: string, n: number): string {
  const chars = [...s];
  return chars.length <= n
    ? s
    : `${chars
        .slice(0, n - 1)
        .join('')
        .trimEnd()}…`;
}

/** The subject: the date and the top paper's title. */
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

function htmlPaper(i: DigestRenderInput, e: RenderedSection['papers'][number]): string {
  const p = e.paper;
  const arxiv = arxivUrl(p);
  const why = e.reason !== undefined ? `<p style="${S.meta}">${esc(e.reason)}</p>` : '';
  return `<tr><td style="padding:10px 0;">
<a href="${esc(paperUrl(i.baseUrl, p.id))}" style="${S.title}">${esc(mathText(p.title))}</a>
<p style="${S.meta}">${esc(authorLine(p))}${p.categories[0] !== undefined ? ` · ${esc(p.categories[0])}` : ''}${e.votes ? ` · ${e.votes} upvote${e.votes === 1 ? '' : 's'}` : ''}</p>${why}
<p style="${S.abs}">${esc(clip(mathText(p.abstract), 400))}</p>
<p style="${S.links}"><a href="${esc(paperUrl(i.baseUrl, p.id))}" style="${S.a}">On Paperboy</a>${arxiv !== null ? ` · <a href="${esc(arxiv)}" style="${S.a}">arXiv</a>` : ''}</p>
</td></tr>`;
}

function whyLine(i: DigestRenderInput): string {
  return `You get this because ${i.email} subscribed to the ${i.frequency} Paperboy digest at ${i.baseUrl}.`;
}

function renderHtml(i: DigestRenderInput, subject: string): string {
  const sections = i.sections
    .map(
      (s) =>
        `<h2 style="${S.h2}">${esc(s.title)}</h2>\n<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${s.papers.map((e) => htmlPaper(i, e)).join('\n')}</table>`,
    )
    .join('\n');
  const empty = i.sections.length === 0 ? `<p>Nothing new since your last digest.</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"><title>${esc(subject)}</title></head>
<body style="${S.body}"><div style="${S.wrap}">
<h1 style="${S.h1}">${esc(subject)}</h1>
${sections}${empty}
<p style="${S.foot}">${esc(whyLine(i))}<br><a href="${esc(i.manageUrl)}" style="${S.a}">Manage your digest</a> · <a href="${esc(i.unsubscribeUrl)}" style="${S.a}">Unsubscribe</a></p>
</div></body></html>`;
}

function renderText(i: DigestRenderInput, subject: string): string {
  const lines = [subject, '='.repeat(Math.min(subject.length, 72)), ''];
  let n = 0;
  for (const s of i.sections) {
    lines.push(s.title.toUpperCase(), '');
    for (const e of s.papers) {
      const p = e.paper;
      n += 1;
      lines.push(`${n}. ${mathText(p.title)}`, `   ${authorLine(p)}`);
      if (e.reason !== undefined) lines.push(`   ${e.reason}`);
      lines.push('', `   ${clip(mathText(p.abstract), 400)}`, '', `   ${paperUrl(i.baseUrl, p.id)}`);
      const arxiv = arxivUrl(p);
      if (arxiv !== null) lines.push(`   ${arxiv}`);
      lines.push('');
    }
  }
  if (i.sections.length === 0) lines.push('Nothing new since your last digest.', '');
  lines.push('--', whyLine(i), `Manage: ${i.manageUrl}`, `Unsubscribe: ${i.unsubscribeUrl}`, '');
  return lines.join('\n');
}

/**
 * Renders a digest; the List-Unsubscribe headers follow RFC 8058 (one-click POST).
 * @example const m = renderDigest({ email, digestDate: '2026-07-02', frequency: 'daily', sections, baseUrl, unsubscribeUrl, manageUrl, messageId });
 */
export function renderDigest(i: DigestRenderInput): RenderedDigest {
  const subject = subjectOf(i);
  return {
    subject,
    html: renderHtml(i, subject),
    text: renderText(i, subject),
    headers: {
      'List-Unsubscribe': `<${i.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `Paperboy digest <digest.${new URL(i.baseUrl).hostname}>`,
      'Auto-Submitted': 'auto-generated',
    },
  };
}
