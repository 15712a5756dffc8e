// The delivery service's rule for how much of an SMTP error the outbox keeps (the store keeps what it is given).
import { describe, expect, it } from 'vitest';
import { MAX_STORED_ERROR, storedError } from '../../src/services/digest/stored-error.ts';

describe('storedError', () => {
  it('keeps the first 500 characters of a long error and short ones whole', () => {
    const long = `550 ${'x'.repeat(700)}`;
    expect(storedError(long)).toBe(long.slice(0, 500));
    expect(MAX_STORED_ERROR).toBe(500);
    expect(storedError('451 try later')).toBe('451 try later');
  });
});
