/**
 * Live status across instances (PostgreSQL): the engine's transaction sends
 * `NOTIFY payframe_invoices, '<id> <version> <state> <instance>'` for each
 * invoice it changed (PostgreSQL delivers it at commit, never for a rollback),
 * and every instance keeps one connection LISTENing, waking its own bus (and
 * through it its SSE streams and webhook worker) for another instance's
 * changes. The payload is tiny: the change itself is read from
 * invoice_versions, as for a local change, so a notification missed while
 * the connection was down loses nothing that a stream's next read or an SSE
 * client's Last-Event-ID reconnect does not recover.
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { InvoicesTable } from '../db/schema';
import { onPostgres } from '../db/dialect';
import type { InvoiceChanged } from '../events/bus';
import type { Logger } from '../logger';

const CHANNEL = 'payframe_invoices';

/** Sends the changes of `rows` to the other instances once `trx` commits (PostgreSQL only; a SQLite process is alone). */
export async function notifyChanges(trx: Kysely<any>, rows: readonly Pick<InvoicesTable, 'id' | 'version' | 'state'>[], origin: string): Promise<void> {
  if (rows.length === 0 || !onPostgres(trx)) return;
  const payloads = rows.map((r) => `${r.id} ${r.version} ${r.state} ${origin}`);
  await sql`SELECT pg_notify(${CHANNEL}, payload) FROM unnest(${payloads}::text[]) AS payload`.execute(trx);
}

/** A notification's change, or undefined for one this instance sent (its bus heard it already) or cannot read. */
export function parseChange(payload: string, self: string): InvoiceChanged | undefined {
  const [invoiceId, version, state, origin] = payload.split(' ');
  if (!invoiceId || !state || origin === undefined || origin === self || !/^\d+$/.test(version ?? '')) return undefined;
  return { invoiceId, version: Number(version), state };
}

export interface ChangeListener {
  stop(): Promise<void>;
}

/**
 * Keeps one connection LISTENing and hands every other instance's change to `heard`;
 * reconnects after a second when the connection is lost.
 */
export async function listenForChanges(opts: { url: string; instanceId: string; heard(change: InvoiceChanged): void; log: Logger }): Promise<ChangeListener> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  function reconnectLater(err?: Error): void {
    if (stopped || retry) return;
    opts.log.warn("lost the connection listening for other instances' changes; reconnecting", { error: err?.message ?? 'ended' });
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(reconnectLater);
    }, 1000);
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: opts.url });
    client = c;
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = undefined;
      void c.end().catch(() => undefined);
      reconnectLater(err);
    };
    c.on('error', lost);
    c.on('end', () => lost());
    c.on('notification', (n) => {
      const change = n.channel === CHANNEL && n.payload ? parseChange(n.payload, opts.instanceId) : undefined;
      if (change) opts.heard(change);
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
  }

  await connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
