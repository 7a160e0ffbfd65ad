import { randomBytes } from 'node:crypto';
import { compileOnce } from '../db/compile-once';
import type { Db } from '../db/schema';
import { secretContext } from '../secrets/columns';
import type { SecretBox } from '../secrets/secret-box';

export interface NewMerchant {
  account: string;
  key: string;
  secret: string;
}

export interface Merchant {
  account: string;
  name: string;
  origins: string[];
  overpayToleranceBps: number;
}

/** Creates a merchant with one API key, its secret sealed. The account id has Calypso's form: 0x and 40 hex digits. */
export async function createMerchant(db: Db, secrets: SecretBox, opts: { name: string; origins: string[]; now: number }): Promise<NewMerchant> {
  const account = `0x${randomBytes(20).toString('hex')}`;
  const key = `pk_${randomBytes(16).toString('hex')}`;
  const secret = `sk_${randomBytes(32).toString('hex')}`;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('merchants')
      .values({ account, name: opts.name, origins: JSON.stringify(opts.origins), overpay_tolerance_bps: 0, created_at: opts.now, display_name: null, appearance: null })
      .execute();
    await trx.insertInto('api_keys').values({ key, account, secret: secrets.seal(secret, secretContext.apiSecret(key)), created_at: opts.now }).execute();
  });
  return { account, key, secret };
}

/** Replaces the origins allowed to frame the merchant's checkout; false when there is no such merchant. */
export async function setMerchantOrigins(db: Db, account: string, origins: string[]): Promise<boolean> {
  const result = await db.updateTable('merchants').set({ origins: JSON.stringify(origins) }).where('account', '=', account).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The account and the opened secret of an API key. On every signed request: one AES-GCM open of a short string, microseconds. */
/** Looks up an API key and opens its secret; the read is compiled once, as every signed request makes it. */
export function apiKeyFinder(db: Db, secrets: SecretBox): (key: string) => Promise<{ account: string; secret: string } | undefined> {
  const read = compileOnce(db, (key: string) => db.selectFrom('api_keys').select(['account', 'secret']).where('key', '=', key));
  return async (key) => {
    const [row] = await read(key);
    return row && { account: row.account, secret: secrets.open(row.secret, secretContext.apiSecret(key)) };
  };
}

/** The merchant's oldest API key with its opened secret: what a command signing as the merchant needs. */
export async function merchantCredentials(db: Db, secrets: SecretBox, account: string): Promise<NewMerchant | undefined> {
  const row = await db.selectFrom('api_keys').select(['key', 'secret']).where('account', '=', account).orderBy('created_at').orderBy('key').limit(1).executeTakeFirst();
  return row && { account, key: row.key, secret: secrets.open(row.secret, secretContext.apiSecret(row.key)) };
}

export async function findMerchant(db: Db, account: string): Promise<Merchant | undefined> {
  const row = await db.selectFrom('merchants').selectAll().where('account', '=', account).executeTakeFirst();
  if (!row) return undefined;
  return { account: row.account, name: row.name, origins: JSON.parse(row.origins) as string[], overpayToleranceBps: row.overpay_tolerance_bps };
}
