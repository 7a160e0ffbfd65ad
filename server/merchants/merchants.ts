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
  // Opened secrets by key and sealed text: the row is read on every request (a revoked or rotated key counts at
  // once), but what was opened for that key from that sealed text is not decrypted again. Bounded: emptied
  // when it holds too many.
  const opened = new Map<string, string>();
  return async (key) => {
    const [row] = await read(key);
    if (!row) return undefined;
    const sealed = `${key}\n${row.secret}`;
    let secret = opened.get(sealed);
    if (secret === undefined) {
      secret = secrets.open(row.secret, secretContext.apiSecret(key));
      if (opened.size >= MAX_OPENED_SECRETS) opened.clear();
      opened.set(sealed, secret);
    }
    return { account: row.account, secret };
  };
}

const MAX_OPENED_SECRETS = 10_000;

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
