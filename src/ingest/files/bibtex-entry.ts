// Parses one raw BibTeX entry: type, key and fields, with braces, quotes, `#` concatenation and @string macros.

/** A parsed entry; field names are lower-cased and values keep their LaTeX (decode them later). */
export interface BibtexEntry {
  type: string;
  key: string | null;
  fields: Map<string, string>;
}

/** A syntax error at `offset` characters into the entry text. */
export class BibtexSyntaxError extends Error {
  override readonly name = 'BibtexSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Month macros every BibTeX style predefines. */
export const MONTH_MACROS: ReadonlyMap<string, string> = new Map(
  [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ].map((m) => [m.slice(0, 3).toLowerCase(), m]),
);

const NAME = /[^\s"#%'(),={}]/;

/** One field's value after `#` concatenation and macro expansion; real fields are far shorter. */
export const MAX_VALUE_CHARS = 100_000;
/** All field values of one entry together, after expansion (the scanner caps the raw entry the same). */
export const MAX_EXPANDED_ENTRY_CHARS = 1024 * 1024;

/**
 * Characters that @string macro references may still add in the file being parsed. Shared by every
 * entry of one file, so `@string{a = a # a}` repeated cannot turn a small file into gigabytes.
 */
export interface ExpansionBudget {
  readonly limit: number;
  macroCharsLeft: number;
}

/** The budget a file gets when its parser is not told otherwise. */
export const DEFAULT_MACRO_CHARS = 64 * 1024 * 1024;

/**
 * Parses `@type{key, name = value # value, ...}`. A `@string` entry adds its macro to `macros` and
 * returns the entry with its single field. Throws BibtexSyntaxError with the offending offset.
 * @example parseBibtexEntry('@misc{k, title = "A " # {B}}', new Map()).fields.get('title') // 'A B'
 */
export function parseBibtexEntry(
  text: string,
  macros: Map<string, string>,
  budget: ExpansionBudget = { limit: DEFAULT_MACRO_CHARS, macroCharsLeft: DEFAULT_MACRO_CHARS },
): BibtexEntry {
  const p = new Cursor(text);
  p.expect('@');
  const type = p.name('an entry type after "@"').toLowerCase();
  p.skipSpace();
  const open = p.peek();
  if (open !== '{' && open !== '(') throw new BibtexSyntaxError(`expected "{" after @${type}`, p.pos);
  p.pos += 1;
  const closer = open === '{' ? '}' : ')';
  if (type === 'comment' || type === 'preamble') return { type, key: null, fields: new Map() };
  const key = type === 'string' ? null : readKey(p, closer);
  const fields = readFields(p, closer, { macros, budget, entryChars: 0 });
  if (type === 'string') for (const [name, value] of fields) macros.set(name.toLowerCase(), value);
  return { type, key, fields };
}

function readKey(p: Cursor, closer: string): string | null {
  const rest = p.text.slice(p.pos);
  const comma = rest.search(new RegExp(`[,${closer === '}' ? '}' : ')'}]`));
  const candidate = comma === -1 ? rest : rest.slice(0, comma);
  if (candidate.includes('=')) return null; // no key: the first field starts right away
  p.pos += candidate.length;
  if (p.peek() === ',') p.pos += 1;
  const key = candidate.trim();
  return key === '' ? null : key;
}

/** What expanding values needs: the macros, the file's budget, and the characters this entry has so far. */
interface Expansion {
  macros: Map<string, string>;
  budget: ExpansionBudget;
  entryChars: number;
}

function readFields(p: Cursor, closer: string, x: Expansion): Map<string, string> {
  const fields = new Map<string, string>();
  for (;;) {
    p.skipSpace();
    if (p.peek() === closer) return fields;
    const name = p.name('a field name').toLowerCase();
    p.skipSpace();
    if (p.peek() !== '=') throw new BibtexSyntaxError(`expected "=" after field name "${name}"`, p.pos);
    p.pos += 1;
    const value = readValue(p, name, x);
    if (!fields.has(name)) fields.set(name, value);
    p.skipSpace();
    const next = p.peek();
    if (next === ',') p.pos += 1;
    else if (next !== closer) {
      throw new BibtexSyntaxError(
        `expected "," or "${closer}" after the value of field "${name}", found "${next}"`,
        p.pos,
      );
    }
  }
}

function readValue(p: Cursor, field: string, x: Expansion): string {
  let value = '';
  for (;;) {
    p.skipSpace();
    const start = p.pos;
    const ch = p.peek();
    let piece: string;
    if (ch === '{') piece = p.balanced('{', '}');
    else if (ch === '"') piece = p.balanced('"', '"');
    else if (/\d/.test(ch)) piece = p.match(/\d+/);
    else if (NAME.test(ch) && ch !== '') piece = expandMacro(p.name('a value'), x, start);
    else throw new BibtexSyntaxError(`expected a value for field "${field}"`, p.pos);
    // Checked before concatenating, so no oversized string is ever built.
    if (value.length + piece.length > MAX_VALUE_CHARS)
      throw new BibtexSyntaxError(
        `field "${field}" is longer than ${MAX_VALUE_CHARS.toLocaleString('en')} characters once its parts and @string macros are joined`,
        start,
      );
    if (x.entryChars + piece.length > MAX_EXPANDED_ENTRY_CHARS)
      throw new BibtexSyntaxError(
        `the entry is longer than ${MAX_EXPANDED_ENTRY_CHARS.toLocaleString('en')} characters once its @string macros are expanded`,
        start,
      );
    value += piece;
    x.entryChars += piece.length;
    p.skipSpace();
    if (p.peek() !== '#') return value;
    p.pos += 1;
  }
}

/** A macro's text (an undefined macro stands for itself), charged to the file's budget. */
function expandMacro(macro: string, x: Expansion, at: number): string {
  const key = macro.toLowerCase();
  const defined = x.macros.get(key);
  if (defined === undefined) return MONTH_MACROS.get(key) ?? macro;
  if (defined.length > x.budget.macroCharsLeft)
    throw new BibtexSyntaxError(
      `@string macros would add more than ${x.budget.limit.toLocaleString('en')} characters to this file in all ("${macro.slice(0, 40)}" is not expanded)`,
      at,
    );
  x.budget.macroCharsLeft -= defined.length;
  return defined;
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  peek(): string {
    return this.text.charAt(this.pos);
  }

  skipSpace(): void {
    while (/\s/.test(this.peek()) && this.pos < this.text.length) this.pos += 1;
  }

  expect(ch: string): void {
    this.skipSpace();
    if (this.peek() !== ch) throw new BibtexSyntaxError(`expected "${ch}"`, this.pos);
    this.pos += 1;
  }

  name(what: string): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && NAME.test(this.peek())) this.pos += 1;
    if (this.pos === start)
      throw new BibtexSyntaxError(`expected ${what}, found "${this.peek() || 'end of entry'}"`, start);
    return this.text.slice(start, this.pos);
  }

  match(re: RegExp): string {
    const m = re.exec(this.text.slice(this.pos));
    const s = m?.index === 0 ? m[0] : '';
    this.pos += s.length;
    return s;
  }

  /** The text between an opening delimiter and its match, with inner braces kept; a quote only closes at depth 0. */
  balanced(open: string, close: string): string {
    const start = this.pos;
    let depth = 0;
    for (this.pos += 1; this.pos < this.text.length; this.pos += 1) {
      const ch = this.peek();
      if (ch === close && depth === 0) {
        this.pos += 1;
        return this.text.slice(start + 1, this.pos - 1);
      }
      if (ch === '{') depth += 1;
      else if (ch === '}') depth -= 1;
      if (depth < 0)
        throw new BibtexSyntaxError(
          `unbalanced "}" in a ${open === '"' ? 'quoted' : 'braced'} value`,
          this.pos,
        );
    }
    throw new BibtexSyntaxError(`a value opened with ${open} is never closed`, start);
  }
}
