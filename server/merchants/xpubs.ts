/**
 * The merchant's extended public keys. Payframe derives every invoice address
 * from one and never holds a private key (non-custodial).
 */
import { HDKey } from '@scure/bip32';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../db/schema';
import { secretContext } from '../secrets/columns';
import type { SecretBox } from '../secrets/secret-box';

/** Whose key: "evm" (one key serves every EVM chain), or a UTXO chain's name (one key per UTXO chain). */
export type KeyFamily = string;

export type XpubCheck = { ok: true; key: HDKey } | { ok: false; reason: string };

/** BIP-44's account level, m/44'/60'/0': invoice addresses are …/0/i below it, as wallets show them. */
const ACCOUNT_DEPTH = 3;

/** Accepts a BIP-32 account-level extended public key (xpub…); refuses private keys outright. */
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
  // Below a key of another depth the addresses are real but not the ones the merchant's wallet shows.
  if (key.depth !== ACCOUNT_DEPTH) {
    return {
      ok: false,
      reason: `this key is at depth ${key.depth}; give the account-level key at depth ${ACCOUNT_DEPTH} (m/44'/60'/0'), which wallets export as the account xpub`,
    };
  }
  return { ok: true, key };
}

/**
 * Checks (with `check`: checkXpub for EVM chains, a UTXO network's parseAccountKey
 * for a UTXO chain) and stores (sealed) the merchant's key for a chain family. A key
 * another merchant already uses is refused: both would be handed the same
 * addresses, and the second one's invoices would collide with the first
 * one's. Comparing means opening every other merchant's key of the family:
 * microseconds each, and only when a merchant sets a key.
 */
export async function setXpub(db: Db, secrets: SecretBox, account: string, family: KeyFamily, text: string, now: number, checkKey: (text: string) => XpubCheck = checkXpub): Promise<XpubCheck> {
  const check = checkKey(text);
  if (!check.ok) return check;
  const xpub = secrets.seal(text.trim(), secretContext.xpub(account, family));
  return db.transaction().execute(async (trx) => {
    const others = await trx.selectFrom('merchant_xpubs').select(['account', 'xpub']).where('family', '=', family).where('account', '!=', account).execute();
    const owner = others.find((o) => {
      const other = checkKey(secrets.open(o.xpub, secretContext.xpub(o.account, family)));
      return other.ok && sameKey(other.key, check.key);
    });
    if (owner) {
      return { ok: false, reason: `merchant ${owner.account} already uses this key; give each merchant its own account key (the wallet's next account: …/1', …)` };
    }
    await trx
      .insertInto('merchant_xpubs')
      .values({ account, family, xpub, created_at: now })
      .onConflict((oc) => oc.columns(['account', 'family']).doUpdateSet({ xpub, created_at: now }))
      .execute();
    return check;
  });
}

export async function findXpub(db: Kysely<Pick<Database, 'merchant_xpubs'>>, secrets: SecretBox, account: string, family: KeyFamily): Promise<string | undefined> {
  const row = await db.selectFrom('merchant_xpubs').select('xpub').where('account', '=', account).where('family', '=', family).executeTakeFirst();
  return row && secrets.open(row.xpub, secretContext.xpub(account, family));
}

/** Same addresses below: the serialization's other fields (parent fingerprint, index) do not matter. */
function sameKey(a: HDKey, b: HDKey): boolean {
  const id = (k: HDKey) => Buffer.concat([k.publicKey ?? new Uint8Array(), k.chainCode ?? new Uint8Array()]);
  return id(a).equals(id(b));
}
