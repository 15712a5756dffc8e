// What every ingest source yields: a parsed paper or a rejection, each with where it came from.
import type { PaperInput } from './paper.ts';

/** Where a record came from, e.g. "papers.jsonl:42" or "arXiv API entry 7 (2503.11677v2)". */
export type Location = string;

/**
 * A record's own identifier in its source (a JSONL `id`, a BibTeX key, a CSL-JSON `id`), kept so the
 * paper can be found, updated and linked by it. `source` names the collection (the file's name), so
 * key "1234" of one collection never collides with "1234" of another.
 */
export interface ExternalId {
  readonly source: string;
  readonly id: string;
}

export type SourceRecord =
  | {
      readonly ok: true;
      readonly paper: PaperInput;
      readonly location: Location;
      /** Absent when the source has no id of its own for the record, or its id is the arXiv id. */
      readonly externalId?: ExternalId;
      /** Fields a parser dropped to keep the paper (see ingest/validate.ts repairPaper). */
      readonly warnings?: readonly string[];
    }
  | { readonly ok: false; readonly reason: string; readonly location: Location };

/** A rejected record as reported to the user. */
export interface Rejection {
  readonly location: Location;
  readonly reason: string;
}
