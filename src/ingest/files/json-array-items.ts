// Splits a streamed top-level JSON array into the source text of its items, so huge arrays parse in constant memory.
import { AppError } from '../../errors.ts';

/** One item of the array, as JSON text, with its 1-based index and the line it starts on. */
export interface JsonArrayItem {
  text: string;
  index: number;
  lineNo: number;
}

/** An item larger than this is refused (a CSL item is a few kilobytes). */
export const MAX_ITEM_CHARS = 8 * 1024 * 1024;

interface Scan {
  phase: 'start' | 'between' | 'item' | 'done';
  depth: number;
  inString: boolean;
  escaped: boolean;
  parts: string[];
  size: number;
  index: number;
  lineNo: number;
  itemLine: number;
}

/**
 * Yields each top-level item of a JSON array read as text chunks; items are not validated (JSON.parse
 * them). Throws AppError('BAD_INPUT') when the text is not an array, and AppError('SOURCE_UNREADABLE')
 * when it ends inside the array (after yielding every complete item).
 */
export async function* jsonArrayItems(
  chunks: AsyncIterable<string> | Iterable<string>,
  sourceName: string,
): AsyncGenerator<JsonArrayItem> {
  const s: Scan = {
    phase: 'start',
    depth: 0,
    inString: false,
    escaped: false,
    parts: [],
    size: 0,
    index: 0,
    lineNo: 1,
    itemLine: 1,
  };
  for await (const chunk of chunks) {
    let segStart = s.phase === 'item' ? 0 : -1;
    for (let i = 0; i < chunk.length; i += 1) {
      const ch = chunk.charAt(i);
      if (s.phase === 'item') {
        const end = stepItem(s, ch);
        if (end !== null) {
          s.parts.push(chunk.slice(segStart, end === 'after' ? i + 1 : i));
          yield finishItem(s);
          if (end === 'close') s.phase = 'done';
        }
      } else if (stepOutside(s, ch, sourceName)) {
        segStart = i;
        if (stepItem(s, ch) !== null) throw notJson(sourceName, s);
      }
      if (ch === '\n') s.lineNo += 1;
    }
    if (s.phase === 'item') keepPart(s, chunk.slice(segStart), sourceName);
  }
  if (s.phase !== 'done') throw endsEarly(sourceName, s);
}

/** Handles a character outside any item; returns true when it starts an item. */
function stepOutside(s: Scan, ch: string, sourceName: string): boolean {
  const blank = /\s/.test(ch) || ch === '\uFEFF';
  if (s.phase === 'start') {
    if (ch === '[') s.phase = 'between';
    else if (!blank) throw notArray(sourceName, ch);
    return false;
  }
  if (s.phase !== 'between' || blank || ch === ',') return false;
  if (ch === ']') {
    s.phase = 'done';
    return false;
  }
  Object.assign(s, {
    phase: 'item',
    depth: 0,
    inString: false,
    escaped: false,
    parts: [],
    size: 0,
    itemLine: s.lineNo,
  });
  s.index += 1;
  return true;
}

/** Advances inside an item; says where it ended: 'after' this char, 'before' it (a comma), or 'close' (the array's "]"). */
function stepItem(s: Scan, ch: string): 'after' | 'before' | 'close' | null {
  if (s.inString) {
    if (s.escaped) s.escaped = false;
    else if (ch === '\\') s.escaped = true;
    else if (ch === '"') s.inString = false;
    return null;
  }
  if (ch === '"') s.inString = true;
  else if (ch === '{' || ch === '[') s.depth += 1;
  else if (ch === '}' || ch === ']') {
    if (s.depth === 0) return 'close'; // the array's own "]" ends a bare value
    s.depth -= 1;
    return s.depth === 0 ? 'after' : null;
  } else if (ch === ',' && s.depth === 0) return 'before';
  return null;
}

function finishItem(s: Scan): JsonArrayItem {
  const item = { text: s.parts.join(''), index: s.index, lineNo: s.itemLine };
  s.phase = 'between';
  s.parts = [];
  return item;
}

function keepPart(s: Scan, part: string, sourceName: string): void {
  s.parts.push(part);
  s.size += part.length;
  if (s.size > MAX_ITEM_CHARS) {
    throw new AppError(
      'BAD_INPUT',
      `${sourceName}:${s.itemLine}: item ${s.index} is larger than ` +
        `${MAX_ITEM_CHARS / (1024 * 1024)} Mi characters; is this really a CSL-JSON export?`,
    );
  }
}

function notArray(sourceName: string, ch: string): AppError {
  const what = ch === '{' ? 'a single JSON object' : `text starting with "${ch}"`;
  return new AppError(
    'BAD_INPUT',
    `${sourceName} is ${what}, not a JSON array of items; CSL-JSON (as Zotero ` +
      'exports it) is an array: [ { "title": ... }, ... ].',
  );
}

function notJson(sourceName: string, s: Scan): AppError {
  return new AppError('BAD_INPUT', `${sourceName}:${s.lineNo}: item ${s.index} is not valid JSON`);
}

function endsEarly(sourceName: string, s: Scan): AppError {
  const where =
    s.phase === 'start'
      ? 'is empty'
      : `ends inside the JSON array, after item ${s.phase === 'item' ? s.index - 1 : s.index}`;
  return new AppError('SOURCE_UNREADABLE', `${sourceName} ${where}; is the file truncated?`);
}
