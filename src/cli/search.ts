// `paperboy search` and `paperboy similar`: hybrid search and nearest papers from the terminal.
import type { SearchHit, SearchMode } from '../services/search/index.ts';
import { dateOption, intOption, parseCommandArgs } from './args.ts';
import { println, type Command, type Output } from './command.ts';
import { EXIT } from './exit-codes.ts';

function printHits(out: Output, hits: readonly SearchHit[], offset: number): void {
  hits.forEach((h, i) => {
    const p = h.paper;
    const authors =
      p.authors.length > 3 ? `${p.authors.slice(0, 3).join(', ')} et al.` : p.authors.join(', ');
    println(out, `${String(offset + i + 1).padStart(3)}. ${p.id}  ${p.title}`);
    println(out, `     ${authors} · ${p.categories.join(' ')} · ${p.announced ?? p.published ?? ''}`);
  });
}

const MODES: readonly SearchMode[] = ['hybrid', 'lexical', 'semantic'];

export const searchCommand: Command = {
  name: 'search',
  summary: 'search papers by words and meaning',
  help: `Usage: paperboy search <query> [options]

Query language: plain words, "quoted phrases", -exclusions, author:name,
cat:cs.CL, since:2025-06, before:2026-01-01, and arXiv ids or URLs (that paper, then
its similar papers). A pasted text of up to 20,000 characters finds papers like it.
Results fuse word matches (BM25) with semantic neighbours when a model is active
(see \`paperboy train\`); otherwise they are word matches and a notice says so.

Options:
  -k, --k N          results (default 10, at most 100)
  --offset N         skip the first N results (default 0)
  --category CAT     only papers in this category
  --since DAY        only papers announced on or after DAY (YYYY-MM-DD)
  --before DAY       only papers announced before DAY
  --sort ORDER       relevance (default) or newest
  --mode MODE        hybrid (default), lexical or semantic
  --no-correct       answer the query as typed, never its spelling correction
  --json             print one JSON object: {"query":..,"mode":..,"hits":[{"id":..,"title":..,"score":..}]}
  -h, --help         show this help

Exit codes: 0 results found, 1 no results, 2 bad query or option.`,
  async run(ctx, args) {
    const { values, positionals } = parseCommandArgs('search', args, {
      k: { type: 'string', short: 'k' },
      offset: { type: 'string' },
      category: { type: 'string' },
      since: { type: 'string' },
      before: { type: 'string' },
      sort: { type: 'string' },
      mode: { type: 'string' },
      json: { type: 'boolean' },
      'no-correct': { type: 'boolean' },
    });
    const query = positionals.join(' ').trim();
    if (query === '') {
      println(
        ctx.stderr,
        'paperboy search: give a query, e.g. paperboy search "contrastive retrieval" cat:cs.CL',
      );
      return EXIT.USAGE;
    }
    const sort = values.sort ?? 'relevance';
    if (sort !== 'relevance' && sort !== 'newest') {
      println(ctx.stderr, `paperboy search: --sort must be relevance or newest, got "${sort}"`);
      return EXIT.USAGE;
    }
    const mode = (values.mode ?? 'hybrid') as SearchMode;
    if (!MODES.includes(mode)) {
      println(
        ctx.stderr,
        `paperboy search: --mode must be hybrid, lexical or semantic, got "${values.mode}"`,
      );
      return EXIT.USAGE;
    }
    const k = intOption('search', 'k', values.k, 10, 100);
    const offset = intOption('search', 'offset', values.offset, 0, 1000);
    const services = await ctx.searchServices();
    const r = await services.search.search(query, {
      k: Math.max(k, 1),
      offset,
      category: values.category,
      since: dateOption('search', 'since', values.since),
      before: dateOption('search', 'before', values.before),
      sort,
      mode,
      correct: values['no-correct'] !== true,
    });
    if (values.json === true) {
      const hits = r.hits.map((h) => ({
        id: h.paper.id,
        title: h.paper.title,
        score: h.score,
        authors: h.paper.authors,
        categories: h.paper.categories,
        announced: h.paper.announced,
      }));
      println(
        ctx.stdout,
        JSON.stringify({
          query: r.query,
          mode: r.mode,
          notice: r.notice,
          warnings: r.warnings,
          correction: r.correction,
          total: r.total,
          hits,
        }),
      );
    } else {
      for (const w of r.warnings) println(ctx.stderr, `note: ${w}`);
      if (r.notice !== null) println(ctx.stderr, `note: ${r.notice}`);
      const c = r.correction;
      if (c !== null)
        println(
          ctx.stderr,
          c.applied
            ? `note: showing results for "${c.query}"; search instead for "${c.original}" with --no-correct`
            : `note: did you mean "${c.query}"?`,
        );
      if (r.hits.length === 0) println(ctx.stdout, 'No papers match.');
      printHits(ctx.stdout, r.hits, offset);
    }
    return r.hits.length > 0 ? EXIT.OK : EXIT.NOTHING_NEW;
  },
};

export const similarCommand: Command = {
  name: 'similar',
  summary: 'list papers similar to one',
  help: `Usage: paperboy similar <arxiv-id> [-k N] [--json]

Nearest neighbours of the paper's vector (when a model is active) fused with
lexical more-like-this on its title and abstract. Never lists the paper itself.

Options:
  -k, --k N   results (default 10, at most 100)
  --json      print one JSON object: {"id":..,"hits":[{"id":..,"title":..,"score":..}]}
  -h, --help  show this help

Exit codes: 0 done, 1 nothing similar, 4 no such paper.`,
  async run(ctx, args) {
    const { values, positionals } = parseCommandArgs('similar', args, {
      k: { type: 'string', short: 'k' },
      json: { type: 'boolean' },
    });
    const id = positionals[0];
    if (id === undefined || positionals.length > 1) {
      println(ctx.stderr, 'paperboy similar: give exactly one arXiv id, e.g. paperboy similar 2503.11677');
      return EXIT.USAGE;
    }
    const k = intOption('similar', 'k', values.k, 10, 100);
    const services = await ctx.searchServices();
    const hits = await services.search.similar(id, Math.max(k, 1));
    if (values.json === true)
      println(
        ctx.stdout,
        JSON.stringify({
          id,
          hits: hits.map((h) => ({ id: h.paper.id, title: h.paper.title, score: h.score })),
        }),
      );
    else printHits(ctx.stdout, hits, 0);
    return hits.length > 0 ? EXIT.OK : EXIT.NOTHING_NEW;
  },
};
