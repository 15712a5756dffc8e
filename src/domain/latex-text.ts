// LaTeX text-mode accents and letters (Mat\'ern, G\"odel, \v{S}ediv\'y, \o) as the Unicode letters they stand for.

/** Accent commands written with a symbol: \'e, \"o, \^a, \`e, \~n, \=a, \.z → combining marks. */
const SYMBOL_ACCENTS: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
};

/** Accent commands written with a letter, which need braces or a space: \v{s}, \c c, \H{o}. */
const LETTER_ACCENTS: Record<string, string> = {
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
  r: '\u030A',
};

const LETTERS: Record<string, string> = {
  ss: 'ß',
  o: 'ø',
  O: 'Ø',
  aa: 'å',
  AA: 'Å',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  l: 'ł',
  L: 'Ł',
  i: 'ı',
  j: 'ȷ',
};

const BASE = String.raw`(?:\\[ij](?![A-Za-z])|[A-Za-z])`;
/** `{\'e}` → `\'e`: braces around one accented letter are only grouping. */
const WRAPPED = new RegExp(String.raw`\{(\\(?:['\`^"~=.]\s*|[uvHckr](?=[\s{]))\s*\{?${BASE}\}?)\}`, 'g');
const ACCENT = new RegExp(
  String.raw`\\(['\`^"~=.])\s*(?:\{(${BASE})\}|(${BASE}))|\\([uvHckr])(?:\s*\{(${BASE})\}|\s+([A-Za-z]))`,
  'g',
);
const LETTER = /\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L)(?![A-Za-z])\}?(?:\{\}|\s(?=[a-z]))?/g;

function base(b: string): string {
  return b === '\\i' ? 'i' : b === '\\j' ? 'j' : b;
}

/**
 * Replaces LaTeX accent commands and special letters with Unicode letters (text mode, not math).
 * @example latexAccents("Mat\\'ern and G\\\"odel") // 'Matérn and Gödel'
 */
export function latexAccents(text: string): string {
  if (!text.includes('\\')) return text;
  return text
    .replace(WRAPPED, '$1')
    .replace(
      ACCENT,
      (_m, sym?: string, sb?: string, sb2?: string, let_?: string, lb?: string, lb2?: string) => {
        const mark = sym !== undefined ? SYMBOL_ACCENTS[sym] : LETTER_ACCENTS[let_ ?? ''];
        return `${base(sb ?? sb2 ?? lb ?? lb2 ?? '')}${mark ?? ''}`.normalize('NFC');
      },
    )
    .replace(LETTER, (_m, name: string) => LETTERS[name] ?? name);
}
