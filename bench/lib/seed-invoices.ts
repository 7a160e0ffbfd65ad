/** Open invoices written straight into a fresh database, as that many invoice creations would have left them. */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../server/logger';
import { createMerchant } from '../../server/merchants/merchants';
import { createRuntime } from '../../server/runtime';
import type { SecretBox } from '../../server/secrets/secret-box';
import { newInvoiceRow } from '../../server/testing/invoice-row';

export interface SeededInvoice {
  id: string;
  address: string;
  currency: string;
  /** Base units. */
  amount: bigint;
}

/**
 * Inserts one PENDING_PAYMENT invoice per entry on `chain` in one transaction
 * (no invoice_versions/status_history rows, which a chain scan never reads),
 * for a runtime created afterwards on `dbFile` to load as its watched set.
 */
export async function seedInvoices(opts: { dbFile: string; secrets: SecretBox; log: Logger; chain: string }, invoices: readonly Omit<SeededInvoice, 'id'>[]): Promise<SeededInvoice[]> {
  const seed = await createRuntime({ dbFile: opts.dbFile, secrets: opts.secrets, clock: { now: Date.now }, log: opts.log, publicUrl: 'http://bench.test', sandbox: false });
  try {
    const now = Date.now();
    const { account } = await createMerchant(seed.db, seed.secrets, { name: 'Bench', origins: [], now });
    const seeded = invoices.map((inv) => ({ ...inv, id: `inv_${randomBytes(16).toString('base64url')}` }));
    const rows = seeded.map((inv, i) =>
      newInvoiceRow({
        id: inv.id,
        account,
        idempotency_key: `bench-${i}`,
        currency: inv.currency,
        network: opts.chain,
        chain: opts.chain,
        address: inv.address.toLowerCase(),
        address_index: i,
        amount: inv.amount.toString(),
        description: 'bench',
        created_at: now,
      }),
    );
    await seed.db.transaction().execute(async (trx) => {
      // 29 columns × 500 rows stays under SQLite's 32,766 bound parameters per statement.
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('invoices').values(rows.slice(i, i + 500)).execute();
    });
    return seeded;
  } finally {
    await seed.close();
  }
}
