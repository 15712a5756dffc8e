// `train --help` and the README give the same measured training time for the 75k corpus.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { trainCommand } from '../../src/cli/semantic.ts';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
const FIGURE = /about (\d+) minutes for 75,000 papers on 2 cores/;

test('train --help and the README state one figure for 75,000 papers', () => {
  const help = FIGURE.exec(trainCommand.help.replace(/\s+/g, ' '));
  const readme = FIGURE.exec(README.replace(/\s+/g, ' '));
  expect(help?.[1]).toBeDefined();
  expect(help?.[1]).toBe(readme?.[1]);
  expect(trainCommand.help).toContain('estimate the time left');
});
