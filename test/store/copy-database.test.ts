// `paperboy copy` and `paperboy migrate` run in this process: a populated instance copied to a new
// SQLite file and through PostgreSQL and back (the backup/restore path), compared table by table.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { openStore, openTables } from '../../src/store/db.ts';
import { tableChecksum } from '../../src/store/copy/copy-database.ts';
import { schemaTables } from '../../src/store/copy/table-order.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { lastJson, runPaperboyIn } from '../helpers/cli.ts';
import { createTestDatabase, pgBinDir, postgresRequired, postgresUnavailable } from '../helpers/postgres.ts';

interface Report {
  rows: number;
  tables: { table: string; rows: number; checksum: string }[];
}

/** A store with something in every kind of table: papers, vectors, a model, accounts, votes, library, digest. */
async function populate(path: string): Promise<void> {
  const store = await openStore(path, { now: () => new Date('2026-11-29T06:00:00Z') });
  try {
    const { papers } = topicCorpus(10);
    await store.papers.upsertMany(papers);
    // A paper of a user's own collection, known by its id there (kept as an external id).
    await store.papers.upsertRecords([
      {
        paper: { ...papers[0]!, arxivId: null, version: null, doi: null, title: 'Erratum', authors: [] },
        externalId: { source: 'cacm.jsonl', id: '1234' },
        location: 'cacm.jsonl:7',
      },
    ]);
    const ids = papers.map((p) => p.arxivId ?? '');
    await store.vectors.put(
      'test-model',
      ids
        .slice(0, 5)
        .map((id, i) => ({ paperId: id, contentHash: `h${i}`, vector: Float32Array.of(i, 0.5, -1.25) })),
    );
    await store.models.save({
      name: 'test-model',
      kind: 'static',
      info: { dim: 3 },
      data: Buffer.from([1, 2, 3]),
    });
    await store.settings.set('active_model', 'test-model');
    const user = await store.users.create('ada@example.org', 'Ada <SEG> Lovelace', 'argon2-hash');
    if (user === null) throw new Error('user not created');
    await store.votes.set(user.id, ids[0] ?? '', true, Date.parse('2026-11-29T05:00:00Z'));
    await store.library.save(user.id, ids[1] ?? '', ['reading', 'ml']);
    await store.sessions.create('session-hash', user.id, '2026-12-29T00:00:00.000Z');
    const sub = await store.digest.upsertPending('ada@example.org', user.id, 'confirm-hash');
    await store.digest.setStatus(sub.id, 'active');
    await store.leases.acquire('digest', 'node-a', 60_000);
    // Community issue: a collection with a noted paper and another reader's upvote, a handle, a submission.
    const bob = await store.users.create('bob@example.org', 'Bob', 'argon2-hash');
    const shelf = await store.collections.create({
      slug: 'shelf-abc234',
      userId: user.id,
      title: 'Shelf <b>',
      description: 'Line one\nline two',
      public: true,
    });
    await store.collections.putPaper(shelf?.id ?? 0, ids[2] ?? '', 'Why: §2');
    await store.collections.putPaper(shelf?.id ?? 0, ids[1] ?? '', null);
    await store.collections.vote(bob?.id ?? 0, shelf?.id ?? 0, true);
    await store.profiles.setHandle(user.id, 'Ada_L');
    await store.profiles.recordSubmission(user.id, ids[3] ?? '');
    // Discussion: a thread whose parent is edited after its reply (a later row on PostgreSQL), a vote, a
    // report, a notification and a suspension.
    await store.library.save(bob?.id ?? 0, ids[0] ?? '', []);
    const top = await store.discussion.add({
      paperId: ids[0] ?? '',
      userId: user.id,
      parentId: null,
      body: '$x$',
    });
    await store.discussion.add({
      paperId: ids[0] ?? '',
      userId: bob?.id ?? 0,
      parentId: top?.id ?? 0,
      body: 'Re',
    });
    await store.discussion.edit(top?.id ?? 0, '$x^2$');
    await store.discussion.vote(bob?.id ?? 0, top?.id ?? 0, true, 1);
    await store.discussion.report(top?.id ?? 0, bob?.id ?? 0, 'spam');
    await store.discussion.suspend(bob?.id ?? 0, user.id);
    // Enrichment: a thumbnail's image bytes (BLOB on SQLite, bytea on PostgreSQL) must survive a copy.
    await store.enrichment.putThumbnail({
      paperId: ids[0] ?? '',
      image: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 7]),
      width: 7,
      height: 9,
      error: null,
      createdAt: '2026-07-01T00:00:00.000Z',
    });
  } finally {
    await store.close();
  }
}

const pgSkip = postgresUnavailable();

