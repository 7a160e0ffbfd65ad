import Sqlite from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHarness, harnessPerTest } from '../testing/harness';
import { DAY_MS } from './state-machine';
import { createTrigger } from '../testing/trigger';
import { testOnPostgres } from '../testing/template-db';

const OTHER_BUYER = '0x000000000000000000000000000000000000b0b0';

describe('invoice engine (sandbox chain)', () => {
  const h = harnessPerTest();

  const history = async (id: string) =>
    (await h.db.selectFrom('status_history').select(['to_state', 'intervention_type']).where('invoice_id', '=', id).orderBy('id').execute()).map(
      (r) => (r.intervention_type ? `${r.to_state}/${r.intervention_type}` : r.to_state),
    );

  it('moves a fully paid invoice through MEM_POOL_FOUND, PAID and COMPLETED as blocks are mined', async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    await h.pay(inv.invoiceAddress, '0.01');
    expect((await h.state(inv.id)).state).toBe('MEM_POOL_FOUND');
    await h.mine();
    expect((await h.state(inv.id)).state).toBe('PAID');
    await h.mine();
    expect((await h.state(inv.id)).state).toBe('PAID');
    await h.mine();
    expect(await h.state(inv.id)).toMatchObject({ state: 'COMPLETED', amountPaid: '0.01' });
    expect(await history(inv.id)).toEqual(['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'COMPLETED']);
  });

  it('pays a token invoice in its own units', async () => {
    const inv = await h.createInvoice({ amount: '12.345678', currency: 'USDT' });
    await h.pay(inv.invoiceAddress, '12.345678', { currency: 'USDT' });
    await h.mine(3);
    expect(await h.state(inv.id)).toMatchObject({ state: 'COMPLETED', amountPaid: '12.345678' });
  });

  it('ignores a payment in another currency than the invoice', async () => {
    const inv = await h.createInvoice({ amount: 10, currency: 'USDT' });
    await h.pay(inv.invoiceAddress, '10', { currency: 'ETH' });
    await h.mine();
    expect(await h.state(inv.id)).toMatchObject({ state: 'PENDING_PAYMENT', amountPaid: '0' });
  });

  it('counts 99.5 % of the amount as paid', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '0.995');
    await h.mine();
    expect((await h.state(inv.id)).state).toBe('PAID');
  });

  it('puts an underpaid invoice into UNDERPAY and completes it on a top-up from the same sender', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '0.6');
    await h.mine();
    expect(await h.state(inv.id)).toMatchObject({ state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', amountPaid: '0.6' });
    const view = (await (await h.app.request(`/api/checkout/${inv.id}`)).json()) as { amountDue: string; paymentUri: string };
    expect(view.amountDue).toBe('0.4');
    expect(view.paymentUri).toContain(`value=${400000000000000000n}`);

    await h.pay(inv.invoiceAddress, '0.4');
    expect((await h.state(inv.id)).state).toBe('MEM_POOL_FOUND');
    await h.mine();
    expect(await h.state(inv.id)).toMatchObject({ state: 'PAID', interventionType: null, amountPaid: '1' });
    await h.mine(2);
    expect((await h.state(inv.id)).state).toBe('COMPLETED');
  });

  it('keeps an underpaid invoice in intervention when the top-up comes from another sender', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '0.6');
    await h.mine();
    await h.pay(inv.invoiceAddress, '0.4', { from: OTHER_BUYER });
    await h.mine(3);
    expect(await h.state(inv.id)).toMatchObject({ state: 'PENDING_INTERVENTION', interventionType: 'MULTIPLE_SENDERS' });
  });

  it('flags an overpayment beyond the tolerance as OVERPAY', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '1.01');
    await h.mine();
    expect(await h.state(inv.id)).toMatchObject({ state: 'PENDING_INTERVENTION', interventionType: 'OVERPAY' });
  });

  it('flags payments from two senders as MULTIPLE_SENDERS even when they add up', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '0.5');
    await h.pay(inv.invoiceAddress, '0.5', { from: OTHER_BUYER });
    await h.mine();
    expect(await h.state(inv.id)).toMatchObject({ state: 'PENDING_INTERVENTION', interventionType: 'MULTIPLE_SENDERS' });
  });

  it('archives an unpaid invoice at expiry and flags a payment within 24 h after it as LATE_PAYMENT', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    h.clock.advance(DAY_MS - 1);
    expect(await h.engine.expireDue()).toBe(0);
    h.clock.advance(1);
    expect(await h.engine.expireDue()).toBe(1);
    expect((await h.state(inv.id)).state).toBe('ARCHIVED');

    await h.pay(inv.invoiceAddress, '1');
    await h.mine();
    expect(await h.state(inv.id)).toMatchObject({ state: 'PENDING_INTERVENTION', interventionType: 'LATE_PAYMENT' });
  });

  it('ignores payments more than 24 h after expiry', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    h.clock.advance(2 * DAY_MS + 1);
    await h.engine.expireDue();
    await h.pay(inv.invoiceAddress, '1');
    await h.mine();
    expect(await h.state(inv.id)).toMatchObject({ state: 'ARCHIVED', amountPaid: '0' });
  });

  it('does not archive an invoice whose payment was broadcast before expiry', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '1');
    h.clock.advance(DAY_MS + 1);
    await h.engine.expireDue();
    expect((await h.state(inv.id)).state).toBe('MEM_POOL_FOUND');
    await h.mine();
    expect((await h.state(inv.id)).state).toBe('PAID');
  });

  it('moves a PAID invoice back when a reorg drops the paying transaction, and never completes it', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '1');
    await h.mine();
    expect((await h.state(inv.id)).state).toBe('PAID');
    await h.sandbox!.reorg(1, 'all');
    expect(await h.state(inv.id)).toMatchObject({ state: 'PENDING_PAYMENT', amountPaid: '0' });
    await h.mine(5);
    expect((await h.state(inv.id)).state).toBe('PENDING_PAYMENT');
  });

  it('returns a reorged payment to the mempool and confirms it again when it is re-mined', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '1');
    await h.mine(2);
    await h.sandbox!.reorg(2);
    expect((await h.state(inv.id)).state).toBe('MEM_POOL_FOUND');
    await h.mine(3);
    expect(await h.state(inv.id)).toMatchObject({ state: 'COMPLETED', amountPaid: '1' });
  });

  it('credits a payment observed many times exactly once', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    const obs = { chain: 'sandbox', txHash: '0xabc', position: 0, to: inv.invoiceAddress, from: OTHER_BUYER, currency: 'ETH', amount: 10n ** 18n, block: null };
    await Promise.all([h.engine.sink.payment(obs), h.engine.sink.payment(obs), h.engine.sink.payment({ ...obs, amount: 5n })]);
    await h.engine.sink.payment({ ...obs, block: { number: 1, hash: '0x01' } });
    const payments = await h.db.selectFrom('payments').selectAll().where('invoice_id', '=', inv.id).execute();
    expect(payments).toHaveLength(1);
    expect(payments[0]!.amount).toBe((10n ** 18n).toString());
    expect((await h.state(inv.id)).amountPaid).toBe('1');
  });

  it('bumps the version and stores the view for every change', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '1');
    await h.mine(3);
    const versions = await h.db.selectFrom('invoice_versions').select(['version', 'state']).where('invoice_id', '=', inv.id).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5]);
    expect(versions.map((v) => v.state)).toEqual(['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'PAID', 'COMPLETED']);
  });

  it('stops writing versions for an invoice in intervention once its payments are final', async () => {
    const inv = await h.createInvoice({ amount: 1 });
    await h.pay(inv.invoiceAddress, '0.5');
    await h.mine(3);
    const version = async () => (await h.db.selectFrom('invoices').select('version').where('id', '=', inv.id).executeTakeFirstOrThrow()).version;
    const settled = await version();
    await h.mine(20);
    expect(await version()).toBe(settled);
    expect(await h.state(inv.id)).toMatchObject({ state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY' });
  });

  it('hands out a distinct address to every invoice, even when created concurrently', async () => {
    const invoices = await Promise.all(Array.from({ length: 25 }, (_, i) => h.createInvoice({ description: `order ${i}` })));
    expect(new Set(invoices.map((i) => i.invoiceAddress)).size).toBe(25);
  });

  it('derives the address while no transaction holds the database', async () => {
    // A second connection with no patience: BEGIN IMMEDIATE fails at once while Payframe holds the write lock.
    const probe = new Sqlite(join(h.dir, 'payframe.db'), { timeout: 0 });
    const sandbox = h.sandbox!;
    const deriver = sandbox.addressDeriver.bind(sandbox);
    const databaseFree: boolean[] = [];
    sandbox.addressDeriver = async (account, currency) => {
      const derive = await deriver(account, currency);
      return (index) => {
        try {
          probe.exec('begin immediate; rollback');
          databaseFree.push(true);
        } catch {
          databaseFree.push(false);
        }
        return derive(index);
      };
    };
    try {
      // One after the other: concurrent creations may derive while another one's transaction runs, as they should.
      for (let i = 0; i < 3; i++) await h.createInvoice();
      expect(databaseFree).toEqual([true, true, true]);
    } finally {
      probe.close();
    }
  });

  it('takes no address index for a retry with the same idempotency key', async () => {
    const nextIndex = async () => (await h.db.selectFrom('address_counters').select('next_index').executeTakeFirstOrThrow()).next_index;
    const first = await h.createInvoice({ idempotencyKey: 'order-7' });
    const before = await nextIndex();
    const again = await h.createInvoice({ idempotencyKey: 'order-7' });
    expect(again.id).toBe(first.id);
    expect(await nextIndex()).toBe(before);
    await h.createInvoice({ idempotencyKey: 'order-8' });
    expect(await nextIndex()).toBe(before + 1);
  });
});

