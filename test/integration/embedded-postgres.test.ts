import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { tempDir } from '../support/services.js';

describe('embedded PostgreSQL (PGlite behind the wire server)', () => {
  const dir = tempDir('paios-wire-');
  let embedded: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    embedded = await EmbeddedPostgres.open(dir.path);
    pool = new pg.Pool({
      host: embedded.socketDir,
      port: embedded.port,
      user: 'postgres',
      database: 'postgres',
      max: 10,
    });
    await pool.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
    await pool.query('INSERT INTO counters VALUES (1, 0)');
  });
  afterAll(async () => {
    await pool?.end();
    await embedded?.close();
    dir.remove();
  });

  it('answers hundreds of concurrent parameterised queries from many connections correctly', async () => {
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        pool.query<{ v: number; s: string }>('SELECT $1::int * 2 AS v, $2::text AS s', [i, `q${i}`]),
      ),
    );
    answers.forEach((r, i) => expect(r.rows[0]).toEqual({ v: i * 2, s: `q${i}` }));
  });

  it('runs concurrent transactions one after another, so none loses an update', async () => {
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const { rows } = await c.query<{ n: number }>('SELECT n FROM counters WHERE id = 1');
          await c.query('UPDATE counters SET n = $1 WHERE id = 1', [rows[0]!.n + 1]);
          await c.query('COMMIT');
        } finally {
          c.release();
        }
      }),
    );
    expect((await pool.query('SELECT n FROM counters WHERE id = 1')).rows[0]).toEqual({ n: 40 });
  });

  it('rolls back what a vanished connection left open, and serves the next one', async () => {
    const c = new pg.Client({ host: embedded.socketDir, port: embedded.port, user: 'postgres', database: 'postgres' });
    await c.connect();
    await c.query('BEGIN');
    await c.query('UPDATE counters SET n = -1 WHERE id = 1');
    c.on('error', () => undefined); // the client reports the cut we are about to make
    // Drop the socket without COMMIT, as a crashed process would.
    (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await pool.query('SELECT n FROM counters WHERE id = 1')).rows[0]).toEqual({ n: 40 });
  });

  it('lets a second process attach to the running database instead of opening its files', async () => {
    const second = await EmbeddedPostgres.open(dir.path);
    expect(second.isOwner).toBe(false);
    const c = new pg.Client({ host: second.socketDir, port: second.port, user: 'postgres', database: 'postgres' });
    await c.connect();
    expect((await c.query('SELECT n FROM counters WHERE id = 1')).rows[0]).toEqual({ n: 40 });
    await c.end();
    await second.close();
  });
});
