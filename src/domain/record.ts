// What every ingest source yields: a parsed paper or a rejection, each with where it came from.
import type { PaperInput } from './paper.ts';

/** Where a record came from, e.g. "papers.jsonl:42" or "arXiv API entry 7 (2503.11677v2)". */
export type Location = string;

export type SourceRecord =
  | {
      readonly ok: true;
      readonly paper: PaperInput;
      readonly location: Location;
      /** Fields a parser dropped to keep the paper (see ingest/validate.ts repairPaper). */
      readonly warnings?: readonly string[];
    }
  | { readonly ok: false; readonly reason: string; readonly location: Location };

/** A rejected record as reported to the user. */
export interface Rejection {
  readonly location: Location;
  readonly reason: string;
}