describe('invoice engine invariants (property)', () => {
  type Action =
    | { kind: 'pay'; millis: number; sender: 0 | 1 }
    | { kind: 'mine'; blocks: number }
    | { kind: 'reorg'; depth: number; dropAll: boolean }
    | { kind: 'replay' };

  const action: fc.Arbitrary<Action> = fc.oneof(
    fc.record({ kind: fc.constant('pay' as const), millis: fc.integer({ min: 1, max: 1200 }), sender: fc.constantFrom(0 as const, 1 as const) }),
    fc.record({ kind: fc.constant('mine' as const), blocks: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('reorg' as const), depth: fc.integer({ min: 1, max: 3 }), dropAll: fc.boolean() }),
    fc.record({ kind: fc.constant('replay' as const) }),
  );

  it('never credits a payment twice and never completes without final confirmations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), async (actions) => {
        const h = await createHarness();
        try {
          const inv = await h.createInvoice({ amount: 1 });
          const seen: { txHash: string; amount: bigint; from: string }[] = [];
          let completed = false;
          for (const a of actions) {
            if (a.kind === 'pay') {
              const from = a.sender === 0 ? undefined : OTHER_BUYER;
              const amount = (BigInt(a.millis) * 10n ** 18n) / 1000n;
              const txHash = await h.pay(inv.invoiceAddress, (a.millis / 1000).toFixed(3), { from });
              seen.push({ txHash, amount, from: from ?? '' });
            } else if (a.kind === 'mine') {
              await h.mine(a.blocks);
            } else if (a.kind === 'reorg') {
              await h.sandbox!.reorg(a.depth, a.dropAll ? 'all' : []);
            } else {
              // A chain adapter reporting the same transfer again (e.g. after a restart).
              for (const p of seen) {
                await h.engine.sink.payment({ chain: 'sandbox', txHash: p.txHash, position: 0, to: inv.invoiceAddress, from: p.from, currency: 'ETH', amount: 7n, block: null });
              }
            }
            const row = await h.db.selectFrom('invoices').selectAll().where('id', '=', inv.id).executeTakeFirstOrThrow();
            const live = await h.db.selectFrom('payments').selectAll().where('invoice_id', '=', inv.id).where('removed', '=', 0).execute();
            const all = await h.db.selectFrom('payments').select('tx_hash').where('invoice_id', '=', inv.id).execute();
            expect(new Set(all.map((p) => p.tx_hash)).size).toBe(all.length);
            for (const p of all) expect(seen.some((s) => s.txHash === p.tx_hash)).toBe(true);
            const credited = live.reduce((sum, p) => sum + BigInt(p.amount), 0n);
            const expected = seen.filter((s) => live.some((p) => p.tx_hash === s.txHash)).reduce((sum, s) => sum + s.amount, 0n);
            expect(credited).toBe(expected);
            expect(BigInt(row.amount_paid)).toBe(credited);
            if (completed) expect(row.state).toBe('COMPLETED');
            if (row.state === 'COMPLETED' && !completed) {
              // Checked when it completes: payments that arrive afterwards are extra, not what completed it.
              completed = true;
              const height = await h.engine.chainHeight('sandbox');
              for (const p of live) {
                if (p.block_number === null) continue;
                expect(height - p.block_number + 1).toBeGreaterThanOrEqual(row.final_confirmations);
              }
            }
          }
        } finally {
          await h.destroy();
        }
      }),
      // Each run builds Payframe on a fresh database, which costs more on PostgreSQL: fewer runs there, the property the same.
      { numRuns: testOnPostgres ? 10 : 40 },
    );
  }, 120_000);
});

