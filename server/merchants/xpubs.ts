/**
 * The merchant's extended public keys. Payframe derives every invoice address
 * from one and never holds a private key (non-custodial).
 */
import { HDKey } from '@scure/bip32';
import type { Db } from '../db/schema';

export type KeyFamily = 'evm';

export type XpubCheck = { ok: true; key: HDKey } | { ok: false; reason: string };

/** Accepts a BIP-32 extended public key (xpub…); refuses private keys outright. */
export function checkXpub(text: string): XpubCheck {
  const trimmed = text.trim();
  if (/^[xtyzuv]prv/i.test(trimmed)) {
    return { ok: false, reason: 'this is an extended PRIVATE key; Payframe only needs (and must only ever get) the extended public key' };
  }
  let key: HDKey;
  try {
    key = HDKey.fromExtendedKey(trimmed);
  } catch {
    return { ok: false, reason: 'not a valid BIP-32 extended public key (expected xpub…)' };
  }
  if (key.privateKey) return { ok: false, reason: 'this key contains a private key; export the extended public key instead' };
  return { ok: true, key };
}

export async function setXpub(db: Db, account: string, family: KeyFamily, xpub: string, now: number): Promise<void> {
  await db
    .insertInto('merchant_xpubs')
    .values({ account, family, xpub, created_at: now })
    .onConflict((oc) => oc.columns(['account', 'family']).doUpdateSet({ xpub, created_at: now }))
    .execute();
}

export async function findXpub(db: Db, account: string, family: KeyFamily): Promise<string | undefined> {
  const row = await db.selectFrom('merchant_xpubs').select('xpub').where('account', '=', account).where('family', '=', family).executeTakeFirst();
  return row?.xpub;
}
