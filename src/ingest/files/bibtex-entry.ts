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

/**
 * Parses `@type{key, name = value # value, ...}`. A `@string` entry adds its macro to `macros` and
 * returns the entry with its single field. Throws BibtexSyntaxError with the offending offset.
 * @example parseBibtexEntry('@misc{k, title = "A " # {B}}', new Map()).fields.get('title') // 'A B'
 */
export function parseBibtexEntry(text: string, macros: Map<string, string>): BibtexEntry {
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
  const fields = readFields(p, closer, macros);
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

function readFields(p: Cursor, closer: string, macros: Map<string, string>): Map<string, string> {
  const fields = new Map<string, string>();
  for (;;) {
    p.skipSpace();
    if (p.peek() === closer) return fields;
    const name = p.name('a field name').toLowerCase();
    p.skipSpace();
    if (p.peek() !== '=') throw new BibtexSyntaxError(`expected "=" after field name "${name}"`, p.pos);
    p.pos += 1;
    const value = readValue(p, name, macros);
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

function readValue(p: Cursor, field: string, macros: Map<string, string>): string {
  let value = '';
  for (;;) {
    p.skipSpace();
    const ch = p.peek();
    if (ch === '{') value += p.balanced('{', '}');
    else if (ch === '"') value += p.balanced('"', '"');
    else if (/\d/.test(ch)) value += p.match(/\d+/);
    else if (NAME.test(ch) && ch !== '') {
      const macro = p.name('a value');
      const key = macro.toLowerCase();
      value += macros.get(key) ?? MONTH_MACROS.get(key) ?? macro; // an undefined macro stands for itself
    } else throw new BibtexSyntaxError(`expected a value for field "${field}"`, p.pos);
    p.skipSpace();
    if (p.peek() !== '#') return value;
    p.pos += 1;
  }
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
