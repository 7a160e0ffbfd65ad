/**
 * Secrets at rest, end to end: a real runtime on a real SQLite file, whose
 * bytes are then searched for the secrets it holds.
 */
import { HDKey } from '@scure/bip32';
import { createHmac, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainCurrencies, type ChainConfig } from '../chains/chains-file';
import { EvmChain } from '../chains/evm/evm-chain';
import { deriveReceiveAddress, receiveNode } from '../chains/hd';
import { openSqlite } from '../db/open';
import type { Logger } from '../logger';
import { createMerchant } from '../merchants/merchants';
import { setXpub } from '../merchants/xpubs';
import { createRuntime, type Runtime } from '../runtime';
import { clientFor, FakeClock, testSecrets } from '../testing/harness';
import { startReceiver, type Receiver } from '../webhooks/test-receiver';
import { secretContext } from './columns';
import { isSealed, SecretBoxError, type SecretBox } from './secret-box';

const XPUB = HDKey.fromMasterSeed(new Uint8Array(32).fill(3)).derive("m/44'/60'/0'").publicExtendedKey;
const FILES = ['payframe.db', 'payframe.db-wal', 'payframe.db-shm'];

/** A log that keeps every line, fields and all, as the operator's log would show them. */
function capturingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/**
 * Which of `needles` occur, whole or in part, in `haystacks`. In part: a row
 * rewritten in place can leave the head or the tail of the old value in
 * free space, so each 16-character piece is looked for on its own.
 */
function found(haystacks: Buffer[], needles: readonly string[]): string[] {
  const pieces = (needle: string) => [needle, ...Array.from({ length: Math.floor(needle.length / 16) }, (_, i) => needle.slice(i * 16, i * 16 + 16)), needle.slice(-16)];
  return needles.filter((needle) => pieces(needle).some((piece) => haystacks.some((b) => b.includes(Buffer.from(piece, 'utf8')))));
}

/** Which of `needles` a copy of the database files in `dir` (main file, WAL, shared memory) reveals. */
function foundInFiles(dir: string, needles: readonly string[]): string[] {
  const copy = mkdtempSync(join(tmpdir(), 'payframe-copy-'));
  try {
    for (const f of FILES) if (existsSync(join(dir, f))) copyFileSync(join(dir, f), join(copy, f));
    return found(FILES.filter((f) => existsSync(join(copy, f))).map((f) => readFileSync(join(copy, f))), needles);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

describe('a copy of the database', () => {
  let dir: string;
  let receiver: Receiver;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'payframe-at-rest-'));
    receiver = await startReceiver({ respond: () => 500 });
  });
  afterEach(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds no API secret, no webhook secret (current or rotated out) and no xpub, and neither does the log', async () => {
    // The real time: standardwebhooks checks the signature's timestamp against it.
    const clock = new FakeClock(Date.now());
    const log = capturingLog();
    // No retries: the one failed delivery gives the subscription up, which the log reports.
    const rt = await createRuntime({ dbFile: join(dir, 'payframe.db'), secrets: testSecrets(), clock, log, publicUrl: 'http://p.test', sandbox: true, webhooks: { scheduleMs: [] } });
    const secrets: string[] = [];
    try {
      const merchant = await createMerchant(rt.db, rt.secrets, { name: 'Shop', origins: [], now: clock.now() });
      const client = clientFor(rt.app, merchant, clock);
      const created = await client.createWebhookSubscription({ url: receiver.url, notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
      const rotated = await client.regenerateWebhookKeys({ requestId: created.requestId });
      expect(await setXpub(rt.db, rt.secrets, merchant.account, 'evm', XPUB, clock.now())).toMatchObject({ ok: true });
      await client.createInvoice({ amount: '0.01', currency: 'ETH', description: 'Order 1' });
      expect(await rt.webhooks.runDue()).toBe(1);
      expect(receiver.received).toHaveLength(1);
      // Signed with both secrets while the rotated-out one is in its grace period: both are still in the database.
      expect(new Webhook(created.secretKey).verify(receiver.received[0]!.body, receiver.received[0]!.headers)).toBeTruthy();
      expect(new Webhook(rotated.secretKey).verify(receiver.received[0]!.body, receiver.received[0]!.headers)).toBeTruthy();
      secrets.push(merchant.secret, created.secretKey, rotated.secretKey, XPUB);

      // Copied while it runs, as a backup would be; checkpointed first so the main file alone holds every page (the WAL is copied too).
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(rt.db);
      expect(foundInFiles(dir, secrets)).toEqual([]);
      // The search does find what is stored in the clear: the public keys and the account.
      const clear = [merchant.key, merchant.account, rotated.publicKey];
      expect(foundInFiles(dir, clear)).toEqual(clear);
    } finally {
      await rt.close();
    }
    expect(foundInFiles(dir, secrets)).toEqual([]);
    expect(log.lines.some((l) => l.includes('webhook subscription marked as failing'))).toBe(true);
    expect(found([Buffer.from(log.lines.join('\n'))], secrets)).toEqual([]);
  });
});

