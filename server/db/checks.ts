/**
 * The closed lists the database enforces: each state-like column may hold
 * only the values contract/enums.ts lists (NULL still passes where the column
 * allows it: SQL's CHECK lets an unknown through). The CHECK is standard SQL,
 * the same text for SQLite and PostgreSQL, and named `<table>_<column>` so a
 * later migration can replace it.
 *
 * A migration writes the lists as they are when it runs. A value added to a
 * list afterwards needs a migration of its own that writes the constraint
 * again (SQLite: rebuildTables, as 0005 does; PostgreSQL: DROP CONSTRAINT,
 * ADD CONSTRAINT), or databases migrated before refuse the new value.
 */
import { DELIVERY_STATUSES, INTERVENTION_TYPES, INVOICE_STATES, INVOICE_TYPES, RESOLUTIONS, WEBHOOK_EVENT_TYPES, WEBHOOK_LEVELS } from '../../contract/enums';

export const CHECKED_COLUMNS = {
  invoices: { state: INVOICE_STATES, intervention_type: INTERVENTION_TYPES, resolution: RESOLUTIONS, type: INVOICE_TYPES },
  invoice_versions: { state: INVOICE_STATES },
  status_history: { from_state: INVOICE_STATES, to_state: INVOICE_STATES, intervention_type: INTERVENTION_TYPES },
  webhook_events: { event_type: WEBHOOK_EVENT_TYPES, level: WEBHOOK_LEVELS },
  webhook_deliveries: { status: DELIVERY_STATUSES },
} as const satisfies Record<string, Record<string, readonly string[]>>;

type Checked = typeof CHECKED_COLUMNS;

/** The column constraint: `CONSTRAINT invoices_state CHECK (state IN ('PENDING_PAYMENT', …))`. */
export function checkOneOf<T extends keyof Checked>(table: T, column: keyof Checked[T] & string): string {
  const values = (CHECKED_COLUMNS[table] as Record<string, readonly string[]>)[column]!;
  return `CONSTRAINT ${table}_${column} CHECK (${column} IN (${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}))`;
}
