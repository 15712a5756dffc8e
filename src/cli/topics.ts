// `paperboy topics`: recompute the topics of the stored papers (clusters, names and the map), resumably.
import { intOption, parseCommandArgs } from './args.ts';
import { println, type Command } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { createProgress } from './progress.ts';

export const topicsCommand: Command = {
  name: 'topics',
  summary: 'recompute topics and the map from the paper vectors',
  help: `Usage: paperboy topics [--k N] [--seed N] [--update] [--json]

Clusters every embedded paper into topics (spherical k-means on the active
model's vectors), names each topic by its most distinctive words (class-based
tf-idf), and lays out the map (/map). About 137 topics for 75,000 papers.
Resumable: the clustering saves its progress after every pass; interrupted,
the same command continues where it stopped. Between runs, \`serve\` places
newly embedded papers into their nearest topic without moving the others.

Options:
  --k N       number of topics (default about sqrt(papers / 4), 2 to 200)
  --seed N    random seed; the same seed and vectors give the same topics (default 1)
  --update    only place papers embedded since the last run (fast, daily)
  --json      print one JSON summary line
  -h, --help  show this help

Exit codes: 0 done, 2 too few embedded papers, 6 no active model, 130 interrupted.`,
  async run(ctx, args) {
    const { values } = parseCommandArgs('topics', args, {
      k: { type: 'string' },
      seed: { type: 'string' },
      update: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const k = values.k === undefined ? undefined : intOption('topics', 'k', values.k, 0, 500);
    if (k !== undefined && k < 2) {
      println(ctx.stderr, 'paperboy topics: --k must be at least 2');
      return EXIT.USAGE;
    }
    const seed = values.seed === undefined ? undefined : intOption('topics', 'seed', values.seed, 1, 2 ** 31);
    const services = await ctx.services();
    if (values.update === true) {
      const placed = await services.topics.update();
      if (values.json === true) println(ctx.stdout, JSON.stringify({ placed }));
      else println(ctx.stdout, `Placed ${placed.toLocaleString('en-US')} new papers into their topics.`);
      return EXIT.OK;
    }
    const quiet = values.json === true && ctx.stderr.isTTY !== true;
    const bar = createProgress({ label: 'topics', sink: ctx.stderr, quiet });
    const summary = await services.topics.recompute({
      k,
      seed,
      signal: ctx.signal,
      onProgress: (p) => bar.update(p.done, p.total, p.phase),
    });
    bar.finish(
      summary.status === 'done'
        ? `${summary.topics} topics over ${summary.papers.toLocaleString('en-US')} papers in ${summary.seconds.toFixed(0)} s`
        : 'interrupted',
    );
    if (values.json === true) println(ctx.stdout, JSON.stringify(summary));
    else if (summary.status === 'done')
      println(
        ctx.stdout,
        `${summary.topics} topics from ${summary.model}${summary.resumed ? ' (resumed)' : ''}; see /topics and /map.`,
      );
    if (summary.status === 'interrupted') {
      println(ctx.stderr, 'Interrupted; run `paperboy topics` again to continue.');
      return EXIT.INTERRUPTED;
    }
    return EXIT.OK;
  },
};
