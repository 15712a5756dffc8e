// Background mail can be awaited: `idle()` settles once every send started so far is done, failed ones too.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import { deliverLater, trackSends, type Mail, type Mailer } from '../../src/platform/mailer.ts';

/** A mailer whose sends finish only when the test says so, like a slow SMTP server. */
function heldMailer() {
  const delivered: Mail[] = [];
  const pending: { release: () => void; fail: () => void }[] = [];
  const mailer: Mailer = {
    send: (mail) =>
      new Promise<void>((resolve, reject) => {
        pending.push({
          release: () => {
            delivered.push(mail);
            resolve();
          },
          fail: () => reject(new Error('550 mailbox unavailable')),
        });
      }),
  };
  return { mailer, delivered, pending };
}

const mail = (to: string): Mail => ({ to, subject: 'Hi', text: 'Hello' });
const quiet = createLogger('silent', () => undefined);

describe('trackSends', () => {
  it('resolves at once when nothing is in flight', async () => {
    await expect(trackSends(heldMailer().mailer).idle()).resolves.toBeUndefined();
  });

  it('waits for every background send, including one that fails', async () => {
    const held = heldMailer();
    const mailer = trackSends(held.mailer);
    deliverLater(mailer, quiet, mail('a@example.org'));
    deliverLater(mailer, quiet, mail('b@example.org'));
    let idle = false;
    const waiting = mailer.idle().then(() => (idle = true));
    held.pending[0]?.release();
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    held.pending[1]?.fail();
    await waiting;
    expect(held.delivered.map((m) => m.to)).toEqual(['a@example.org']);
  });

  it('also waits for a send started while it was waiting', async () => {
    const held = heldMailer();
    const mailer = trackSends(held.mailer);
    deliverLater(mailer, quiet, mail('a@example.org'));
    let idle = false;
    const waiting = mailer.idle().then(() => (idle = true));
    deliverLater(mailer, quiet, mail('b@example.org'));
    held.pending[0]?.release();
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    held.pending[1]?.release();
    await waiting;
    expect(held.delivered).toHaveLength(2);
  });
});
