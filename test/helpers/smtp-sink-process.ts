// A real SMTP server (smtp-server) for tests, run as its own process: it keeps every accepted message as an
// .eml file and reports events as JSON lines on stdout. Behaviour comes from the SINK_* environment.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SMTPServer } from 'smtp-server';

const dir = process.env.SINK_DIR ?? '';
const rcptDelayMs = Number(process.env.SINK_RCPT_DELAY_MS ?? 0);
/** Addresses answered 550 (permanent). */
const reject = new Set((process.env.SINK_REJECT ?? '').split(',').filter(Boolean));
/** Addresses answered 451 (temporary) this many times before they are accepted. */
const tempFails = Number(process.env.SINK_TEMP_FAILS ?? 0);
const tempFail = new Set((process.env.SINK_TEMP_FAIL ?? '').split(',').filter(Boolean));
const tempSeen = new Map<string, number>();
let count = 0;
/**
 * With SINK_HOLD_ACKS=1, a message is stored (and reported accepted) but its 250 answer is held back until a
 * "release" line arrives on stdin: the moment when the server has the message and the client does not know.
 */
let holdAcks = process.env.SINK_HOLD_ACKS === '1';
const held: (() => void)[] = [];
/**
 * With SINK_HOLD_RCPT_AFTER=n, once n messages are stored every RCPT answer is held (reported as a `rcpt` event
 * with `held: true`) until a "release rcpt" line: a sender stopped mid-message for as long as a test needs.
 */
const holdRcptAfter = Number(process.env.SINK_HOLD_RCPT_AFTER ?? -1);
let holdRcpts = holdRcptAfter >= 0;
const heldRcpts: (() => void)[] = [];
process.stdin.setEncoding('utf8');
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'release') {
    holdAcks = false;
    for (const ack of held.splice(0)) ack();
  } else if (line === 'release rcpt') {
    holdRcpts = false;
    for (const answer of heldRcpts.splice(0)) answer();
  }
});

mkdirSync(dir, { recursive: true });
const emit = (e: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(e)}\n`);

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, cb) {
    const to = address.address.toLowerCase();
    if (holdRcpts && count >= holdRcptAfter) {
      emit({ event: 'rcpt', to, held: true });
      heldRcpts.push(() => cb());
      return;
    }
    emit({ event: 'rcpt', to });
    setTimeout(() => {
      if (reject.has(to)) return cb(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
      if (tempFail.has(to) && (tempSeen.get(to) ?? 0) < tempFails) {
        tempSeen.set(to, (tempSeen.get(to) ?? 0) + 1);
        return cb(Object.assign(new Error('4.2.1 try again later'), { responseCode: 451 }));
      }
      cb();
    }, rcptDelayMs);
  },
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      count += 1;
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase()).join(',');
      writeFileSync(join(dir, `${String(count).padStart(6, '0')}.eml`), Buffer.concat(chunks));
      emit({ event: 'accepted', to, n: count });
      if (holdAcks) held.push(() => cb(null));
      else cb(null);
    });
  },
});
// A client killed mid-message resets its connection: that is expected here, not a reason to stop.
server.on('error', (err) => emit({ event: 'error', message: err.message }));
server.listen(0, '127.0.0.1', () => {
  const addr = server.server.address();
  emit({ event: 'listening', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
