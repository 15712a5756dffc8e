// First-page thumbnails: real PDFs written by the test rendered with Debian's pdftoppm, hostile ones (not a
// PDF, damaged, slow, huge page, oversized, memory-starved) refused with a clear reason, and the pages
// showing a fixed-size lazy image or a placeholder, the image served by Paperboy under its strict headers.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearEnrichmentOverlay } from '../../src/services/enrich/enrichment-overlay.ts';
import { pngSize, renderFirstPage } from '../../src/services/enrich/pdf-thumbnail.ts';
import { makePdf, slowPdf, titlePagePdf } from '../helpers/make-pdf.ts';
import { webEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

const PDFTOPPM = '/usr/bin/pdftoppm';
const suite = existsSync(PDFTOPPM) ? describe : describe.skip;

suite('rendering a first page with pdftoppm', () => {
  const limits = { pdftoppm: PDFTOPPM };

  it('renders a real PDF to a PNG whose long side is 300 pixels', async () => {
    const t = await renderFirstPage(titlePagePdf('Attention Is Not All You Need'), limits);
    expect(t.height).toBe(300);
    expect(t.width).toBeGreaterThan(200);
    expect(t.width).toBeLessThan(300);
    expect(pngSize(t.png)).toEqual({ width: t.width, height: t.height });
  });

  it('bounds a huge page (200 x 200 inches) to the same size', async () => {
    const t = await renderFirstPage(makePdf('0 0 1 rg 0 0 14400 14400 re f', 14400, 14400), limits);
    expect([t.width, t.height]).toEqual([300, 300]);
  });

  it('refuses what is not a PDF without running the renderer', async () => {
    await expect(renderFirstPage(Buffer.from('<html>Access denied</html>'), limits)).rejects.toThrow(
      'not a PDF (it starts with "<html>Access den")',
    );
  });

  it("reports a damaged PDF with the renderer's own reason", async () => {
    const cut = titlePagePdf('x').subarray(0, 200);
    await expect(renderFirstPage(cut, limits)).rejects.toThrow(
      /the renderer failed \(exit 1\): .*(xref|trailer)/i,
    );
  });

  it('stops a page that renders too slowly, and one that needs more memory than allowed', async () => {
    await expect(renderFirstPage(slowPdf(40_000), { ...limits, timeoutMs: 150 })).rejects.toThrow(
      /took longer than 150 ms/,
    );
    await expect(renderFirstPage(titlePagePdf('x'), { ...limits, memoryMb: 4 })).rejects.toThrow(
      /the renderer (failed|was killed)/,
    );
  });

  it('says when the renderer is not installed', async () => {
    await expect(renderFirstPage(titlePagePdf('x'), { pdftoppm: '/nonexistent/pdftoppm' })).rejects.toThrow(
      /not installed \(apt-get install poppler-utils\)/,
    );
  });
});

suite('the thumbnail job and pages', () => {
  let pdfServer: Server;
  let base = '';
  let env: Awaited<ReturnType<typeof webEnv>>;
  const logs: string[] = [];
  const bodies: Record<string, [number, Buffer]> = {
    '2601.00001': [200, titlePagePdf('Good paper')],
    '2601.00002': [200, Buffer.from('%!PS-Adobe-3.0 this is PostScript')],
    '2601.00003': [404, Buffer.from('not found')],
    '2601.00004': [200, Buffer.concat([titlePagePdf('big'), Buffer.alloc(1_200_000, 32)])],
    '2601.00005': [200, titlePagePdf('x').subarray(0, 300)],
  };

  beforeAll(async () => {
    pdfServer = createServer((req, res) => {
      const id = (req.url ?? '').replace(/^\/pdf\//, '');
      const [status, body] = bodies[id] ?? [503, Buffer.from('busy')];
      res.writeHead(status, { 'content-type': status === 200 ? 'application/pdf' : 'text/plain' });
      res.end(body);
    });
    await new Promise<void>((done) => pdfServer.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(pdfServer.address() as AddressInfo).port}`;
    env = await webEnv(
      {
        THUMBNAILS: 'on',
        THUMBNAIL_PDF_URL: `${base}/pdf/{id}`,
        THUMBNAIL_DELAY_MS: '0',
        THUMBNAIL_MAX_PDF_MB: '1',
      },
      { fetch: (u, i) => fetch(u, i) },
    );
    await env.addPapers(
      Object.keys(bodies).map((id, i) =>
        paper({ arxivId: id, title: `Paper ${i}`, announced: `2026-01-0${i + 1}` }),
      ),
    );
  });
  afterAll(async () => {
    clearEnrichmentOverlay();
    await env.cleanup();
    pdfServer.closeAllConnections();
    await new Promise((done) => pdfServer.close(done));
  });

  it('renders what it can, records a reason for the rest, and never tries a paper twice', async () => {
    const s = await env.services.enrich.thumbnails({ log: (l) => logs.push(l) });
    expect(s).toMatchObject({ planned: 5, rendered: 1, failed: 4, stopped: null });
    expect(logs.join('\n')).toMatch(/2601\.00002: not a PDF/);
    expect(logs.join('\n')).toMatch(/2601\.00003: no PDF \(404\)/);
    expect(logs.join('\n')).toMatch(/2601\.00005: the renderer failed/);
    const big = await env.services.enrich.thumbnail('2601.00004');
    expect(big).toMatchObject({ image: null });
    expect(big?.error).toMatch(/over the .*-byte limit/);
    expect((await env.services.enrich.thumbnails({})).planned).toBe(0);
  });

  it('serves the PNG with the site headers, and shows a fixed-size lazy image or a placeholder', async () => {
    const res = await env.app.request('/thumbnails/2601.00001.png');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(pngSize(new Uint8Array(await res.arrayBuffer()))?.height).toBe(300);
    expect((await env.app.request('/thumbnails/2601.00002.png')).status).toBe(404);

    const page = await (await env.app.request('/papers/2601.00001')).text();
    expect(page.replace(/\s+/g, ' ')).toContain(
      '<img class="thumb" src="/thumbnails/2601.00001.png" width="116" height="150" loading="lazy"',
    );
    const other = await (await env.app.request('/papers/2601.00002')).text();
    expect(other).toContain('class="thumb thumb-none"');
    expect(other).not.toContain('/thumbnails/2601.00002.png');
  });

  it('stops, without recording anything, when the PDF server fails', async () => {
    await env.addPapers([paper({ arxivId: '2601.00009', title: 'Later', announced: '2026-01-09' })]);
    const s = await env.services.enrich.thumbnails({});
    expect(s.stopped).toMatchObject({ reason: 'network' });
    expect(s.stopped?.message).toMatch(/answered 503; run again later/);
    expect(await env.services.enrich.thumbnail('2601.00009')).toBeNull();
  });
});
