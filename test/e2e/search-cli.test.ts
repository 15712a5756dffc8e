// The CLI, run in this process: search before and after `paperboy train`, similar, embed, reindex.
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createRng } from '../../src/index/embedders/static/random.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { lastJson, runPaperboyIn } from '../helpers/cli.ts';

/** A paper of the topic corpus as a line of an ingest file. */
function paperLine(p: ReturnType<typeof topicCorpus>['papers'][number]): Record<string, unknown> {
  return {
    id: p.arxivId,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    published: p.published,
    announced: p.announced,
  };
}

describe('paperboy search, similar, train, embed, reindex', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-search-cli-'));
    env = { DATABASE_URL: join(dir, 'pb.db') };
    const lines = topicCorpus(30).papers.map((p) => JSON.stringify(paperLine(p)));
    writeFileSync(join(dir, 'papers.jsonl'), `${lines.join('\n')}\n`);
    const ingest = await runPaperboyIn(['ingest', join(dir, 'papers.jsonl'), '--json'], env);
    expect(ingest.stderr).not.toContain('rejected 1');
    expect(lastJson(ingest.stdout)).toMatchObject({ added: 120, rejected: 0 });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('searches by words before a model exists, with a note saying how to turn on semantic search', async () => {
    const r = await runPaperboyIn(['search', 'segmentation', 'camera', '-k', '3'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('paperboy train');
    expect(r.stdout.match(/^\s+\d+\. 2607\.\d{5}/gm)).toHaveLength(3);
    const none = await runPaperboyIn(['search', 'xylophone'], env);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('No papers match');
    expect((await runPaperboyIn(['search'], env)).code).toBe(2);
    expect((await runPaperboyIn(['search', 'x', '--mode', 'magic'], env)).code).toBe(2);
    expect((await runPaperboyIn(['search', 'x', '--since', '2026-02-31'], env)).code).toBe(2);
  }, 60_000);

  it('takes a pasted text of 20,000 characters, refuses more (exit 2), and corrects a misspelling', async () => {
    const text = 'robot grasping with a gripper arm and servo torque. '.repeat(400).slice(0, 20_000);
    const long = await runPaperboyIn(['search', text, '-k', '3', '--mode', 'lexical'], env);
    expect(long.code, long.stderr).toBe(0);
    expect(long.stdout.match(/^\s+\d+\. 2607\.\d{5}/gm)).toHaveLength(3);
    const over = await runPaperboyIn(['search', `${text} ${text}`, '--mode', 'lexical'], env);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('the limit is 20000');
    const typo = await runPaperboyIn(['search', 'grippper', '-k', '3', '--mode', 'lexical'], env);
    expect(typo.code, typo.stderr).toBe(0);
    expect(typo.stderr).toContain('showing results for "gripper"');
    expect((await runPaperboyIn(['search', 'grippper', '--no-correct', '--mode', 'lexical'], env)).code).toBe(
      1,
    );
  }, 60_000);

  it('trains, embeds, and then searches in hybrid mode; embed again has nothing to do', async () => {
    const t = await runPaperboyIn(['train', '--epochs', '2', '--dim', '32', '--json'], env);
    expect(t.code, t.stderr).toBe(0);
    const summary = lastJson(t.stdout);
    expect(summary.model).toMatch(/^paperboy-static-v\d+-/);
    expect(summary).toMatchObject({ papers: 120, dimension: 32, embed: { embedded: 120, remaining: 0 } });
    const s = await runPaperboyIn(['search', 'gripper torque', '--json', '-k', '5'], env);
    const body = lastJson(s.stdout) as { mode: string; notice: string | null; hits: { id: string }[] };
    expect(body.mode).toBe('hybrid');
    expect(body.notice).toBeNull();
    expect(body.hits).toHaveLength(5);
    const again = await runPaperboyIn(['embed', '--json'], env);
    expect(again.code).toBe(1);
    expect(lastJson(again.stdout)).toMatchObject({ embedded: 0, remaining: 0 });
  }, 120_000);

  it('lists similar papers, and exits 4 for an unknown id', async () => {
    const r = await runPaperboyIn(['similar', 'arXiv:2607.00031', '-k', '4', '--json'], env);
    expect(r.code).toBe(0);
    const ids = (lastJson(r.stdout) as { hits: { id: string }[] }).hits.map((h) => h.id);
    expect(ids).toHaveLength(4);
    expect(ids).not.toContain('2607.00031');
    expect((await runPaperboyIn(['similar', '2607.99999'], env)).code).toBe(4);
  }, 60_000);

  it('rebuilds the index snapshots beside the database', async () => {
    const r = await runPaperboyIn(['reindex', '--json'], env);
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ papers: 120, vectors: 120 });
    // Each step's seconds and memory, logged and in the summary (#23: where a 2.7M reindex peaks).
    const { steps, lookupSteps } = lastJson(r.stdout) as {
      steps: { step: string }[];
      lookupSteps: { step: string }[];
    };
    expect(steps.map((s) => s.step)).toEqual([
      'lexical postings',
      'lookup wait',
      'lexical write',
      'vectors',
      'save snapshots',
    ]);
    // The lookup file was built and written on a worker thread beside the postings step, before the write.
    expect(lookupSteps.map((s) => s.step)).toEqual([
      'lookup tables, on a worker',
      'lookup write, on a worker',
    ]);
    expect(r.stderr).toMatch(/reindex: lookup tables, on a worker \(120\): \d+\.\d s/);
    expect(existsSync(join(currentSnapshot(join(dir, 'pb.db.index')) ?? '', 'lexical.bin'))).toBe(true);
    // The spelling and suggestion tables too, which serve then opens instead of building (#23).
    expect(existsSync(join(dir, 'pb.db.index', 'lookup.bin'))).toBe(true);
  }, 60_000);

  it('fails a reindex whose lookup file cannot be written, before writing a generation', async () => {
    const index = join(dir, 'pb.db.index');
    const before = currentSnapshot(index);
    const lookup = join(index, 'lookup.bin');
    renameSync(lookup, `${lookup}.kept`);
    mkdirSync(lookup); // a folder where the lookup worker must write its file
    try {
      const r = await runPaperboyIn(['reindex', '--json'], env);
      expect(r.code).toBe(70);
      expect(r.stderr).toMatch(/lookup tables \(.*lookup\.bin\): .*lookup\.bin is a folder, not a file/);
      // The worker's failure is known before the snapshots are saved: the generation on disk is the one before.
      expect(currentSnapshot(index)).toBe(before);
      expect(readdirSync(index).filter((n) => n.includes('.tmp-') || n.startsWith('.build-'))).toEqual([]);
    } finally {
      rmSync(lookup, { recursive: true });
      renameSync(`${lookup}.kept`, lookup);
    }
  }, 60_000);

  it('refuses to train on too few papers, with the reason', async () => {
    const empty = { DATABASE_URL: join(dir, 'empty.db') };
    const r = await runPaperboyIn(['train'], empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('at least 50 papers');
  }, 60_000);
});

