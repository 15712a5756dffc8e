// Splits a BibTeX name list ("Last, First and First von Last") into display names ("First von Last").
import { cleanText } from '../normalize.ts';
import { decodeLatex } from './latex.ts';

/**
 * Display names from a BibTeX `author` field: `and` separates people (not inside braces), each in
 * "First von Last", "von Last, First" or "von Last, Jr, First" form; "others" (et al.) is dropped.
 * @example parseBibtexNames('M{\\"u}ller, J{\\"o}rg and Ada Lovelace and others') // ['Jörg Müller', 'Ada Lovelace']
 */
export function parseBibtexNames(raw: string): string[] {
  return splitAtTopLevel(raw, /\s+and\s+/iy)
    .map((name) => cleanText(name))
    .filter((name) => name !== '' && name.toLowerCase() !== 'others')
    .map((name) => cleanText(decodeLatex(reorder(name))))
    .filter((name) => name !== '');
}

/** "von Last, Jr, First" → "First von Last Jr"; names without a top-level comma are already in order. */
function reorder(name: string): string {
  const parts = splitAtTopLevel(name, /,/y).map((p) => p.trim());
  if (parts.length === 2) return `${parts[1]} ${parts[0]}`;
  if (parts.length >= 3) return `${parts.slice(2).join(' ')} ${parts[0]} ${parts[1]}`;
  return name;
}

/** Splits `s` where the sticky `separator` matches at brace depth 0. */
function splitAtTopLevel(s: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i += 1) {
    const ch = s.charAt(i);
    if (ch === '{') depth += 1;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      separator.lastIndex = i;
      const m = separator.exec(s);
      if (m !== null) {
        parts.push(s.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(s.slice(start));
  return parts;
}
