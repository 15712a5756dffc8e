// Which PostgreSQL client errors mean "the connection is gone" (a STORE error, exit 7) rather than a bad record.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { lostConnection } from '../../src/store/postgres/pg-db.ts';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('lostConnection', () => {
  it.each([
    ['server restart', withCode('terminating connection due to administrator command', '57P01')],
    ['network reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['cut mid-statement', new Error('Connection terminated unexpectedly')],
    // Regression: after a cut, the next statement on that client fails with these words, and an import
    // counted it as a rejected record (exit 5) instead of a lost database (exit 7).
    ['a client already broken', new Error('Client has encountered a connection error and is not queryable')],
    ['a client already closed', new Error('Client was closed and is not queryable')],
  ])('recognises %s', (_, err) => {
    const e = lostConnection(err);
    expect(e).toBeInstanceOf(AppError);
    expect(e?.code).toBe('STORE');
    expect(e?.message).toMatch(/connection to PostgreSQL was lost/);
  });

  it('leaves other errors alone', () => {
    expect(lostConnection(withCode('duplicate key value violates unique constraint', '23505'))).toBeNull();
    expect(lostConnection(new AppError('BAD_INPUT', 'no'))).toBeNull();
    expect(lostConnection('text')).toBeNull();
  });
});
