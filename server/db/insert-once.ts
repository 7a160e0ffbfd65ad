/**
 * Idempotent creation: a merchant's row (an invoice, a widget) is inserted
 * only if none with its (account, idempotency_key) exists. The unique key
 * decides, not a SELECT before: of two requests with one key at once, on two
 * instances, the second insert waits for the first's commit and inserts
 * nothing; the caller then reads the row it met.
 */
import type { Kysely } from 'kysely';
import type { Database, InvoicesTable, WidgetsTable } from './schema';

type Keyed = { invoices: InvoicesTable; widgets: WidgetsTable };

/** Whether `row` was inserted (false: a row with its key was there, or came first). */
export async function insertOnce<T extends keyof Keyed>(db: Kysely<Database>, table: T, row: Keyed[T]): Promise<boolean> {
  const inserted = await db
    .insertInto(table as 'invoices')
    .values(row as InvoicesTable)
    .onConflict((oc) => oc.columns(['account', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
