// Typed access to fields of parsed JSON records, and the shared JSON-lines loop that turns lines into records.
import type { PaperInput } from '../../domain/paper.ts';
import type { ExternalId, SourceRecord } from '../../domain/record.ts';
import { externalId } from './source-id.ts';
import type { LineInput } from './lines.ts';

/** A parsed JSON object whose fields are not yet checked. */
export type JsonObject = Record<string, unknown>;

/** A field that is present but has the wrong shape; the record is rejected with this message. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
}

/**
 * Parses one line as a JSON object; says why not otherwise.
 * @example parseJsonObjectLine('[1]') // { ok: false, reason: 'line is JSON but not an object (it is an array)' }
 */
export function parseJsonObjectLine(
  line: string,
): { ok: true; value: JsonObject } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `line is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!isJsonObject(value))
    return { ok: false, reason: `line is JSON but not an object (it is ${kindOf(value)})` };
  return { ok: true, value };
}

/**
 * True for plain JSON objects (not arrays, not null).
 * @example isJsonObject([]) // false
 */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first of `keys` that is present and not null, as a string; FieldError when it is not a string.
 * @example optString({ comments: 'ICML' }, 'comment', 'comments') // 'ICML'
 */
export function optString(obj: JsonObject, ...keys: string[]): string | null {
  const [key, value] = firstPresent(obj, keys);
  if (key === null) return null;
  if (typeof value !== 'string')
    throw new FieldError(`field "${key}" should be a string, not ${kindOf(value)}`);
  return value;
}

/**
 * The first of `keys` that is present and not null, as a number; numeric strings are accepted.
 * @example optNumber({ versions: 3 }, 'versions') // 3
 */
export function optNumber(obj: JsonObject, ...keys: string[]): number | null {
  const [key, value] = firstPresent(obj, keys);
  if (key === null) return null;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new FieldError(`field "${key}" should be a number, not ${kindOf(value)}`);
  }
  return n;
}

/**
 * The first of `keys` that is present and not null, as an array of strings.
 * @example optStringList({ categories: ['cs.CL'] }, 'categories') // ['cs.CL']
 */
export function optStringList(obj: JsonObject, ...keys: string[]): string[] | null {
  const [key, value] = firstPresent(obj, keys);
  if (key === null) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new FieldError(`field "${key}" should be an array of strings, not ${kindOf(value)}`);
  }
  return value as string[];
}

/**
 * A short description of a JSON value's type for error messages.
 * @example kindOf([1]) // 'an array'
 */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * Turns JSON lines into records: blank lines are skipped, a line that is not a JSON object or whose
 * fields have the wrong shape becomes a rejection at `${sourceName}:${lineNo}`.
 */
export async function* mapJsonLines(
  lines: LineInput,
  sourceName: string,
  toPaper: (obj: JsonObject) => PaperInput,
  idOf?: (obj: JsonObject) => string | null,
): AsyncGenerator<SourceRecord> {
  for await (const { line, lineNo } of lines) {
    if (line.trim() === '') continue;
    const location = `${sourceName}:${lineNo}`;
    const parsed = parseJsonObjectLine(line);
    yield parsed.ok
      ? mapObject(parsed.value, location, toPaper, idOf && ((o) => externalId(sourceName, idOf(o))))
      : { ok: false, reason: parsed.reason, location };
  }
}

/**
 * Maps one parsed object to a record, turning a FieldError into a rejection at `location`.
 * @example mapObject({ title: 7 }, 'a.json:3', toPaper) // { ok: false, reason: 'field "title" should be ...' }
 */
export function mapObject(
  obj: JsonObject,
  location: string,
  toPaper: (obj: JsonObject) => PaperInput,
  externalIdOf?: (obj: JsonObject) => ExternalId | null,
): SourceRecord {
  try {
    const paper = toPaper(obj);
    const ext = externalIdOf?.(obj) ?? null;
    return ext !== null ? { ok: true, paper, location, externalId: ext } : { ok: true, paper, location };
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    return { ok: false, reason: err.message, location };
  }
}

/** A string or whole-number field as text (ids are written both ways), else null. */
export function idField(obj: JsonObject, key: string): string | null {
  const v = obj[key];
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isInteger(v) ? String(v) : null;
}

function firstPresent(obj: JsonObject, keys: string[]): [string, unknown] | [null, null] {
  for (const key of keys) {
    const value = obj[key];
    if (value !== undefined && value !== null) return [key, value];
  }
  return [null, null];
}
