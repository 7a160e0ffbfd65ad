/**
 * The scale-out part of `npm run bench`: invoice creation on PostgreSQL with
 * one instance and with three (the load split over them, as a load balancer
 * would), and the SSE fan-out of one status change with the streams on one
 * instance and the change made on another (LISTEN/NOTIFY between them), beside
 * the same change seen on the instance that made it. The database is a fresh
 * one on TEST_POSTGRES_URL's server, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { cloneDatabase, createTemplate, dropDatabases } from '../../server/testing/postgres';
import { startServer, type BenchServer, type MerchantCredentials } from './server';

export interface PostgresInstances {
  instances: BenchServer[];
  creds: MerchantCredentials;
  /** The instance leading the sandbox chain (where payments and blocks are made), and the others. */
  leader: BenchServer;
  followers: BenchServer[];
  stop(): Promise<void>;
}

/** `count` instances on one fresh database, one merchant made through the CLI of the first. */
export async function startPostgresInstances(root: string, count: number): Promise<PostgresInstances> {
  const prefix = `payframe_bench${process.pid}`;
  await dropDatabases(prefix);
  const database = await cloneDatabase(await createTemplate(prefix), prefix);
  const env = { DATABASE_URL: database.url, PAYFRAME_MASTER_KEY: randomBytes(32).toString('hex') };
  const instances: BenchServer[] = [];
  const stop = async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await dropDatabases(prefix);
  };
  try {
    for (let i = 0; i < count; i++) instances.push(await startServer(root, env));
    const creds = await instances[0]!.createMerchant('Bench');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const holder = (await client.query<{ holder: string }>(`SELECT holder FROM leases WHERE role = 'chain:sandbox'`)).rows[0]?.holder;
    await client.end();
    const leader = instances.find((i) => holder !== undefined && i.output().includes(`Instance       ${holder}`));
    if (!leader) throw new Error('no instance leads the sandbox chain');
    return { instances, creds, leader, followers: instances.filter((i) => i !== leader), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
