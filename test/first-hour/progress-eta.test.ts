// Long jobs (train, embed, ingest) print an estimate of the time left on their progress lines.
import { expect, test, vi } from 'vitest';
import { createProgress, timeLeft } from '../../src/cli/progress.ts';

test('time left comes from the pace so far, in seconds or minutes, once 5% is done', () => {
  expect(timeLeft(300, 900, 120)).toBe('about 4 min left');
  expect(timeLeft(450, 900, 30)).toBe('about 30 s left');
  expect(timeLeft(1, 900, 2)).toBe('');
  expect(timeLeft(900, 900, 30)).toBe('');
  expect(timeLeft(10, null, 30)).toBe('');
});

test('a progress line carries the estimate, measured from the start of the current phase', () => {
  const lines: string[] = [];
  let t = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => t);
  const bar = createProgress({ label: 'train', sink: { write: (s) => lines.push(s) }, logEverySeconds: 1 });
  t = 60_000; // a slow first phase of another size must not skew the next one's estimate
  bar.update(10, 10, 'vocabulary');
  t = 70_000;
  bar.update(0, 800, 'epoch 1');
  t = 130_000;
  bar.update(200, 800, 'epoch 1');
  vi.restoreAllMocks();
  expect(lines.at(-1)).toBe('train 200/800 1.5/s epoch 1, about 3 min left\n');
});

test('a note during a drawn bar gets a line of its own, and the bar is redrawn at the next update', () => {
  const out: string[] = [];
  let t = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => t);
  const bar = createProgress({
    label: 'ingest',
    sink: { isTTY: true, columns: 80, write: (s) => out.push(s) },
  });
  t = 1_000;
  bar.update(10_000, 100_000, '+10000');
  bar.note('building index paper_authors_author (1 of 3)');
  t = 1_010; // within the redraw interval: still redrawn, since the note took the bar's line
  bar.update(20_000, 100_000, '+20000');
  vi.restoreAllMocks();
  const screen = out.join('');
  expect(screen).toContain('+10000\r\x1b[2Kbuilding index paper_authors_author (1 of 3)\n');
  const last = screen.split('\n').at(-1) ?? '';
  expect(last.startsWith('\r\x1b[2K[')).toBe(true);
  expect(last).toContain('20,000/100,000');
  expect(screen.split('\n')).toHaveLength(2);
});
