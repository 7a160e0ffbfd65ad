import { sql, type Kysely, type Migration } from 'kysely';
import { onPostgres, postgresDdl } from '../dialect';

/**
 * A migration that runs its SQL statements in order (the migrator runs each migration in its own
 * transaction). They are written for SQLite; on PostgreSQL each is first translated (dialect.ts).
 */
export const statements = (list: readonly string[]): Migration => ({
  async up(db: Kysely<unknown>) {
    const translate = onPostgres(db) ? postgresDdl : (s: string) => s;
    for (const statement of list) await sql.raw(translate(statement)).execute(db);
  },
});