describe('a block that pays many invoices', () => {
  const h = harnessPerTest();

  it('moves every invoice it pays, each once, with its version and its history', async () => {
    // More than two of the batch's multi-row inserts (50 rows each), and some rows left over.
    const invoices = await Promise.all(Array.from({ length: 110 }, () => h.createInvoice({ amount: 0.01 })));
    for (const inv of invoices) await h.pay(inv.invoiceAddress, '0.01');
    await h.mine();
    let lastPaidId = 0;
    for (const inv of invoices) {
      expect((await h.state(inv.id)).state).toBe('PAID');
      const versions = await h.db.selectFrom('invoice_versions').select(['version', 'state', 'view']).where('invoice_id', '=', inv.id).orderBy('version').execute();
      expect(versions.map((v) => v.state)).toEqual(['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID']);
      expect(versions.map((v) => (JSON.parse(v.view) as { id: string; version: number; state: string }))).toMatchObject(versions.map((v) => ({ id: inv.id, version: v.version, state: v.state })));
      const history = await h.db.selectFrom('status_history').select(['id', 'from_state', 'to_state', 'reason']).where('invoice_id', '=', inv.id).orderBy('id').execute();
      expect(history.map((r) => [r.from_state, r.to_state, r.reason])).toEqual([
        [null, 'PENDING_PAYMENT', 'created'],
        ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'payment in mempool'],
        ['MEM_POOL_FOUND', 'PAID', 'payment confirmed'],
      ]);
      // The block's rows in the order of its payments.
      expect(history[2]!.id).toBeGreaterThan(lastPaidId);
      lastPaidId = history[2]!.id;
    }
  });

  it('still changes the other invoices when the change of one of them fails', async () => {
    const [broken, ...fine] = await Promise.all(Array.from({ length: 4 }, () => h.createInvoice({ amount: 0.01 })));
    for (const inv of [broken!, ...fine]) await h.pay(inv.invoiceAddress, '0.01');
    await createTrigger(h.db, 'refuse_paid', 'AFTER INSERT ON invoice_versions', `NEW.invoice_id = '${broken!.id}' AND NEW.state = 'PAID'`, { refuse: 'refused by the test' });
    await h.mine().catch(() => undefined);
    for (const inv of fine) expect((await h.state(inv.id)).state).toBe('PAID');
    expect((await h.state(broken!.id)).state).toBe('MEM_POOL_FOUND');
  });
});

