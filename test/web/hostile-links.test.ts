// Links other than http(s) stored in a record (by an older version, or straight into the store) never become
// an href on the paper page, a listing card or the Atom feed; web links still do.
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { href } from '../../src/domain/links.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

type Env = Awaited<ReturnType<typeof webEnv>>;

const HOSTILE = ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x'];

describe('href: the one link rule', () => {
  it('keeps http, https and relative links and refuses every other scheme', () => {
    expect(href('https://arxiv.org/pdf/2607.00001')).toBe('https://arxiv.org/pdf/2607.00001');
    expect(href('http://example.org/a.pdf')).toBe('http://example.org/a.pdf');
    expect(href('/papers/2607.00001')).toBe('/papers/2607.00001');
    for (const bad of [...HOSTILE, 'vbscript:x', 'file:///etc/passwd', '\u0001javascript:x', '', null])
      expect(href(bad), String(bad)).toBeNull();
  });
});

describe('rendered record links', () => {
  let env: Env;
  beforeAll(async () => {
    env = await webEnv();
    await env.addPapers(
      HOSTILE.map((url, i) =>
        paper({
          arxivId: null,
          doi: `10.1234/hostile.${i}`,
          title: `Hostile link ${i}`,
          absUrl: url,
          pdfUrl: url,
          announced: '2026-07-01',
        }),
      ),
    );
    await env.addPapers([
      paper({
        arxivId: null,
        doi: '10.1234/fine',
        title: 'Fine link',
        absUrl: 'https://example.org/fine',
        pdfUrl: 'https://example.org/fine.pdf',
        announced: '2026-07-01',
      }),
    ]);
  });
  afterAll(async () => env.cleanup());

  const noScriptHref = (body: string) => {
    expect(body).not.toMatch(/href="\s*(java|data)/i);
    expect(body).not.toMatch(/javascript:|java\tscript/i);
  };

  it('leaves them out of the paper page and keeps web links', async () => {
    for (let i = 0; i < HOSTILE.length; i++) {
      const res = await env.app.request(`/papers/doi:10.1234/hostile.${i}`);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain(`Hostile link ${i}`);
      noScriptHref(body);
    }
    const fine = await (await env.app.request('/papers/doi:10.1234/fine')).text();
    expect(fine).toContain('href="https://example.org/fine.pdf"');
  });

  it('leaves them out of listing cards', async () => {
    const body = await (await env.app.request('/day/2026-07-01')).text();
    expect(body).toContain('Hostile link 0');
    noScriptHref(body);
    expect(body).toContain('href="https://example.org/fine"');
  });

  it('leaves them out of the Atom feed', async () => {
    const body = await (await env.app.request('/feeds/daily.atom?date=2026-07-01')).text();
    expect(body).toContain('Hostile link 0');
    noScriptHref(body);
    expect(body).toContain('href="https://example.org/fine.pdf"');
    new XMLParser().parse(body);
  });
});
