// Links and TL;DR on the surfaces: listing cards, the paper page, the JSON API and the Atom feed; hostile links never.
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;

const ABSTRACT =
  'Robots often drop objects in cluttered scenes. We present a soft gripper controller that learns grasp ' +
  'forces for soft gripper hardware from tactile signals. The soft gripper controller halves drops in ' +
  'cluttered scenes. Results hold on two robots.';

describe('paper links and summaries on the surfaces', () => {
  let env: Env;
  beforeAll(async () => {
    env = await webEnv();
    await env.addPapers([
      paper({
        arxivId: '2607.00001',
        title: 'Soft gripper control',
        abstract: ABSTRACT,
        comment:
          'Code: http://github.com/lab/soft-grip/tree/main}. Data: javascript:alert(1) https://zenodo.org/records/9',
        announced: '2026-07-01',
      }),
      paper({ arxivId: '2607.00002', title: 'Codeless gripper study', announced: '2026-07-01' }),
    ]);
  });
  afterAll(async () => env.cleanup());

  it('shows a Code chip and an extractive TL;DR on the listing card', async () => {
    const body = await (await env.app.request('/day/2026-07-01')).text();
    expect(body).toMatch(
      /<a class="chip chip-code" href="https:\/\/github.com\/lab\/soft-grip"[^>]*>\s*<span class="chip-kind">Code<\/span> lab\/soft-grip/,
    );
    expect(body).toContain('TL;DR <small>(extractive)</small>');
    expect(body).toMatch(/<p class="tldr">[\s\S]*?The soft gripper controller halves drops[\s\S]*?<\/p>/);
    expect(body).not.toMatch(/javascript:/i);
  });

  it('narrows the daily page and the API to papers with code', async () => {
    const all = await (await env.app.request('/day/2026-07-01')).text();
    expect(all).toContain('Codeless gripper study');
    const withCode = await (await env.app.request('/day/2026-07-01?has=code')).text();
    expect(withCode).toContain('Soft gripper control');
    expect(withCode).not.toContain('Codeless gripper study');
    expect(withCode).toMatch(/name="has" value="code"\s+checked/);
    const api = (await (await env.app.request('/api/papers?date=2026-07-01&period=day&has=code')).json()) as {
      papers: { id: string }[];
      has: string;
    };
    expect(api.papers.map((p) => p.id)).toEqual(['2607.00001']);
    expect(api.has).toBe('code');
    expect((await env.app.request('/api/papers?date=2026-07-01&has=javascript:x')).status).toBe(400);
  });

  it("keeps the search page's With code box and has:code in the query in step", async () => {
    const boxed = await (await env.app.request('/search?q=gripper&category=&since=&before=&has=code')).text();
    expect(boxed).toContain('id="paper-2607.00001"');
    expect(boxed).not.toContain('id="paper-2607.00002"');
    expect(boxed).toMatch(/name="has" value="code"\s+checked/);
    const typed = await (await env.app.request('/search?q=gripper+has%3Acode')).text();
    expect(typed).toMatch(/name="has" value="code"\s+checked/);
    expect(typed).toContain('<input type="hidden" name="q" value="gripper"');
    const unboxed = await (
      await env.app.request('/search?q=gripper+has%3Acode&category=&since=&before=')
    ).text();
    expect(unboxed).toContain('id="paper-2607.00002"');
  });

  it('shows every link and the TL;DR on the paper page', async () => {
    const body = await (await env.app.request('/papers/2607.00001')).text();
    expect(body).toContain('href="https://github.com/lab/soft-grip"');
    expect(body).toContain('href="https://zenodo.org/records/9"');
    expect(body).toContain('TL;DR');
    expect(body).not.toMatch(/href="\s*javascript/i);
  });

  it('gives links and summary in the paper JSON', async () => {
    const json = (await (await env.app.request('/api/papers/2607.00001')).json()) as Record<string, unknown>;
    expect(json.links).toEqual([
      { kind: 'code', url: 'https://github.com/lab/soft-grip', label: 'lab/soft-grip' },
      { kind: 'data', url: 'https://zenodo.org/records/9', label: 'zenodo.org' },
    ]);
    expect(json.summary).toEqual({
      // The most central sentence is short, so its best companion comes with it, in abstract order.
      text: 'Robots often drop objects in cluttered scenes. The soft gripper controller halves drops in cluttered scenes.',
      kind: 'extractive',
      model: 'centroid-v1',
    });
  });

  it('lists code and data links as related links in Atom entries', async () => {
    const body = await (await env.app.request('/feeds/daily.atom?date=2026-07-01')).text();
    expect(body).toContain(
      '<link rel="related" type="text/html" href="https://github.com/lab/soft-grip" title="code: lab/soft-grip"/>',
    );
    new XMLParser().parse(body);
  });
});
