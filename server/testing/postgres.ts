/**
 * Fresh PostgreSQL databases for tests and benchmarks, on the server that
 * TEST_POSTGRES_URL names (the machine's and CI's: 127.0.0.1:5432, user
 * postgres, database test). One template is migrated per run; each test
 * gets a database copied from it (CREATE DATABASE … TEMPLATE: tens of
 * milliseconds, against half a second to migrate), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgres } from '../db/open';

const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL of database `name` on the test server. */
function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.href;
}

/** Runs `use` on one connection to the server's maintenance database (TEST_POSTGRES_URL's). */
async function withAdmin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect().catch((err: unknown) => {
    throw new Error(`no PostgreSQL at ${new URL(TEST_POSTGRES_URL).host} (TEST_POSTGRES_URL): ${(err as Error).message}. Start it (.ci/run does), or run the SQLite tests alone.`);
  });
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A database name: a prefix, then random letters; safe to write into SQL unquoted. */
const newName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

/** Creates and migrates a template database for a test run; the caller drops it (dropDatabases) when the run ends. */
export async function createTemplate(prefix: string): Promise<string> {
  const name = newName(`${prefix}_tpl`);
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  await (await openPostgres(databaseUrl(name), 1)).destroy();
  return name;
}

/** A new database copied from `template`: its URL, and how to drop it once nothing uses it. */
export async function cloneDatabase(template: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = newName(prefix);
  await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return { url: databaseUrl(name), drop: () => dropDatabases(name) };
}

/** Drops the databases named, or whose names start with `prefix_`, whoever is still connected. */
export async function dropDatabases(nameOrPrefix: string): Promise<void> {
  await withAdmin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $1 || '_')`, [nameOrPrefix]);
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}
