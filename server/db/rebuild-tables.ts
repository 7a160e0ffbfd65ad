/**
 * Rebuilding SQLite tables, the way SQLite's documentation gives for a
 * change ALTER TABLE cannot make (adding a CHECK: sqlite.org/lang_altertable.html#otheralter):
 * with foreign keys off, in one transaction, each table is created anew,
 * filled from the old one, dropped and renamed into its place, and its
 * indexes and triggers are created again; the foreign keys are checked
 * before the commit.
 *
 * It must run outside a transaction: PRAGMA foreign_keys cannot change
 * inside one, and with it on, dropping a table that other tables refer to
 * deletes its rows first (failing, or orphaning theirs). Kysely's migrator
 * runs SQLite migrations on a plain connection (SqliteAdapter has no
 * transactional DDL), so this opens the transaction itself. Run again on a
 * rebuilt table, it changes nothing.
 */
import { sql, type Kysely } from 'kysely';

export interface TableRebuild {
  name: string;
  /** The CREATE TABLE statement of the new table, under the name given. */
  create(name: string): string;
}

export async function rebuildTables(db: Kysely<unknown>, tables: readonly TableRebuild[]): Promise<void> {
  const foreignKeys = async () => (await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)).rows[0]?.foreign_keys === 1;
  const enforced = await foreignKeys();
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    if (await foreignKeys()) throw new Error('cannot rebuild tables inside a transaction: PRAGMA foreign_keys cannot be turned off there');
    await db.transaction().execute(async (trx) => {
      for (const table of tables) await rebuild(trx, table);
      const broken = (await sql<{ table: string; rowid: number; parent: string }>`PRAGMA foreign_key_check`.execute(trx)).rows;
      if (broken.length > 0) {
        throw new Error(`rows refer to rows that do not exist: ${broken.slice(0, 5).map((r) => `${r.table} rowid ${r.rowid} → ${r.parent}`).join(', ')}`);
      }
    });
  } finally {
    if (enforced) await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

async function rebuild(trx: Kysely<unknown>, { name, create }: TableRebuild): Promise<void> {
  const rebuilt = `${name}_rebuilt`;
  // Dropping the table drops its indexes and triggers: their definitions are kept to create them again.
  const dependents = await sql<{ sql: string }>`SELECT sql FROM sqlite_schema WHERE tbl_name = ${name} AND type IN ('index', 'trigger') AND sql IS NOT NULL`.execute(trx);
  const columns = (await sql<{ name: string }>`SELECT name FROM pragma_table_info(${name})`.execute(trx)).rows.map((c) => `"${c.name}"`).join(', ');
  // AUTOINCREMENT promises an id is never used again, even one whose row is gone: the counter moves over too.
  const sequence = (await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = ${name}`.execute(trx)).rows[0]?.seq;
  await sql.raw(create(rebuilt)).execute(trx);
  await sql.raw(`INSERT INTO ${rebuilt} (${columns}) SELECT ${columns} FROM ${name}`).execute(trx);
  await sql.raw(`DROP TABLE ${name}`).execute(trx);
  await sql.raw(`ALTER TABLE ${rebuilt} RENAME TO ${name}`).execute(trx);
  for (const { sql: statement } of dependents.rows) await sql.raw(statement).execute(trx);
  if (sequence !== undefined) {
    // The rebuilt table has a counter only if a row was copied into it.
    await sql`INSERT INTO sqlite_sequence (name, seq) SELECT ${name}, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${name})`.execute(trx);
    await sql`UPDATE sqlite_sequence SET seq = max(seq, ${sequence}) WHERE name = ${name}`.execute(trx);
  }
}
