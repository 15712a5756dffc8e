// LaTeX in titles and abstracts made readable as plain text for digests and feeds (they run no KaTeX).
import { latexAccents } from '../domain/index.ts';

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
  let t = latexAccents(s).replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, '($1)/($2)');
  t = t.replace(/\\(?:math\w+|text\w*|operatorname|boldsymbol|bm|emph|textbf|textit)\{([^{}]*)\}/g, '$1');
  t = t.replace(/\\sqrt\{([^{}]*)\}/g, '√($1)');
  t = t.replace(/\\([A-Za-z]+|[%&#_$])/g, (m, name: string) => GREEK[name] ?? name);
  t = t.replace(/\^\{([^{}]*)\}|\^(\w)/g, (_m, a?: string, b?: string) => sup(a ?? b ?? ''));
  t = t.replace(/_\{([^{}]*)\}/g, '_$1');
  t = t.replace(/(?<!\\)\$\$?/g, '').replace(/[{}]/g, '');
  return t.replace(/\s+/g, ' ').trim();
}

/**
 * A title or snippet as plain text for mail, feeds and the browser tab: math, \textbf{…}-style macros and
 * accents made readable.
 * @example plainTitle("\\textbf{HierBias}: Mat\\'ern kernels in $O(n^2)$") // 'HierBias: Matérn kernels in O(n²)'
 */
export function plainTitle(s: string): string {
  return mathText(s);
}
