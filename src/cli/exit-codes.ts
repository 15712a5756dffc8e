// Exit codes every command uses; documented in README and `paperboy --help`.
import { ERROR_CATALOG, isAppError } from '../errors.ts';

export const EXIT = {
  /** Done: something was added or changed (or the command has nothing to count). */
  OK: 0,
  /** Done, but nothing new: every record was already stored unchanged. */
  NOTHING_NEW: 1,
  /** Bad command line, bad configuration or unknown file format. */
  USAGE: 2,
  /** Done, with some records rejected (each reported with where and why). */
  REJECTED: 3,
  /** The thing asked for does not exist (unknown paper id). */
  NOT_FOUND: 4,
  /** A source could not be read at all (missing file, corrupt archive) or broke off. */
  SOURCE_FAILED: 5,
  /** The network or a remote service failed (arXiv unreachable, 503 storm). */
  NETWORK: 6,
  /** The database could not be opened or written. */
  STORE: 7,
  /** `serve` could not listen: the port is taken by another process. */
  PORT_IN_USE: 8,
  /** Interrupted by Ctrl-C / SIGTERM; rerun to continue. */
  INTERRUPTED: 130,
} as const;

export const EXIT_CODE_HELP = `Exit codes:
  0    done
  1    nothing new (everything was already stored unchanged)
  2    usage error, invalid configuration or unknown file format
  3    done, but some records were rejected (listed with file:line and reason);
       records rejected the same way by the previous run of the source do not count
  4    not found
  5    a source could not be read or broke off part-way (what was read is kept)
  6    network or remote service failure (arXiv unreachable, too many 503s)
  7    database error
  8    serve: the port is already in use
  70   internal error (a bug: the message and the log say where; please report it)
  130  interrupted (Ctrl-C); run the same command again to continue`;

/** The exit code of an unexpected failure (EX_SOFTWARE in sysexits.h), the catalog's INTERNAL. */
export const INTERNAL_EXIT = ERROR_CATALOG.INTERNAL.exit;

/** Maps any thrown value to an exit code. */
export function exitCodeFor(err: unknown): number {
  return isAppError(err) ? ERROR_CATALOG[err.code].exit : INTERNAL_EXIT;
}
