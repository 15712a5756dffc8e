// One error type with a catalog of codes; surfaces map codes to exit codes and HTTP statuses.

/** Every error Paperboy raises on purpose, with the HTTP status and CLI exit code it maps to. */
export const ERROR_CATALOG = {
  CONFIG_INVALID: { status: 500, exit: 2 },
  USAGE: { status: 400, exit: 2 },
  BAD_INPUT: { status: 400, exit: 2 },
  NOT_FOUND: { status: 404, exit: 4 },
  UNAUTHORIZED: { status: 401, exit: 2 },
  FORBIDDEN: { status: 403, exit: 2 },
  CONFLICT: { status: 409, exit: 2 },
  LINK_INVALID: { status: 410, exit: 2 },
  PAYLOAD_TOO_LARGE: { status: 413, exit: 2 },
  RATE_LIMITED: { status: 429, exit: 6 },
  UNKNOWN_FORMAT: { status: 415, exit: 2 },
  SOURCE_UNREADABLE: { status: 422, exit: 5 },
  NETWORK: { status: 502, exit: 6 },
  STORE: { status: 500, exit: 7 },
  SCHEMA_TOO_NEW: { status: 500, exit: 7 },
  EMBEDDER: { status: 503, exit: 6 },
  INTERRUPTED: { status: 503, exit: 130 },
  INTERNAL: { status: 500, exit: 70 },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/**
 * An expected failure with a code from the catalog and a message that says how to fix it.
 * @example throw new AppError('NOT_FOUND', 'No paper 2503.99999; check the id or ingest it first.')
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, details: readonly string[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** True for AppError instances of this module (an AppError from another copy of the module is not one). */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** A one-line description of any thrown value, for logs and CLI output. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
