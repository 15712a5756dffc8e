// The command table loads each command's module only when needed: it must name and summarise what the modules say,
// and `--help` (top-level and per command) still works for every command.
import { describe, expect, it } from 'vitest';
import { COMMANDS, topLevelHelp } from '../../src/cli/commands.ts';
import { runPaperboyIn } from '../helpers/cli.ts';

describe('command table', () => {
  it("matches every command module's name and summary", async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary, entry.name).toBe(entry.summary);
    }
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });

  it('prints every command in the top-level help and each command its own help', async () => {
    const top = await runPaperboyIn(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toBe(`${topLevelHelp()}\n`);
    for (const entry of COMMANDS) {
      expect(top.stdout).toContain(`  ${entry.name.padEnd(10)}  ${entry.summary}`);
      const r = await runPaperboyIn([entry.name, '--help']);
      expect(r.code, entry.name).toBe(0);
      expect(r.stdout, entry.name).toBe(`${(await entry.load()).help}\n`);
    }
    const unknown = await runPaperboyIn(['nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "nosuch"');
  });
});
