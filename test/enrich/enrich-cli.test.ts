// The enrichment commands end to end: the real binary against local GitHub and chat completions servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runPaperboy } from '../helpers/cli.ts';
import { startFakeChat, type FakeChat } from '../helpers/fake-chat.ts';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.ts';
import { paper, tempStore } from '../helpers/temp-store.ts';

describe('paperboy enrich --github and paperboy summarize', () => {
  let gh: FakeGithub;
  let chat: FakeChat;
  let db = '';
  let cleanup: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    gh = await startFakeGithub();
    chat = await startFakeChat();
    const t = await tempStore();
    await t.store.papers.upsertMany([
      paper({ arxivId: '2512.00001', title: 'One ok', comment: 'Code: https://github.com/org/one.' }),
      paper({ arxivId: '2512.00002', title: 'Two html', comment: 'https://github.com/org/two' }),
    ]);
    gh.repos.set('org/one', { stars: 42 });
    await t.store.close();
    db = t.path;
    cleanup = t.cleanup;
  });
  afterAll(async () => {
    await gh.close();
    await chat.close();
    await cleanup().catch(() => undefined);
  });

  it('checks the linked repositories, then has nothing due', async () => {
    const env = { DATABASE_URL: db, GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'ghp_cli' };
    const r = await runPaperboy(['enrich', '--github', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ due: 2, checked: 2, updated: 1, missing: 1, stopped: null });
    expect(gh.requests.every((q) => q.auth === 'Bearer ghp_cli')).toBe(true);
    const again = await runPaperboy(['enrich', '--github'], env);
    expect(again.stdout).toContain('Checked 0 of 0 due repositories');
    expect((await runPaperboy(['enrich'], env)).code).toBe(2);
  });

  it('summarizes with a progress line, logs a refused answer, and says what it needs when unconfigured', async () => {
    const env = {
      DATABASE_URL: db,
      SUMMARIZER: 'http',
      SUMMARIZER_URL: chat.url,
      SUMMARIZER_MODEL: 'tiny-llm',
      SUMMARIZER_API_KEY: 'sk-cli',
    };
    const r = await runPaperboy(['summarize', '--limit', '5'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 of 2 papers summarized by tiny-llm (prompt v1); 1 answers refused');
    expect(r.stderr).toMatch(/summarize 2512\.00002: refused the answer: the answer holds markup/);
    const off = await runPaperboy(['summarize'], { DATABASE_URL: db });
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/SUMMARIZER=http, SUMMARIZER_URL/);
  });
});