describe('paperboy copy and migrate', () => {
  let dir: string;
  let source: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-copy-'));
    source = join(dir, 'source.db');
    await populate(source);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies every table into a new SQLite file, verified, and the copy works as a store', async () => {
    const target = join(dir, 'copy.db');
    const r = await runPaperboyIn(['copy', '--from', source, '--to', target, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = lastJson(r.stdout) as unknown as Report;
    const byTable = new Map(report.tables.map((t) => [t.table, t.rows]));
    expect(byTable.get('papers')).toBe(41);
    expect(byTable.get('paper_external_ids')).toBe(1);
    expect(byTable.get('paper_vectors')).toBe(5);
    expect(byTable.get('users')).toBe(2);
    expect(byTable.get('comments')).toBe(2);
    expect(byTable.get('comment_votes')).toBe(1);
    expect(byTable.get('comment_reports')).toBe(1);
    expect(byTable.get('notifications')).toBe(2);
    expect(byTable.get('account_suspensions')).toBe(1);
    expect(byTable.get('paper_thumbnails')).toBe(1);
    expect(byTable.get('job_leases')).toBe(1);
    expect(byTable.get('collections')).toBe(1);
    expect(byTable.get('collection_papers')).toBe(2);
    expect(byTable.get('collection_votes')).toBe(1);
    expect(byTable.get('profiles')).toBe(1);
    expect(byTable.get('paper_submissions')).toBe(1);
    const copy = await openStore(target);
    try {
      expect(await copy.papers.count()).toBe(41);
      expect((await copy.papers.byExternalId('cacm.jsonl:1234'))?.title).toBe('Erratum');
      const user = await copy.users.byEmail('ada@example.org');
      expect(user?.user.name).toBe('Ada <SEG> Lovelace');
      const ids = (await copy.papers.newest({ limit: 100 })).map((p) => p.id);
      expect(
        (await copy.library.list(user?.user.id ?? 0, { limit: 10, offset: 0 })).entries[0]?.tags,
      ).toEqual(['reading', 'ml']);
      expect([...(await copy.votes.counts(ids)).values()].reduce((a, b) => a + b, 0)).toBe(1);
      const vec = await copy.vectors.since('test-model', 0, 10);
      expect(Array.from(vec[1]?.vector ?? [])).toEqual([1, 0.5, -1.25]);
      const shelf = await copy.collections.bySlug('shelf-abc234');
      expect(shelf).toMatchObject({
        title: 'Shelf <b>',
        description: 'Line one\nline two',
        public: true,
        votes: 1,
      });
      expect((await copy.collections.entries(shelf?.id ?? 0)).map((e) => e.note)).toEqual(['Why: §2', '']);
      expect((await copy.profiles.byHandle('ada_l'))?.userId).toBe(user?.user.id);
      // New rows continue after the copied keys.
      expect((await copy.users.create('grace@example.org', 'Grace', 'h'))?.id).toBe((user?.user.id ?? 0) + 2);
      expect(
        (
          await copy.collections.create({
            slug: 'next',
            userId: 1,
            title: 'N',
            description: '',
            public: false,
          })
        )?.id,
      ).toBe((shelf?.id ?? 0) + 1);
      const thread = await copy.discussion.forPaper((await copy.discussion.get(1))?.paperId ?? '');
      const [thumbId] = await copy.enrichment.thumbnailIds();
      expect([...((await copy.enrichment.thumbnail(thumbId ?? ''))?.image ?? [])]).toEqual([
        0x89, 0x50, 0x4e, 0x47, 0, 255, 7,
      ]);
      expect(thread.map((c) => [c.body, c.votes])).toEqual([
        ['$x^2$', 1],
        ['Re', 0],
      ]);
    } finally {
      await copy.close();
    }
  }, 60_000);

  it('refuses a target that is not empty and leaves it unchanged', async () => {
    const target = join(dir, 'busy.db');
    await populate(target);
    const r = await runPaperboyIn(['copy', '--from', source, '--to', target]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/is not empty/);
    const db = new Database(target, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n).toBe(41);
    db.close();
  }, 60_000);

  it('rejects missing or identical arguments with usage errors', async () => {
    expect((await runPaperboyIn(['copy', '--from', source])).code).toBe(2);
    const same = await runPaperboyIn(['copy', '--from', source, '--to', source]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/same database/);
  }, 60_000);

  it('reports pending migrations, applies them, and refuses a database from a newer Paperboy', async () => {
    const fresh = join(dir, 'fresh.db');
    const status = await runPaperboyIn(['migrate', '--status', '--json'], { DATABASE_URL: fresh });
    expect(status.code).toBe(1);
    const s = lastJson(status.stdout) as { before: number; latest: number; pending: string[] };
    expect(s.before).toBe(0);
    expect(s.pending).toHaveLength(s.latest);
    const applied = await runPaperboyIn(['migrate'], { DATABASE_URL: fresh });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`migrated schema v0 -> v${s.latest}`);
    const again = await runPaperboyIn(['migrate'], { DATABASE_URL: fresh });
    expect(again.stdout).toContain('up to date');
    const db = new Database(fresh);
    db.pragma(`user_version = ${s.latest + 1}`);
    db.close();
    const newer = await runPaperboyIn(['migrate'], { DATABASE_URL: fresh });
    expect(newer.code).toBe(7);
    expect(newer.stderr).toMatch(/upgrade Paperboy/);
  }, 60_000);

  it('rejects a malformed DATABASE_URL with what is wrong', async () => {
    const r = await runPaperboyIn(['migrate', '--status'], { DATABASE_URL: 'postgres://' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a valid PostgreSQL URL/);
  }, 60_000);

  it.skipIf(pgSkip !== null && !postgresRequired())(
    'moves an instance to PostgreSQL and back without loss (backup and restore across engines)',
    async () => {
      const pgDb = await createTestDatabase();
      try {
        const there = await runPaperboyIn(['copy', '--from', source, '--to', pgDb.url, '--json']);
        expect(there.stderr).toBe('');
        expect(there.code).toBe(0);
        const back = join(dir, 'restored.db');
        const home = await runPaperboyIn(['copy', '--from', pgDb.url, '--to', back, '--json']);
        expect(home.code).toBe(0);
        const a = lastJson(there.stdout) as unknown as Report;
        const b = lastJson(home.stdout) as unknown as Report;
        expect(b.tables).toEqual(a.tables);
        expect(a.rows).toBeGreaterThan(100);
        // The PostgreSQL copy serves as a store: same papers, same account.
        const store = await openStore(pgDb.url);
        try {
          expect(await store.papers.count()).toBe(41);
          expect((await store.papers.byExternalId('1234'))?.title).toBe('Erratum');
          expect((await store.users.byEmail('ada@example.org'))?.user.name).toBe('Ada <SEG> Lovelace');
          const shelf = await store.collections.bySlug('shelf-abc234');
          expect(shelf).toMatchObject({ title: 'Shelf <b>', papers: 2, votes: 1 });
          expect((await store.profiles.byHandle('ada_l'))?.handle).toBe('Ada_L');
          expect((await store.profiles.submittedBy(shelf?.ownerId ?? 0, 10, 0)).total).toBe(1);
        } finally {
          await store.close();
        }
        const migrate = await runPaperboyIn(['migrate', '--status'], { DATABASE_URL: pgDb.url });
        expect(migrate.code).toBe(0);
        expect(migrate.stdout).toMatch(/^postgres .*schema v\d+/);
      } finally {
        await pgDb.drop();
      }
    },
    120_000,
  );

  it.skipIf((pgSkip !== null || pgBinDir() === null) && !postgresRequired())(
    'restores a pg_dump backup of a PostgreSQL instance into a new database, identical table by table',
    async () => {
      const [live, restored] = [await createTestDatabase(), await createTestDatabase()];
      const dump = join(dir, 'paperboy.dump');
      try {
        expect((await runPaperboyIn(['copy', '--from', source, '--to', live.url])).code).toBe(0);
        const bin = pgBinDir() ?? '';
        const run = (tool: string, args: string[]): void => {
          const local = join(bin, tool);
          const r = spawnSync(existsSync(local) ? local : tool, args, { encoding: 'utf8' });
          expect(r.status, r.stderr).toBe(0);
        };
        run('pg_dump', ['--format=custom', `--file=${dump}`, live.url]);
        run('pg_restore', ['--no-owner', `--dbname=${restored.url}`, dump]);
        const [a, b] = [await openTables(live.url), await openTables(restored.url)];
        try {
          for (const table of schemaTables()) {
            const columns = await a.columns(table);
            expect(await tableChecksum(b, table, columns), table).toEqual(
              await tableChecksum(a, table, columns),
            );
          }
          expect((await tableChecksum(b, 'papers', await b.columns('papers'))).rows).toBe(41);
        } finally {
          await a.close();
          await b.close();
        }
        // The restored database is a working store that continues its keys.
        const store = await openStore(restored.url);
        try {
          expect((await store.users.create('grace@example.org', 'Grace', 'h'))?.id).toBe(3);
        } finally {
          await store.close();
        }
      } finally {
        await live.drop();
        await restored.drop();
      }
    },
    120_000,
  );
});
