// arXiv categories (cs.CL, hep-th) told apart from the MSC and ACM classification codes (68T50, I.2.7) beside them.

const ARXIV_CATEGORY = /^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$/;

/**
 * True for an arXiv category such as cs.CL, math-ph or q-bio.NC; false for MSC (68T50) or ACM (I.2.7) codes.
 * @example isArxivCategory('cs.CL') // true
 */
export function isArxivCategory(c: string): boolean {
  return ARXIV_CATEGORY.test(c);
}

/**
 * A paper's categories split into arXiv categories and other classification codes, order kept.
 * @example splitCategories(['cs.CL', '68T50', 'I.2.7']) // { arxiv: ['cs.CL'], codes: ['68T50', 'I.2.7'] }
 */
export function splitCategories(categories: readonly string[]): { arxiv: string[]; codes: string[] } {
  const arxiv: string[] = [];
  const codes: string[] = [];
  for (const c of categories) (isArxivCategory(c) ? arxiv : codes).push(c);
  return { arxiv, codes };
}