describe('invoices created together', () => {
  const h = harnessPerTest();

  it('give each invoice its own merchant’s overpay tolerance, though their batch reads each merchant once', async () => {
    const other = await h.newMerchant();
    await h.db.updateTable('merchants').set({ overpay_tolerance_bps: 250 }).where('account', '=', other.account).execute();
    const create = (merchant?: typeof other) => h.call('/api/v1/invoice/single/create', { amount: 1, currency: 'ETH', description: 'Order' }, { merchant }).then((r) => r.json() as Promise<{ id: string }>);
    // Handed over in one turn: one group commit's batch.
    const made = await Promise.all([create(), create(other), create(), create(other)]);
    const tolerances = await Promise.all(made.map(({ id }) => h.db.selectFrom('invoices').select(['account', 'overpay_tolerance']).where('id', '=', id).executeTakeFirstOrThrow()));
    expect(tolerances.map((t) => [t.account, t.overpay_tolerance])).toEqual([
      [h.merchant.account, '0'],
      [other.account, (10n ** 18n / 40n).toString()],
      [h.merchant.account, '0'],
      [other.account, (10n ** 18n / 40n).toString()],
    ]);
    // Their first versions and history rows, which the batch writes together before it commits.
    for (const { id } of made) {
      const versions = await h.db.selectFrom('invoice_versions').select(['version', 'view']).where('invoice_id', '=', id).execute();
      expect(versions.map((v) => [v.version, (JSON.parse(v.view) as { id: string }).id])).toEqual([[1, id]]);
      const history = await h.db.selectFrom('status_history').select(['from_state', 'to_state', 'reason']).where('invoice_id', '=', id).execute();
      expect(history).toEqual([{ from_state: null, to_state: 'PENDING_PAYMENT', reason: 'created' }]);
    }
  });
});
