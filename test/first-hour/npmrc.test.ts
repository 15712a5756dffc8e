// The checkout's .npmrc skips onnxruntime-node's GitHub download without npm warning on every command.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs `npm exec` in the checkout with none of this test run's npm or ONNX settings inherited. */
function npmExec(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^npm_/i.test(k) && k !== 'NODE_OPTIONS' && !k.startsWith('ONNXRUNTIME_NODE_INSTALL'),
    ),
  );
  const r = spawnSync('npm', ['exec', '--offline', '--', ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('npm commands in the checkout print no "Unknown project config" warning', () => {
  const r = npmExec(['node', '-e', 'process.stdout.write("ran")']);
  expect(r.stdout).toBe('ran');
  expect(r.stderr).not.toMatch(/Unknown (project|user|env) config/);
});

test("onnxruntime-node's install script, run as npm runs it, skips its download", () => {
  const r = npmExec([
    'node',
    '-e',
    'process.chdir("node_modules/onnxruntime-node"); require(process.cwd() + "/script/install.js")',
  ]);
  // Skipped, the script exits 0 at once; otherwise it fetches CUDA files (and fails without the network).
  expect(r.stderr).not.toMatch(/ENOTFOUND|nuget|github/i);
  expect(r.status).toBe(0);
  expect(r.stderr).not.toMatch(/Downloading|Failed to download/i);
});