describe('a database written before encryption at rest', () => {
  const OLD = {
    account: `0x${'a1'.repeat(20)}`,
    key: `pk_${'0b'.repeat(16)}`,
    secret: `sk_${randomBytes(32).toString('hex')}`,
    /** Replaced by an old rotation: only a remnant in the file's free space, if anywhere. */
    replacedWebhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
    previousWebhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
    webhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
    webhookPublicKey: `whpk_${'0c'.repeat(16)}`,
    xpub: XPUB,
    /** More merchants, so that sealing rewrites full pages: some old cells then stay in free space unless the file is rebuilt. */
    otherSecrets: Array.from({ length: 30 }, () => `sk_${randomBytes(32).toString('hex')}`),
  };
  const PLAINTEXTS = [OLD.secret, OLD.replacedWebhookSecret, OLD.previousWebhookSecret, OLD.webhookSecret, OLD.xpub, ...OLD.otherSecrets];
  let dir: string;
  let dbFile: string;
  let clock: FakeClock;
  let receiver: Receiver;
  let log: ReturnType<typeof capturingLog>;
  const runtimes: Runtime[] = [];
  const start = async (secrets: SecretBox, previousSecrets?: SecretBox) => {
    const rt = await createRuntime({ dbFile, secrets, previousSecrets, clock, log, publicUrl: 'http://p.test', sandbox: true });
    runtimes.push(rt);
    return rt;
  };

  /** The rows as the previous version wrote them: every secret in the clear, one rotation done. */
  async function writeOldDatabase() {
    const db = await openSqlite(dbFile);
    const now = clock.now();
    await sql`INSERT INTO merchants (account, name, origins, overpay_tolerance_bps, created_at) VALUES (${OLD.account}, 'Old shop', '[]', 0, ${now})`.execute(db);
    await sql`INSERT INTO api_keys (key, account, secret, created_at) VALUES (${OLD.key}, ${OLD.account}, ${OLD.secret}, ${now})`.execute(db);
    await sql`INSERT INTO webhook_subscriptions (account, request_id, url, event_types, public_key, secret_key, created_at)
      VALUES (${OLD.account}, 'req-old', ${receiver.url}, '["INVOICE_CREATE_INVOICE"]', 'whpk_before_rotation', ${OLD.replacedWebhookSecret}, ${now})`.execute(db);
    await sql`UPDATE webhook_subscriptions SET public_key = 'whpk_rotated', secret_key = ${OLD.previousWebhookSecret}`.execute(db);
    await sql`UPDATE webhook_subscriptions SET public_key = ${OLD.webhookPublicKey}, secret_key = ${OLD.webhookSecret},
      previous_secret_key = ${OLD.previousWebhookSecret}, previous_secret_until = ${now + 60 * 60 * 1000}`.execute(db);
    await sql`INSERT INTO merchant_xpubs (account, family, xpub, created_at) VALUES (${OLD.account}, 'evm', ${OLD.xpub}, ${now})`.execute(db);
    for (const [i, secret] of OLD.otherSecrets.entries()) {
      await sql`INSERT INTO api_keys (key, account, secret, created_at) VALUES (${`pk_other_${i}`}, ${OLD.account}, ${secret}, ${now})`.execute(db);
    }
    await db.destroy();
  }

  async function storedValues(rt: Runtime) {
    const api = await rt.db.selectFrom('api_keys').select('secret').where('key', '=', OLD.key).executeTakeFirstOrThrow();
    const sub = await rt.db.selectFrom('webhook_subscriptions').select(['secret_key', 'previous_secret_key']).executeTakeFirstOrThrow();
    const xpub = await rt.db.selectFrom('merchant_xpubs').select('xpub').executeTakeFirstOrThrow();
    return [api.secret, sub.secret_key, sub.previous_secret_key!, xpub.xpub] as const;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'payframe-upgrade-'));
    dbFile = join(dir, 'payframe.db');
    // The real time: standardwebhooks checks the signature's timestamp against it.
    clock = new FakeClock(Date.now());
    log = capturingLog();
    receiver = await startReceiver();
    await writeOldDatabase();
  });
  afterEach(async () => {
    for (const rt of runtimes.splice(0)) await rt.close().catch(() => undefined);
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is sealed at start, and everything works as before: signed requests, webhook signatures, addresses', async () => {
    const secrets = testSecrets();
    const rt = await start(secrets);
    expect(log.lines).toContain('info Sealed 34 secrets stored in the clear by an earlier version {}');

    const [api, current, previous, xpub] = await storedValues(rt);
    const allApiSecrets = await rt.db.selectFrom('api_keys').select('secret').execute();
    for (const value of [current, previous, xpub, ...allApiSecrets.map((r) => r.secret)]) expect(isSealed(value)).toBe(true);
    expect(secrets.open(api, secretContext.apiSecret(OLD.key))).toBe(OLD.secret);
    expect(secrets.open(current, secretContext.webhookSecret(OLD.webhookPublicKey))).toBe(OLD.webhookSecret);
    expect(secrets.open(previous, secretContext.previousWebhookSecret(OLD.webhookPublicKey))).toBe(OLD.previousWebhookSecret);
    expect(secrets.open(xpub, secretContext.xpub(OLD.account, 'evm'))).toBe(OLD.xpub);

    // A request signed with the old merchant's secret verifies.
    const client = clientFor(rt.app, { account: OLD.account, key: OLD.key, secret: OLD.secret }, clock);
    await client.createInvoice({ amount: '0.01', currency: 'ETH', description: 'After the upgrade' });
    // Its webhook is signed with the old subscription's secret, and with the rotated-out one during its grace period.
    expect(await rt.webhooks.runDue()).toBe(1);
    const [hook] = receiver.received;
    expect(hook!.headers.key).toBe(OLD.webhookPublicKey);
    expect(hook!.headers.sign).toBe(createHmac('sha512', OLD.webhookSecret).update(hook!.body).digest('hex'));
    expect(new Webhook(OLD.webhookSecret).verify(hook!.body, hook!.headers)).toBeTruthy();
    expect(new Webhook(OLD.previousWebhookSecret).verify(hook!.body, hook!.headers)).toBeTruthy();
    // The old xpub derives the same addresses, read the way the EVM adapter reads it.
    const chain = new EvmChain({ config: CHAIN, currencies: chainCurrencies(CHAIN), db: rt.db, clock, secrets: rt.secrets, log });
    const derive = await chain.addressDeriver(OLD.account);
    const expected = receiveNode(HDKey.fromExtendedKey(OLD.xpub));
    expect([derive(0), derive(7)]).toEqual([deriveReceiveAddress(expected, 0).toLowerCase(), deriveReceiveAddress(expected, 7).toLowerCase()]);

    // The clear values are gone from the file, free space and WAL included, not only from the rows.
    await rt.close();
    expect(foundInFiles(dir, PLAINTEXTS)).toEqual([]);
  });

  it('is sealed once: a second start changes nothing', async () => {
    const secrets = testSecrets();
    const first = await storedValues(await start(secrets));
    await runtimes.pop()!.close();
    log.lines.length = 0;
    const again = await start(secrets);
    expect(await storedValues(again)).toEqual(first);
    expect(log.lines).toEqual([]);
  });

  it('refuses to start under another master key, saying what to do, and changes nothing', async () => {
    const first = await storedValues(await start(testSecrets()));
    await runtimes.pop()!.close();
    const refused = await start(testSecrets()).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SecretBoxError);
    expect((refused as Error).message).toMatch(/does not open: it was sealed under another master key.*Start with the master key this database was sealed under.*PAYFRAME_PREVIOUS_MASTER_KEY/);
    for (const secret of PLAINTEXTS) expect((refused as Error).message).not.toContain(secret);
    const db = await openSqlite(dbFile);
    try {
      expect(await db.selectFrom('api_keys').select('secret').where('key', '=', OLD.key).executeTakeFirstOrThrow()).toEqual({ secret: first[0] });
    } finally {
      await db.destroy();
    }
  });

  it('moves every secret under a new master key when given the previous one, and leaves nothing the old key opens', async () => {
    const [oldKey, newKey] = [testSecrets(), testSecrets()];
    const underOld = await storedValues(await start(oldKey));
    await runtimes.pop()!.close();

    const rotating = await start(newKey, oldKey);
    expect(log.lines).toContain('info Sealed 34 secrets again under the new master key; the previous one is no longer needed {}');
    await rotating.close();
    runtimes.pop();
    expect(foundInFiles(dir, underOld)).toEqual([]);

    const rt = await start(newKey);
    await clientFor(rt.app, { account: OLD.account, key: OLD.key, secret: OLD.secret }, clock).createInvoice({ amount: '0.01', currency: 'ETH', description: 'After the rotation' });
    await rt.close();
    runtimes.pop();
    await expect(start(oldKey)).rejects.toThrow(SecretBoxError);
  });
});

const CHAIN: ChainConfig = {
  name: 'upgrade-test',
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:9',
  nativeCurrency: 'ETH',
  nativeDecimals: 18,
  paidConfirmations: 1,
  finalConfirmations: 3,
  pollIntervalMs: 1000,
  mempool: false,
  tokens: [],
};
