import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { freshTestDatabase, type TestDatabase } from '../testing/template-db';
import { waitFor } from '../testing/wait-for';
import { createPostgresLeadership, type Leadership } from './leadership';

describe('createPostgresLeadership', () => {
  let database: TestDatabase;
  const opened: { end(): Promise<unknown> }[] = [];
  const leaderships: Leadership[] = [];

  beforeEach(async () => {
    database = await freshTestDatabase('unused');
  });

  afterEach(async () => {
    for (const l of leaderships.splice(0)) await l.stop();
    for (const c of opened.splice(0)) await c.end().catch(() => undefined);
    await database.drop();
  });

  const lead = async (instanceId: string, changes: string[]) => {
    const l = await createPostgresLeadership({
      url: database.databaseUrl!,
      roles: ['chain:test'],
      instanceId,
      log: silentLogger,
      checkMs: 50,
      leaseMs: 2000,
      onChange: async (role, leading) => void changes.push(`${instanceId} ${leading ? 'leads' : 'stops'} ${role}`),
    });
    leaderships.push(l);
    return l;
  };

  it('gives each role to one instance, and to another as soon as the first stops', async () => {
    const changes: string[] = [];
    const a = await lead('a', changes);
    const b = await lead('b', changes);
    expect(a.leads('chain:test')).toBe(true);
    expect(b.leads('chain:test')).toBe(false);
    await a.stop();
    await waitFor(() => b.leads('chain:test'), { what: 'b to lead' });
    expect(changes).toEqual(['a leads chain:test', 'a stops chain:test', 'b leads chain:test']);
  });

  it('replaces a stalled leader: one that holds the lock but let its lease run out', async () => {
    // The stalled leader: a session holding the role's lock, its lease long over (a process paused, say).
    const stalled = new pg.Client({ connectionString: database.databaseUrl });
    stalled.on('error', () => {});
    opened.push(stalled);
    await stalled.connect();
    await stalled.query(`SELECT pg_advisory_lock(${0x5046}, hashtext('chain:test'))`);
    await stalled.query(`INSERT INTO leases (role, holder, pid, until) VALUES ('chain:test', 'stalled', pg_backend_pid(), 0)`);
    const ended = new Promise((resolve) => stalled.once('error', resolve));

    const changes: string[] = [];
    const b = await lead('b', changes);
    await waitFor(() => b.leads('chain:test'), { what: 'b to replace the stalled leader' });
    // Its session was ended, so it could not go on as if it still led.
    expect(String(await ended)).toMatch(/terminat/);
    expect(changes).toEqual(['b leads chain:test']);
  });
});
