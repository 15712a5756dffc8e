// The bundle `npm run build` makes answers as the sources do (workers, assets and all), is used only while it
// matches the sources, and a cold search loads none of the XML parser, the PostgreSQL driver and argon2.
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';

const REPO = resolve(import.meta.dirname, '../..');
let root = '';
let env: Record<string, string> = {};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node ...args` in the copy of the checkout with `extra` environment; resolves when it exits. */
function node(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** `paperboy ...args` from the copy, saying (PAPERBOY_DEBUG) whether the bundle or the sources ran. */
const paperboy = (args: string[], extra: Record<string, string> = {}): Promise<Run> =>
  node(['bin/paperboy.mjs', ...args], { PAPERBOY_DEBUG: '1', ...extra });
const fromBundle = (r: Run): boolean => r.stderr.startsWith(`paperboy: running ${join(root, 'dist')}`);
const fromSources = (r: Run): boolean => r.stderr.startsWith('paperboy: running the sources through tsx');

beforeAll(async () => {
  // A copy of the checkout, so that editing a source here leaves the real one (and its dist/) alone.
  root = mkdtempSync(join(tmpdir(), 'paperboy-bundle-'));
  for (const part of ['src', 'bin', 'scripts', 'package.json', 'tsconfig.json'])
    cpSync(join(REPO, part), join(root, part), { recursive: true });
  symlinkSync(realpathSync(join(REPO, 'node_modules')), join(root, 'node_modules'));
  env = { DATABASE_URL: join(root, 'data.db'), LOG_LEVEL: 'warn', PAPERBOY_HARVEST: 'false' };
  const store = await openStore(env.DATABASE_URL!);
  await store.papers.upsertMany(topicCorpus(15).papers);
  await store.close();
  const built = await node(['scripts/build.mjs']);
  expect(built.code, built.stderr).toBe(0);
  expect(existsSync(join(root, 'dist', 'manifest.json'))).toBe(true);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the bundle', () => {
  it('ingests (file reader worker), trains (training worker) and searches as the sources do', async () => {
    const file = join(REPO, 'test/fixtures/files/kaggle-sample.jsonl');
    const ingest = await paperboy(['ingest', file]);
    expect(fromBundle(ingest), ingest.stderr).toBe(true);
    expect(`${ingest.stdout}${ingest.stderr}`).toMatch(/added [1-9]/);
    const train = await paperboy(['train', '--epochs', '1']);
    expect(fromBundle(train), train.stderr).toBe(true);
    expect(train.code, train.stderr).toBe(0);
    for (const args of [
      ['--help'],
      ['--version'],
      ['search', '--help'],
      ['search', 'image segmentation networks', '-k', '5'],
      ['search', 'image segmentation networks', '-k', '5', '--json'],
      ['stats'],
    ]) {
      const bundled = await paperboy(args);
      const sources = await paperboy(args, { PAPERBOY_BUNDLE: '0' });
      expect(fromBundle(bundled), bundled.stderr).toBe(true);
      expect(fromSources(sources), sources.stderr).toBe(true);
      expect(bundled.code, args.join(' ')).toBe(sources.code);
      expect(bundled.stdout, args.join(' ')).toBe(sources.stdout);
    }
    const json = JSON.parse((await paperboy(['search', 'image segmentation networks', '--json'])).stdout) as {
      mode: string;
      hits: unknown[];
    };
    expect(json.mode).toBe('hybrid');
    expect(json.hits.length).toBeGreaterThan(0);
  }, 240_000);

  it('serves the site, its script and the KaTeX assets read beside the sources', async () => {
    const port = String(20_000 + (process.pid % 20_000));
    const child = spawn(process.execPath, ['bin/paperboy.mjs', 'serve', '--port', port], {
      cwd: root,
      env: { ...process.env, ...env, PAPERBOY_DEBUG: '1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let log = '';
      await new Promise<void>((ready, fail) => {
        const seen = (d: Buffer): void => {
          log += d.toString();
          if (log.includes('listening on')) ready();
        };
        child.stdout.on('data', seen);
        child.stderr.on('data', seen);
        child.on('exit', () => fail(new Error(`serve exited: ${log}`)));
      });
      expect(log).toContain(`paperboy: running ${join(root, 'dist')}`);
      const site = readFileSync(join(REPO, 'src/web/static/site.js'), 'utf8');
      const get = (path: string): Promise<Response> => fetch(`http://127.0.0.1:${port}${path}`);
      expect(await (await get('/static/site.js')).text()).toBe(site);
      expect((await get('/static/map.js')).status).toBe(200);
      expect((await get('/static/katex/katex.min.css')).status).toBe(200);
      expect((await get('/')).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    }
  }, 120_000);

  it('is not used once a source changed since the build, nor when missing: the sources run', async () => {
    const search = join(root, 'src/cli/search.ts');
    const text = readFileSync(search, 'utf8');
    writeFileSync(
      search,
      text.replace('Usage: paperboy search <query>', 'Usage: paperboy search <edited query>'),
    );
    const edited = await paperboy(['search', '--help']);
    expect(fromSources(edited), edited.stderr).toBe(true);
    expect(edited.stderr).toContain('src/cli/search.ts changed since the bundle was built');
    expect(edited.stdout).toContain('Usage: paperboy search <edited query>');
    // Built again, the bundle is used and says what the edited source says.
    expect((await node(['scripts/build.mjs'])).code).toBe(0);
    const rebuilt = await paperboy(['search', '--help']);
    expect(fromBundle(rebuilt), rebuilt.stderr).toBe(true);
    expect(rebuilt.stdout).toBe(edited.stdout);
    // A bundle file gone (a build cut short, a hand edit): the sources run.
    appendFileSync(join(root, 'dist', 'paperboy.js'), '\n');
    const touched = await paperboy(['--version']);
    expect(fromSources(touched), touched.stderr).toBe(true);
    rmSync(join(root, 'dist'), { recursive: true });
    const missing = await paperboy(['--version']);
    expect(fromSources(missing), missing.stderr).toBe(true);
    expect(missing.stdout).toMatch(/^paperboy \d/);
    expect((await node(['scripts/build.mjs'])).code).toBe(0);
  }, 120_000);
});

describe('a cold search', () => {
  it('loads neither the XML parser, the PostgreSQL driver nor argon2, from the sources or the bundle', async () => {
    // A module hook that writes down every module the process resolves.
    const log = join(root, 'modules.txt');
    writeFileSync(
      join(root, 'hook.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function resolve(spec, context, next) {
  const r = await next(spec, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}`,
    );
    writeFileSync(
      join(root, 'register.mjs'),
      `import { register } from 'node:module'; register('./hook.mjs', import.meta.url);`,
    );
    for (const bundle of ['0', '1']) {
      rmSync(log, { force: true });
      const r = await node(
        ['--import', './register.mjs', 'bin/paperboy.mjs', 'search', 'image segmentation networks'],
        {
          PAPERBOY_BUNDLE: bundle,
        },
      );
      expect(r.code, r.stderr).toBe(0);
      const loaded = readFileSync(log, 'utf8').split('\n');
      expect(loaded.some((u) => u.includes('/src/main.ts') || u.includes('/dist/paperboy.js'))).toBe(true);
      expect(
        loaded.filter((u) => u.includes('fast-xml-parser')),
        bundle,
      ).toEqual([]);
      expect(
        loaded.filter((u) => /node_modules\/pg\//.test(u)),
        bundle,
      ).toEqual([]);
      expect(
        loaded.filter((u) => u.includes('@node-rs/argon2')),
        bundle,
      ).toEqual([]);
    }
  }, 120_000);
});
