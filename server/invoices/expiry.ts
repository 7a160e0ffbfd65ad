/**
 * Expiry: an open invoice whose time is up is archived, but only once its
 * chain has been scanned past that time (ChainAdapter.scannedThrough), so a
 * payment mined in time and not yet scanned never finds it archived.
 */
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import type { Apply } from './apply';

export interface ExpiryDeps {
  db: Db;
  clock: Clock;
  apply: Apply;
  /** The time up to which every payment on the chain is known (ms). */
  scannedThrough(chain: string): number;
}

/** Archives the invoices due now and returns how many; the runtime runs it every second or so. */
export async function expireDue({ db, clock, apply, scannedThrough }: ExpiryDeps): Promise<number> {
  const due = await db
    .selectFrom('invoices')
    .select(['id', 'chain', 'expires_at'])
    .where('state', '=', 'PENDING_PAYMENT')
    .where('expires_at', '<=', clock.now())
    .execute();
  let expired = 0;
  for (const invoice of due) {
    if (scannedThrough(invoice.chain) < invoice.expires_at) continue;
    await apply(invoice.id, { type: 'TICK' }, 'expired');
    expired++;
  }
  return expired;
}
