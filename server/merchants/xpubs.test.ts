import { HDKey } from '@scure/bip32';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/schema';
import { SecretBoxError } from '../secrets/secret-box';
import { testSecrets } from '../testing/harness';
import { openTestDb } from '../testing/template-db';
import { createMerchant } from './merchants';
import { checkXpub, findXpub, setXpub } from './xpubs';

const master = HDKey.fromMasterSeed(new Uint8Array(32).fill(7));
const account = (n: number) => master.derive(`m/44'/60'/${n}'`);

describe('checkXpub', () => {
  it('accepts an account-level public key (depth 3)', () => {
    expect(checkXpub(account(0).publicExtendedKey)).toMatchObject({ ok: true });
  });

  it.each([
    ['the master key', master, 0],
    ['the receive node below the account', account(0).deriveChild(0), 4],
    ['a single address key', account(0).deriveChild(0).deriveChild(0), 5],
  ])('refuses %s, naming the depth found', (_, key, depth) => {
    expect(checkXpub(key.publicExtendedKey)).toEqual({
      ok: false,
      reason: `this key is at depth ${depth}; give the account-level key at depth 3 (m/44'/60'/0'), which wallets export as the account xpub`,
    });
  });

  it('refuses a private key before looking at its depth', () => {
    expect(checkXpub(account(0).privateExtendedKey)).toMatchObject({ ok: false, reason: expect.stringContaining('PRIVATE') });
  });
});

describe('setXpub', () => {
  let db: Db;
  let destroy: () => Promise<void>;
  const secrets = testSecrets();
  const merchant = async () => (await createMerchant(db, secrets, { name: 'm', origins: [], now: 0 })).account;
  beforeEach(async () => {
    ({ db, destroy } = await openTestDb());
  });
  afterEach(() => destroy());

  it('refuses a key another merchant already uses, naming that merchant, and stores nothing', async () => {
    const [first, second] = [await merchant(), await merchant()];
    expect(await setXpub(db, secrets, first, 'evm', account(0).publicExtendedKey, 0)).toMatchObject({ ok: true });
    expect(await setXpub(db, secrets, second, 'evm', account(0).publicExtendedKey, 0)).toEqual({
      ok: false,
      reason: `merchant ${first} already uses this key; give each merchant its own account key (the wallet's next account: …/1', …)`,
    });
    expect(await findXpub(db, secrets, second, 'evm')).toBeUndefined();
  });

  it('recognises the same key serialized with another parent fingerprint', async () => {
    const [first, second] = [await merchant(), await merchant()];
    const key = account(0);
    const reserialized = new HDKey({ publicKey: key.publicKey!, chainCode: key.chainCode!, depth: 3, index: key.index, parentFingerprint: 0x12345678 });
    expect(reserialized.publicExtendedKey).not.toBe(key.publicExtendedKey);
    await setXpub(db, secrets, first, 'evm', key.publicExtendedKey, 0);
    expect(await setXpub(db, secrets, second, 'evm', reserialized.publicExtendedKey, 0)).toMatchObject({ ok: false });
  });

  it('lets a merchant set its own key again, and another merchant use another account', async () => {
    const [first, second] = [await merchant(), await merchant()];
    await setXpub(db, secrets, first, 'evm', account(0).publicExtendedKey, 0);
    expect(await setXpub(db, secrets, first, 'evm', ` ${account(0).publicExtendedKey}\n`, 1)).toMatchObject({ ok: true });
    expect(await setXpub(db, secrets, second, 'evm', account(1).publicExtendedKey, 1)).toMatchObject({ ok: true });
    expect(await findXpub(db, secrets, first, 'evm')).toBe(account(0).publicExtendedKey);
    expect(await findXpub(db, secrets, second, 'evm')).toBe(account(1).publicExtendedKey);
  });

  it('stores the key sealed, for its own row only', async () => {
    const [first, second] = [await merchant(), await merchant()];
    await setXpub(db, secrets, first, 'evm', account(0).publicExtendedKey, 0);
    await setXpub(db, secrets, second, 'evm', account(1).publicExtendedKey, 0);
    const stored = await db.selectFrom('merchant_xpubs').select('xpub').where('account', '=', first).executeTakeFirstOrThrow();
    expect(stored.xpub).toMatch(/^enc:v1:/);
    expect(stored.xpub).not.toContain(account(0).publicExtendedKey.slice(4, 20));
    // Copied into another merchant's row, it does not open: that merchant's addresses cannot be redirected this way.
    await db.updateTable('merchant_xpubs').set({ xpub: stored.xpub }).where('account', '=', second).execute();
    await expect(findXpub(db, secrets, second, 'evm')).rejects.toThrow(SecretBoxError);
  });
});
