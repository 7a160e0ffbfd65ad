/**
 * A row trigger for a test that makes the database misbehave (refuse a
 * write, corrupt a row), written for whichever database the test runs on:
 * SQLite's `CREATE TRIGGER … BEGIN … END`, or PostgreSQL's trigger function.
 * `event` is `AFTER INSERT ON table` (or BEFORE); `when` and `run` may use NEW.
 */
import { sql, type Kysely } from 'kysely';
import { onPostgres } from '../db/dialect';

type Action = { refuse: string } | { run: string };

export async function createTrigger(db: Kysely<any>, name: string, event: string, when: string, action: Action): Promise<void> {
  if (!onPostgres(db)) {
    const body = 'refuse' in action ? `SELECT RAISE(ABORT, '${action.refuse}')` : action.run;
    await sql.raw(`CREATE TRIGGER ${name} ${event} FOR EACH ROW WHEN ${when} BEGIN ${body}; END`).execute(db);
    return;
  }
  const body = 'refuse' in action ? `RAISE EXCEPTION '${action.refuse}'` : action.run;
  await sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NEW; END $$`).execute(db);
  await sql.raw(`CREATE TRIGGER ${name} ${event} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}()`).execute(db);
}
