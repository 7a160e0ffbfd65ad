/**
 * A merchant's face to buyers: the display name the checkout's header shows,
 * and the default appearance of its checkouts (contract/appearance.ts, as
 * JSON). Both null until the merchant sets them. Written with Kysely's schema
 * builder so it reads the same on SQLite and PostgreSQL; it needs no earlier
 * migration but 0001's merchants table.
 */
import type { Kysely, Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('merchants').addColumn('display_name', 'text').execute();
    await db.schema.alterTable('merchants').addColumn('appearance', 'text').execute();
  },
};
