// Keeps the README in step with the code: every configuration variable and command is documented.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { CONFIG_VARIABLES } from '../../src/config.ts';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration variable with its default', () => {
    for (const [name, spec] of Object.entries(CONFIG_VARIABLES)) {
      expect(README, name).toContain(`| \`${name}\` | \`${spec.default}\` |`);
    }
  });
  it('documents every command', () => {
    for (const c of COMMANDS) expect(README, c.name).toContain(`paperboy ${c.name}`);
  });
  it('has a two-command quick start with the test command', () => {
    expect(README).toMatch(/npm ci && npx paperboy serve/);
    expect(README).toMatch(/^npm test/m);
  });
});