describe('paperboy reindex with an HNSW graph', () => {
  it('lays the HNSW graph file out in neighbourhood order on reindex, and answers the same from it', async () => {
    // A graph at 120 papers (above 10 vectors), first saved as built, then relaid (the threshold lowered to 0).
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-graph-layout-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const env = { DATABASE_URL: join(dir, 'pb.db') };
    // Papers arrive with topics mixed (in topic order the graph as built is already local, and is left alone).
    const rng = createRng(11);
    const papers = topicCorpus(30).papers;
    for (let i = papers.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [papers[i], papers[j]] = [papers[j]!, papers[i]!];
    }
    writeFileSync(join(dir, 'papers.jsonl'), papers.map((p) => `${JSON.stringify(paperLine(p))}\n`).join(''));
    expect((await runPaperboyIn(['ingest', join(dir, 'papers.jsonl')], env)).code).toBe(0);
    expect((await runPaperboyIn(['train', '--epochs', '2', '--dim', '32'], env)).code).toBe(0);
    const graphEnv = { ...env, VECTOR_APPROXIMATE_ABOVE: '10', VECTOR_GRAPH_LAYOUT_ABOVE: '1000000' };
    const asBuilt = await runPaperboyIn(['reindex', '--json'], graphEnv);
    expect(asBuilt.code, asBuilt.stderr).toBe(0);
    expect(lastJson(asBuilt.stdout)).toMatchObject({
      vectors: 120,
      graphLayout: 'left as saved: only 120 nodes',
    });
    const similar = async (): Promise<unknown> =>
      lastJson((await runPaperboyIn(['similar', papers[0]!.arxivId!, '-k', '8', '--json'], graphEnv)).stdout)
        .hits;
    const search = async (): Promise<unknown> =>
      lastJson((await runPaperboyIn(['search', 'gripper torque', '--json', '-k', '8'], graphEnv)).stdout)
        .hits;
    const before = [await similar(), await search()];
    expect(before[0]).toHaveLength(8);
    expect(before[1]).toHaveLength(8);
    const relaid = await runPaperboyIn(['reindex', '--json'], {
      ...graphEnv,
      VECTOR_GRAPH_LAYOUT_ABOVE: '0',
    });
    expect(relaid.code, relaid.stderr).toBe(0);
    expect(lastJson(relaid.stdout).graphLayout).toMatch(/^relaid in neighbourhood order \(median link /);
    expect(relaid.stderr).toMatch(/reindex: graph relaid in neighbourhood order/);
    expect([await similar(), await search()]).toEqual(before);
    // Without a graph (the default threshold of 10,000 vectors) there is nothing to lay out.
    expect(lastJson((await runPaperboyIn(['reindex', '--json'], env)).stdout).graphLayout).toBeNull();
  }, 120_000);
});
