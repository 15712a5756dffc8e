// Author-name helpers shared by file formats: byline splitting and "Given Family Suffix" display names.
import { cleanText } from '../normalize.ts';

/**
 * Splits an arXiv-style byline ("A. One, B. Two and C. Three (MIT)") into display names; affiliations
 * in parentheses are dropped, and so are parentheses nested inside them.
 * @example splitByline('Salman Habib and Robert D. Ryne') // ['Salman Habib', 'Robert D. Ryne']
 */
export function splitByline(raw: string): string[] {
  const withoutAffiliations = stripParenthesized(raw);
  return withoutAffiliations
    .split(/,|\band\b|;/)
    .map((part) => cleanText(part))
    .filter((part) => part !== '' && !/^(et al\.?|others)$/i.test(part));
}

/**
 * Joins name parts into one display name, skipping empty parts.
 * @example displayName('C.-P.', 'Yuan', 'Jr') // 'C.-P. Yuan Jr'
 */
export function displayName(
  given: string | null | undefined,
  family: string | null | undefined,
  suffix?: string | null,
): string {
  return cleanText([given ?? '', family ?? '', suffix ?? ''].join(' '));
}

function stripParenthesized(raw: string): string {
  let depth = 0;
  let out = '';
  for (const ch of raw) {
    if (ch === '(') depth += 1;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}
