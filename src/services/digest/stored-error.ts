// How much of a delivery error the outbox keeps: a rule of digest delivery, applied before the store sees it.

/** Characters of an SMTP error or attempt detail kept with an outbox row or attempt: any server's reply line. */
export const MAX_STORED_ERROR = 500;

/**
 * The part of a delivery error worth storing: the first MAX_STORED_ERROR characters.
 * @example storedError('x'.repeat(600)).length // 500
 */
export function storedError(text: string): string {
  return text.slice(0, MAX_STORED_ERROR);
}
