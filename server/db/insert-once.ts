/**
 * Idempotent creation: a merchant's row (an invoice, a widget) is inserted
 * only if none with its (account, idempotency_key) exists. The unique key
 * decides, not a SELECT before: of two requests with one key at once, on two
 * instances, the second insert waits for the first's commit and inserts
 * nothing; the caller then reads the row it met.
 */
import type { Kysely } from 'kysely';
import { changesOf } from './compile-once';
import type { Database, InvoicesTable, WidgetsTable } from './schema';

type Keyed = { invoices: InvoicesTable; widgets: WidgetsTable };

/** The insert of one table and set of columns, compiled once (db/compile-once.ts): the builder cost more than SQLite's insert. */
const inserts = new Map<string, (q: Kysely<Database>, ...values: unknown[]) => Promise<number>>();

/** Whether `row` was inserted (false: a row with its key was there, or came first). Columns left undefined get their defaults. */
export async function insertOnce<T extends keyof Keyed>(db: Kysely<Database>, table: T, row: Keyed[T]): Promise<boolean> {
  // In one pass: the columns given, the statement's key, the values (this runs on every create).
  const columns: string[] = [];
  const values: unknown[] = [];
  let key: string = table;
  for (const column in row) {
    const value = row[column as keyof Keyed[T]];
    if (value === undefined) continue;
    columns.push(column);
    values.push(value);
    key += ` ${column}`;
  }
  let insert = inserts.get(key);
  if (!insert) {
    insert = changesOf(columns.length, (q: Kysely<Database>, ...standIns: unknown[]) =>
      q
        .insertInto(table as 'invoices')
        .values(Object.fromEntries(columns.map((c, i) => [c, standIns[i]])) as unknown as InvoicesTable)
        .onConflict((oc) => oc.columns(['account', 'idempotency_key']).doNothing()),
    );
    inserts.set(key, insert);
  }
  return (await insert(db, ...values)) > 0;
}
