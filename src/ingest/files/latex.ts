// Decodes the LaTeX found in bibliographic text (accents, escapes, dashes, protective braces) to plain Unicode.

/** Combining marks for LaTeX accent commands: \"u → u + U+0308 → ü after NFC. */
const ACCENTS: Record<string, string> = {
  '"': '\u0308',
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030c',
  H: '\u030b',
  c: '\u0327',
  k: '\u0328',
  r: '\u030a',
  d: '\u0323',
  b: '\u0331',
};

/** Letters spelled as commands, e.g. {\ss} or {\o}. */
const LETTERS: Record<string, string> = {
  ss: 'ß',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  aa: 'å',
  AA: 'Å',
  o: 'ø',
  O: 'Ø',
  l: 'ł',
  L: 'Ł',
  i: 'ı',
  j: 'ȷ',
};

/** Named symbols; text-style commands whose argument is kept are handled separately. */
const SYMBOLS: Record<string, string> = {
  textendash: '–',
  textemdash: '—',
  ldots: '…',
  dots: '…',
  textquoteleft: '‘',
  textquoteright: '’',
  textquotedblleft: '“',
  textquotedblright: '”',
  S: '§',
  P: '¶',
  copyright: '©',
  textregistered: '®',
  textasciitilde: '~',
};

const ESCAPED: Record<string, string> = {
  '&': '&',
  '%': '%',
  $: '\uE002',
  '#': '#',
  _: '_',
  '{': '\uE000',
  '}': '\uE001',
};

const SYMBOL_ACCENT = /\\(["'`^~=.])\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij])(?![A-Za-z]) ?|([A-Za-z]))/g;
const LETTER_ACCENT = /\\([uvHckrdb])(?:\s*\{\s*(\\[ij]|[A-Za-z])\s*\}|\s+([A-Za-z]))/g;
const LETTER_COMMAND = /\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}| )?/g;
const TEXT_COMMAND =
  /\\(?:emph|textit|textbf|textsc|texttt|textrm|textsf|textup|textnormal|mbox|url|uppercase|lowercase)\s*(?=\{)/g;

/**
 * Decodes LaTeX text markup to Unicode, leaving `$...$` math untouched.
 * @example decodeLatex('M{\\"u}ller and {\\\'E}mile: {BERT} -- a \\emph{study}') // 'Müller and Émile: BERT – a study'
 */
export function decodeLatex(s: string): string {
  if (!/[\\{}~`'-]/.test(s)) return s;
  return splitMath(s)
    .map((part, i) => (i % 2 === 1 ? `$${part}$` : decodeText(part)))
    .join('')
    .replace(/\uE002/g, '$')
    .normalize('NFC');
}

/** Splits on unescaped `$`, so odd indexes are math; an unbalanced `$` leaves the rest as text. */
function splitMath(s: string): string[] {
  const parts = s.split(/(?<!\\)\$/);
  if (parts.length % 2 === 0) {
    const last = parts.pop() ?? '';
    parts[parts.length - 1] += `\uE002${last}`;
  }
  return parts;
}

function decodeText(s: string): string {
  return s
    .replace(/\\([&%$#_{}])/g, (_m, ch: string) => ESCAPED[ch] ?? ch)
    .replace(SYMBOL_ACCENT, (_m, acc: string, a?: string, b?: string, c?: string) =>
      accent(acc, a ?? b ?? c ?? ''),
    )
    .replace(LETTER_ACCENT, (_m, acc: string, a?: string, b?: string) => accent(acc, a ?? b ?? ''))
    .replace(LETTER_COMMAND, (_m, name: string) => LETTERS[name] ?? name)
    .replace(TEXT_COMMAND, '')
    .replace(/\\([A-Za-z]+)(?:\{\})?/g, (_m, name: string) => SYMBOLS[name] ?? name)
    .replace(/\\[,;:! ]/g, ' ')
    .replace(/---/g, '—')
    .replace(/--/g, '–')
    .replace(/``/g, '“')
    .replace(/''/g, '”')
    .replace(/~/g, ' ')
    .replace(/[{}]/g, '')
    .replace(/\uE000/g, '{')
    .replace(/\uE001/g, '}');
}

function accent(command: string, base: string): string {
  const letter = base === '\\i' ? 'i' : base === '\\j' ? 'j' : base;
  return `${letter}${ACCENTS[command] ?? ''}`;
}
