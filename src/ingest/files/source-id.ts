// A record's own identifier in its source file, kept as the paper's external id.
import type { ExternalId } from '../../domain/record.ts';

/** Longest source id kept; a longer one is no identifier anyone types or links. */
const MAX_SOURCE_ID = 256;

/**
 * A record's own id in source `source` (its file's name), or null when it has none worth keeping.
 * @example externalId('cacm.jsonl', ' 1234 ') // { source: 'cacm.jsonl', id: '1234' }
 */
export function externalId(source: string, raw: string | null): ExternalId | null {
  const id = raw?.trim() ?? '';
  return id === '' || id.length > MAX_SOURCE_ID ? null : { source, id };
}
