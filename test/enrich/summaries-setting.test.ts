// Readers can turn TL;DR summaries off (and on again) in settings; anonymous pages keep them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;

const ABSTRACT =
  'Tactile sensing guides robot grasping in clutter. We learn grasp forces for soft grippers from tactile ' +
  'signals with a small network. Soft grippers with learned grasp forces drop fewer objects.';

describe('the summaries setting', () => {
  let env: Env;
  let web: WebClient;
  beforeAll(async () => {
    env = await webEnv();
    web = new WebClient(env.app);
    await env.addPapers([
      paper({
        arxivId: '2607.00003',
        title: 'Tactile grasping',
        abstract: ABSTRACT,
        announced: '2026-07-01',
      }),
    ]);
    await signUpVia(web, env, 'tldr@example.org');
  });
  afterAll(async () => env.cleanup());

  it('hides the TL;DR on cards and the paper page once turned off, and shows it again when turned on', async () => {
    expect(await (await web.get('/day/2026-07-01')).text()).toContain('class="tldr"');
    expect(await (await web.get('/settings')).text()).toContain('Hide summaries');
    expect((await web.post('/settings/summaries', { show: 'off' })).status).toBe(303);
    expect(await (await web.get('/day/2026-07-01')).text()).not.toContain('class="tldr"');
    expect(await (await web.get('/papers/2607.00003')).text()).not.toContain('class="tldr"');
    expect(await (await web.get('/settings')).text()).toContain('Show summaries');
    // Anonymous readers share cached pages: they always get the summary.
    expect(await (await env.app.request('/day/2026-07-01')).text()).toContain('class="tldr"');
    await web.post('/settings/summaries', { show: 'on' });
    expect(await (await web.get('/papers/2607.00003')).text()).toContain('class="tldr"');
  });
});
