import { sql, type Kysely, type Migration } from 'kysely';

/** A migration that runs its SQL statements in order (the migrator runs each migration in its own transaction). */
export const statements = (list: readonly string[]): Migration => ({
  async up(db: Kysely<unknown>) {
    for (const statement of list) await sql.raw(statement).execute(db);
  },
});
