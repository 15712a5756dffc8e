// Safe XML parsing and typed access to the parsed tree, shared by the arXiv feed parsers.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../errors.ts';

/** One parsed XML element: child elements by local name, attributes as "@_name", text as "#text". */
export type XmlNode = { readonly [key: string]: unknown };

/** A document type declaration or an entity declaration, the only ways to define entities. */
const DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

// processEntities stays on for the predefined entities (&amp;) and character references (&#233;); entities a
// document would define itself never reach the parser, because any DOCTYPE is refused before parsing.
// The options are the same for fast-xml-parser 5.3 and 5.12 (where processEntities also accepts limits).
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Keep every value a string: an arXiv title can be "0" and an id can look like a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

/**
 * Parses an XML document, or throws AppError('SOURCE_UNREADABLE') naming the source and
 * saying what is wrong (empty body, an HTML page instead of XML, a DOCTYPE, or the line of a syntax
 * error). Nothing of the body itself is quoted: it may come from anywhere a redirect or a file points.
 * arXiv's feeds have no DTD, so any DOCTYPE or ENTITY declaration is refused rather than expanded.
 * @example parseXml('<feed><id>x</id></feed>', 'arXiv API').feed // { id: 'x' }
 */
export function parseXml(xml: string, sourceName: string): XmlNode {
  const body = xml.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw unreadable(sourceName, 'the response is empty');
  if (/^\s*<(!doctype html|html)/i.test(body)) throw unreadable(sourceName, 'it is an HTML page, not XML');
  if (declaresEntities(body)) {
    throw unreadable(
      sourceName,
      'it declares a DOCTYPE or entities, which arXiv feeds never do (refused, so no entity is expanded)',
    );
  }
  const verdict = XMLValidator.validate(body);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    throw unreadable(sourceName, `${msg} at line ${line}, column ${col} (truncated or malformed XML)`);
  }
  try {
    return asNode(parser.parse(body)) ?? {};
  } catch (err) {
    throw unreadable(sourceName, err instanceof Error ? err.message : String(err));
  }
}

/** True when a DOCTYPE or ENTITY declaration appears outside CDATA sections (whose text is literal). */
function declaresEntities(body: string): boolean {
  // indexOf rather than one regex over CDATA, so many unclosed "<![CDATA[" cannot make it quadratic.
  for (let at = 0; ; ) {
    const cdata = body.indexOf('<![CDATA[', at);
    if (DECLARATION.test(cdata === -1 ? body.slice(at) : body.slice(at, cdata))) return true;
    if (cdata === -1) return false;
    const end = body.indexOf(']]>', cdata + 9);
    if (end === -1) return false;
    at = end + 3;
  }
}

function unreadable(sourceName: string, what: string): AppError {
  return new AppError('SOURCE_UNREADABLE', `${sourceName} is not readable XML: ${what}.`);
}

/**
 * The value as an element node, or undefined for text, arrays and missing values.
 * @example asNode('text') // undefined
 */
export function asNode(value: unknown): XmlNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as XmlNode)
    : undefined;
}

/**
 * The first child element with this local name, if any.
 * @example child(parseXml('<a><b x="1"/></a>', 's'), 'a') // { b: { '@_x': '1' } }
 */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const v = node?.[name];
  return asNode(Array.isArray(v) ? v[0] : v);
}

/**
 * All children with this local name, in document order (one or many, text or elements).
 * @example children({ c: ['x', 'y'] }, 'c') // ['x', 'y']
 */
export function children(node: XmlNode | undefined, name: string): unknown[] {
  const v = node?.[name];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * All children with this local name as element nodes; a text-only child becomes { "#text": text }.
 * @example childNodes({ e: 'x' }, 'e') // [{ '#text': 'x' }]
 */
export function childNodes(node: XmlNode | undefined, name: string): XmlNode[] {
  return children(node, name).map((v) => asNode(v) ?? { '#text': v });
}

/**
 * The text content of a parsed value (a string, or an element with attributes and "#text").
 * @example textOf({ '#text': 'Hi', '@_lang': 'en' }) // 'Hi'
 */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return repairMojibake(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const node = asNode(value);
  if (node === undefined || node['#text'] === undefined) return null;
  return textOf(node['#text']);
}

/**
 * Text of the first child with this name, or null.
 * @example childText({ title: 'T' }, 'title') // 'T'
 */
export function childText(node: XmlNode | undefined, name: string): string | null {
  return textOf(children(node, name)[0]);
}

/**
 * Texts of all children with this name, skipping empty ones.
 * @example childTexts({ subject: ['a', ''] }, 'subject') // ['a']
 */
export function childTexts(node: XmlNode | undefined, name: string): string[] {
  return children(node, name)
    .map(textOf)
    .filter((t): t is string => t !== null && t.trim() !== '');
}

/**
 * An attribute of an element, or null.
 * @example attr({ '@_term': 'cs.CL' }, 'term') // 'cs.CL'
 */
export function attr(value: unknown, name: string): string | null {
  const v = asNode(value)?.[`@_${name}`];
  return typeof v === 'string' ? v : null;
}

const MOJIBAKE = /[\u00c2-\u00f4][\u0080-\u00bf]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Undoes UTF-8 text that was decoded as Latin-1 and encoded again ("WÃ¼bben" → "Wübben"),
 * which the 2026 arXiv export API emits for some names. Text that does not decode cleanly
 * as UTF-8 bytes is returned unchanged, so genuine Latin-1 text is never damaged.
 * @example repairMojibake('Dirk WÃ¼bben') // 'Dirk Wübben'
 */
export function repairMojibake(s: string): string {
  if (!MOJIBAKE.test(s)) return s;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return s;
  try {
    return strictUtf8.decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}
