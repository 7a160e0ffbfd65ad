/**
 * Work that must run once (a chain's watcher, the expiry and re-quote
 * sweeps) runs on one leader instance per role at a time.
 *
 * On PostgreSQL each role is an advisory lock held on one session connection
 * of the instance: PostgreSQL releases it the moment that connection ends (a
 * process killed, a machine lost), and another instance's next check takes
 * it. A leader whose process stalls keeps its connection, so it also renews a
 * lease row every check; once the lease has run out, another instance ends
 * the stalled leader's session (pg_terminate_backend), which frees the lock.
 * A leader that notices it could not renew in time steps down by itself.
 * The watcher's writes are idempotent (payments are unique by chain, tx and
 * position), so the short overlap a stall can cause credits nothing twice.
 *
 * On SQLite there is one process: it leads every role from the start.
 */
import pg from 'pg';
import type { Logger } from '../logger';

export interface Leadership {
  /** Whether this instance leads `role` now. */
  leads(role: string): boolean;
  /** Steps down from every role (releasing them at once for the other instances) and stops checking. */
  stop(): Promise<void>;
}

/** Called when this instance starts or stops leading a role; leadership waits for it before the next check. */
type OnChange = (role: string, leading: boolean) => Promise<void>;

/** The single process of a SQLite database: it leads every role, for good. */
export async function soleLeadership(roles: readonly string[], onChange: OnChange): Promise<Leadership> {
  for (const role of roles) await onChange(role, true);
  return {
    leads: () => true,
    async stop() {
      for (const role of roles) await onChange(role, false);
    },
  };
}

export interface PostgresLeadershipOptions {
  url: string;
  roles: readonly string[];
  /** This instance, as written in the lease rows (for operators reading them). */
  instanceId: string;
  onChange: OnChange;
  log: Logger;
  /** How often roles are checked and leases renewed (ms). */
  checkMs?: number;
  /** How long a lease holds without renewal: past it, a stalled leader is replaced (ms). */
  leaseMs?: number;
}

/** Both instances hash the role name to the same lock; the first key keeps Payframe's locks apart from others'. */
const LOCK_SPACE = 0x5046; // "PF"

/** Starts checking; resolves after the first check, so an instance alone on its database leads from then on. */
export async function createPostgresLeadership(opts: PostgresLeadershipOptions): Promise<Leadership> {
  const { url, roles, instanceId, onChange, log } = opts;
  const checkMs = opts.checkMs ?? 1000;
  const leaseMs = opts.leaseMs ?? 10_000;
  const held = new Set<string>();
  let session: pg.Client | undefined;
  let renewedAt = 0;
  let stopped = false;
  let checking: Promise<void> = Promise.resolve();

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    // A broken session is noticed by the next check's query; the event alone must not end the process.
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  /** `why` is a warning unless this instance is stopping (its roles then go over on purpose). */
  async function stepDownAll(why: string): Promise<void> {
    const roles = [...held];
    held.clear();
    const old = session;
    session = undefined;
    for (const role of roles) {
      const message = `no longer leading ${role}: ${why}`;
      if (stopped) log.info(message);
      else log.warn(message);
      await onChange(role, false).catch((err: unknown) => log.error(`stopping ${role} failed`, { error: String(err) }));
    }
    // Then ending the session releases every lock it held: the work stopped here before another instance takes it.
    await old?.end().catch(() => undefined);
  }

  async function check(): Promise<void> {
    // Stalled past the lease (a long pause of this process): another instance may lead by now.
    if (held.size > 0 && performance.now() - renewedAt > leaseMs) await stepDownAll('the lease ran out before it could be renewed');
    try {
      session ??= await connect();
      const started = performance.now();
      if (held.size > 0) {
        await session.query(`UPDATE leases SET until = ${NOW_MS} + $2 WHERE role = ANY($1) AND holder = $3`, [[...held], leaseMs, instanceId]);
      }
      renewedAt = started;
      for (const role of roles) {
        if (held.has(role) || stopped) continue;
        const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [LOCK_SPACE, role]);
        if (!rows[0]!.locked) {
          await replaceStalled(session, role);
          continue;
        }
        await session.query(
          `INSERT INTO leases (role, holder, pid, until) VALUES ($1, $2, pg_backend_pid(), ${NOW_MS} + $3)
           ON CONFLICT (role) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, until = excluded.until`,
          [role, instanceId, leaseMs],
        );
        held.add(role);
        log.info(`leading ${role}`);
        await onChange(role, true);
      }
    } catch (err) {
      await stepDownAll(`the database session failed: ${(err as Error).message}`);
    }
  }

  /** Ends the session of a leader whose lease ran out (stalled): its lock is then free for the next check. */
  async function replaceStalled(client: pg.Client, role: string): Promise<void> {
    const { rows } = await client.query<{ holder: string; ended: boolean }>(
      `SELECT holder, pg_terminate_backend(pid::integer) AS ended FROM leases
       WHERE role = $1 AND until < ${NOW_MS} AND EXISTS (SELECT 1 FROM pg_locks WHERE pg_locks.pid = leases.pid AND locktype = 'advisory')`,
      [role],
    );
    if (rows[0]?.ended) log.warn(`replacing ${rows[0].holder} as leader of ${role}: its lease ran out`);
  }

  const timer = setInterval(() => {
    checking = checking.then(check);
  }, checkMs);
  checking = checking.then(check);
  await checking;

  return {
    leads: (role) => held.has(role),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await checking;
      await stepDownAll('stopping');
    },
  };
}

/** The database's clock in epoch ms: every instance judges leases by the same clock. */
const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;
