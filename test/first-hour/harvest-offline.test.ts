// An automatic harvest without a network says what happened once, with the next attempt's time, and /health shows it.
import { afterEach, expect, test } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;
let env: Env | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

test('a DNS failure is one warning naming it and the next attempt; /health reports the failed harvest', async () => {
  // A real lookup of a name that can never resolve, through the real fetch; the reader clock says 2026-07-02 12:00 UTC.
  env = await webEnv({
    ARXIV_API_URL: 'http://export.arxiv.invalid/api/query',
    ARXIV_DELAY_MS: '3000',
    PAPERBOY_HARVEST: 'true',
    PAPERBOY_HARVEST_HOUR_UTC: '2',
    ADMIN_EMAILS: 'admin@example.org',
  });
  const before = (await (await env.app.request('/health')).json()) as { harvest: { state: string } };
  expect(before.harvest.state).toBe('never');

  const lines: string[] = [];
  const started = Date.now();
  const scheduler = env.services.scheduleHarvest(createLogger('info', (l) => lines.push(l)));
  await scheduler.done;
  scheduler.stop();
  expect(Date.now() - started).toBeLessThan(10_000);
  const warnings = lines.filter((l) => l.includes('warn'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(
    'Could not reach export.arxiv.invalid: its name does not resolve (no network, or DNS is down)',
  );
  expect(warnings[0]).toContain('next attempt at 2026-07-03 02:00 UTC');
  expect(lines.join('\n')).not.toContain('retry');

  const health = (await (await env.app.request('/health')).json()) as {
    harvest: { state: string; error: string; next: string };
  };
  expect(health.harvest).toMatchObject({ state: 'failed', next: '2026-07-03T02:00:00.000Z' });
  expect(health.harvest.error).toContain('its name does not resolve');

  // Administrators see it on the front page; readers do not.
  const admin = new WebClient(env.app);
  await signUpVia(admin, env, 'admin@example.org');
  const page = await (await admin.get('/')).text();
  expect(page).toContain(
    'Admin: the arXiv harvest of 2026-07-02 12:00 UTC failed: Could not reach export.arxiv.invalid',
  );
  expect(page).toContain('Next attempt: 2026-07-03 02:00 UTC.');
  const reader = new WebClient(env.app);
  await signUpVia(reader, env, 'ada@example.org');
  expect(await (await reader.get('/')).text()).not.toContain('arXiv harvest');
});
