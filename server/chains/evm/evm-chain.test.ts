import { BlockNotFoundError, createPublicClient, http, parseUnits, type Hex, type PublicClient } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { beforeEach, describe, expect, it } from 'vitest';
import { setXpub } from '../../merchants/xpubs';
import { TEST_TOKEN } from '../../testing/anvil';
import { anvil, chainConfig, chainNow, MERCHANT_MNEMONIC, MERCHANT_XPUB, nextBlockAt, sendEth, token, useAnvilChain, waitFor } from '../../testing/evm-fixture';
import { watchTables } from '../../testing/table-guard';
import { FakeClock, harnessPerTest, silentLog } from '../../testing/harness';
import { DAY_MS } from '../../invoices/state-machine';
import type { ChainSink } from '../adapter';
import { chainCurrencies } from '../chains-file';
import { EvmChain } from './evm-chain';

useAnvilChain();

/**
 * A client for anvil that, while `lag.polls` lasts, answers as a backend
 * `lag.behind` blocks behind would (as a load-balanced RPC can): a lower
 * head, and no block above it.
 */
function laggingClient(lag: { polls: number; behind: number }): PublicClient {
  const node = createPublicClient({ transport: http(anvil.rpcUrl, { retryCount: 0 }), cacheTime: 0 });
  let lagHead: bigint | undefined;
  return new Proxy(node, {
    get(target, prop, receiver) {
      if (prop === 'getBlockNumber') {
        return async (args: Parameters<PublicClient['getBlockNumber']>[0]) => {
          const head = await target.getBlockNumber(args);
          lagHead = lag.polls > 0 ? head - BigInt(lag.behind) : undefined;
          lag.polls = Math.max(0, lag.polls - 1);
          return lagHead ?? head;
        };
      }
      if (prop === 'getBlock') {
        return async (args: { blockNumber?: bigint }) => {
          if (lagHead !== undefined && args.blockNumber !== undefined && args.blockNumber > lagHead) throw new BlockNotFoundError({ blockNumber: args.blockNumber });
          return target.getBlock(args as Parameters<PublicClient['getBlock']>[0]);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

describe('EVM chain adapter against anvil', () => {
  const state = (id: string) => () => h.state(id);
  const intervention = (id: string) => waitFor(state(id), (s) => s.state === 'PENDING_INTERVENTION', 'PENDING_INTERVENTION');
  /**
   * Pays `inv` in a block and waits for PAID, then reorganises that block away: anvil goes back to before the
   * payment and mines a longer branch without it (only the parent hashes tell the scanner).
   */
  const paidThenOrphaned = async (inv: { id: string; invoiceAddress: string }, expectedHash?: string) => {
    const snapshot = await anvil.test.snapshot();
    const hash = await sendEth(1, inv.invoiceAddress, '0.01');
    if (expectedHash) expect(hash).toBe(expectedHash);
    await anvil.mine();
    await waitFor(state(inv.id), (s) => s.state === 'PAID', 'PAID');
    await anvil.test.revert({ id: snapshot });
    await anvil.mine(4);
  };
  /** An invoice whose time ran out before anything arrived: ARCHIVED, still watched. */
  const expiredInvoice = async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    h.clock.advance(DAY_MS + 1000);
    await h.engine.expireDue();
    return inv;
  };
  const sendToken = (buyer: number, to: string, amount: string) =>
    anvil.wallet(buyer).writeContract({ address: token, abi: TEST_TOKEN.abi, functionName: 'transfer', args: [to, parseUnits(amount, 6)], account: anvil.wallet(buyer).account, chain: undefined });
  const expiresAt = async (id: string) => (await h.db.selectFrom('invoices').select('expires_at').where('id', '=', id).executeTakeFirstOrThrow()).expires_at;
  const history = async (id: string) => (await h.db.selectFrom('status_history').select('to_state').where('invoice_id', '=', id).orderBy('id').execute()).map((r) => r.to_state);
  /** Runs `body` while the test token charges a fee of `bps` on every transfer. */
  const withTokenFee = async (bps: number, loggedFirst: boolean, body: () => Promise<void>) => {
    const setFee = (b: number, first: boolean) =>
      anvil.wallet(0).writeContract({ address: token, abi: TEST_TOKEN.abi, functionName: 'setFee', args: [BigInt(b), first], account: anvil.wallet(0).account, chain: undefined });
    await setFee(bps, loggedFirst);
    await anvil.mine();
    try {
      await body();
    } finally {
      await setFee(0, false);
      await anvil.mine();
    }
  };
  /** Every table the restarted adapters' queries touched. */
  let adapterTables: Set<string>;
  /**
   * Stops the harness's adapter and starts another on the same database, as a
   * restarted Payframe would, talking to the node through `client` and
   * reporting to `sink`; `whileDown` runs between the two. It takes the old
   * one's place in the runtime's chain list, where the engine finds it and
   * close() stops it. The tables it touches are added to `adapterTables`.
   */
  const restartAdapter = async (deps: { client?: PublicClient; sink?: ChainSink; whileDown?: () => Promise<unknown> } = {}) => {
    await h.chains[0]!.stop();
    await deps.whileDown?.();
    const watched = watchTables(h.db);
    adapterTables = watched.touched;
    const chain = new EvmChain({ config: chainConfig(), currencies: chainCurrencies(chainConfig()), db: watched.db, clock: h.clock, secrets: h.secrets, log: silentLog, client: deps.client });
    await chain.start(deps.sink ?? h.engine.sink);
    h.chains[0] = chain;
  };
  /** Waits until the adapter has scanned up to the node's head. */
  const synced = async () => {
    const head = Number(await anvil.public.getBlockNumber());
    await waitFor(() => h.engine.chainHeight('anvil'), (height) => height >= head, `scan to block ${head}`);
  };

  const h = harnessPerTest(async () => ({ sandbox: false, chainConfigs: [chainConfig()], clock: new FakeClock(await chainNow()) }));
  beforeEach(async () => {
    await setXpub(h.db, h.secrets, h.merchant.account, 'evm', MERCHANT_XPUB, Date.now());
    await synced();
  });

  it('derives the invoice address from the merchant xpub as wallets do (m/44\'/60\'/0\'/0/i)', async () => {
    const first = await h.createInvoice({ amount: 0.01 });
    const second = await h.createInvoice({ amount: 0.01, description: 'second' });
    expect(first.invoiceAddress).toBe(mnemonicToAccount(MERCHANT_MNEMONIC, { addressIndex: 0 }).address);
    expect(second.invoiceAddress).toBe(mnemonicToAccount(MERCHANT_MNEMONIC, { addressIndex: 1 }).address);
  });

  it('refuses an invoice on the chain for a merchant without an xpub, naming the fix, and creates nothing', async () => {
    const other = await h.newMerchant();
    const res = await h.call('/api/v1/invoice/single/create', { amount: 1, currency: 'ETH', description: 'x' }, { merchant: other });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('set-xpub');
    expect(await h.db.selectFrom('invoices').selectAll().execute()).toHaveLength(0);
  });

  it('follows an ETH payment from the mempool to PAID and COMPLETED', async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    const hash = await sendEth(1, inv.invoiceAddress, '0.01');
    await waitFor(state(inv.id), (s) => s.state === 'MEM_POOL_FOUND', 'MEM_POOL_FOUND');
    await anvil.mine();
    await waitFor(state(inv.id), (s) => s.state === 'PAID', 'PAID');
    await anvil.mine();
    await synced();
    expect((await h.state(inv.id)).state).toBe('PAID');
    await anvil.mine();
    const done = await waitFor(state(inv.id), (s) => s.state === 'COMPLETED', 'COMPLETED');
    expect(done.amountPaid).toBe('0.01');
    const payments = await h.db.selectFrom('payments').selectAll().where('invoice_id', '=', inv.id).execute();
    expect(payments.map((p) => [p.tx_hash, p.sender])).toEqual([[hash, anvil.wallet(1).account.address.toLowerCase()]]);
  });

  it('follows an ERC-20 payment of the 6-decimal test token the same way', async () => {
    const inv = await h.createInvoice({ amount: '25.5', currency: 'USDT' });
    const view = (await (await h.app.request(`/api/checkout/${inv.id}`)).json()) as { paymentUri: string };
    expect(view.paymentUri).toBe(`ethereum:${token}@31337/transfer?address=${inv.invoiceAddress}&uint256=25500000`);
    await sendToken(1, inv.invoiceAddress, '25.5');
    await waitFor(state(inv.id), (s) => s.state === 'MEM_POOL_FOUND', 'MEM_POOL_FOUND');
    await anvil.mine();
    await waitFor(state(inv.id), (s) => s.state === 'PAID', 'PAID');
    await anvil.mine(2);
    expect(await waitFor(state(inv.id), (s) => s.state === 'COMPLETED', 'COMPLETED')).toMatchObject({ amountPaid: '25.5' });
  });

  it('completes an underpaid invoice on a top-up from the same sender', async () => {
    const inv = await h.createInvoice({ amount: 10, currency: 'USDT' });
    await sendToken(1, inv.invoiceAddress, '4');
    await anvil.mine();
    await waitFor(state(inv.id), (s) => s.interventionType === 'UNDERPAY', 'UNDERPAY');
    await sendToken(1, inv.invoiceAddress, '6');
    await anvil.mine();
    expect(await waitFor(state(inv.id), (s) => s.state === 'PAID', 'PAID')).toMatchObject({ amountPaid: '10', interventionType: null });
  });

  it('sends payments from two senders to the merchant as MULTIPLE_SENDERS', async () => {
    const inv = await h.createInvoice({ amount: 0.02 });
    await sendEth(1, inv.invoiceAddress, '0.01');
    await sendEth(2, inv.invoiceAddress, '0.01');
    await anvil.mine();
    expect(await intervention(inv.id)).toMatchObject({ interventionType: 'MULTIPLE_SENDERS' });
  });

  it('flags an overpayment', async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    await sendEth(1, inv.invoiceAddress, '0.02');
    await anvil.mine();
    expect(await intervention(inv.id)).toMatchObject({ interventionType: 'OVERPAY' });
  });

  it('keeps watching an expired invoice and flags a payment mined after expiry as LATE_PAYMENT', async () => {
    const inv = await expiredInvoice();
    expect((await h.state(inv.id)).state).toBe('ARCHIVED');
    await sendEth(1, inv.invoiceAddress, '0.01');
    await nextBlockAt((await expiresAt(inv.id)) + 1000);
    await anvil.mine();
    expect(await intervention(inv.id)).toMatchObject({ interventionType: 'LATE_PAYMENT' });
  });

  it('follows a late payment it has recorded to its confirmations when the block comes after the late window', async () => {
    const inv = await expiredInvoice();
    await sendEth(1, inv.invoiceAddress, '0.01');
    await waitFor(state(inv.id), (s) => s.interventionType === 'LATE_PAYMENT', 'LATE_PAYMENT from the mempool');
    await h.engine.resolve(h.merchant.account, inv.id, 'ACCEPT');
    // The transaction waits in the mempool until the window has closed, by both clocks.
    h.clock.advance(DAY_MS);
    await nextBlockAt((await expiresAt(inv.id)) + DAY_MS + 60_000);
    await anvil.mine(3);
    expect(await waitFor(state(inv.id), (s) => s.state === 'COMPLETED', 'COMPLETED')).toMatchObject({ amountPaid: '0.01' });
  });

  it('moves an invoice back when a reorg drops the paying transaction, and never completes it', async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    await paidThenOrphaned(inv);
    await waitFor(state(inv.id), (s) => s.state === 'PENDING_PAYMENT', 'back to PENDING_PAYMENT');
    await synced();
    const row = await h.db.selectFrom('payments').select(['removed']).where('invoice_id', '=', inv.id).executeTakeFirstOrThrow();
    expect(row.removed).toBe(1);
    const history = await h.db.selectFrom('status_history').select('to_state').where('invoice_id', '=', inv.id).execute();
    expect(history.map((r) => r.to_state)).not.toContain('COMPLETED');
  });

  it('redoes a rollback that a crash interrupted, so a payment of an orphaned block never gains confirmations', async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    let crashed = false;
    // The process dies as the rollback puts the first orphaned payment back to pending.
    const crashing: ChainSink = {
      ...h.engine.sink,
      unconfirmed: async () => {
        crashed = true;
        throw new Error('simulated crash');
      },
    };
    await restartAdapter({ sink: crashing });
    await paidThenOrphaned(inv);
    await waitFor(async () => crashed, (c) => c, 'the crash');

    await restartAdapter();
    await waitFor(state(inv.id), (s) => s.state === 'PENDING_PAYMENT', 'back to PENDING_PAYMENT');
    await synced();
    const row = await h.db.selectFrom('payments').select(['removed']).where('invoice_id', '=', inv.id).executeTakeFirstOrThrow();
    expect(row.removed).toBe(1);
    expect(await history(inv.id)).not.toContain('COMPLETED');
  });

  it('learns what the engine recorded only through its sink: a payment pending across a restart, the payments a reorg orphans', async () => {
    const inv = await h.createInvoice({ amount: 0.01 });
    const dropped = await sendEth(1, inv.invoiceAddress, '0.01');
    await waitFor(state(inv.id), (s) => s.state === 'MEM_POOL_FOUND', 'MEM_POOL_FOUND');
    // The transaction leaves the mempool unmined while Payframe is down: only the engine's record says it was pending.
    await restartAdapter({ whileDown: () => anvil.test.dropTransaction({ hash: dropped }) });
    await waitFor(state(inv.id), (s) => s.state === 'PENDING_PAYMENT', 'back to PENDING_PAYMENT after the restart');

    // The same nonce, so the same transaction (and the same payment) as the dropped one.
    await paidThenOrphaned(inv, dropped);
    await waitFor(state(inv.id), (s) => s.state === 'PENDING_PAYMENT', 'back to PENDING_PAYMENT after the reorg');
    await synced();
    expect(await h.db.selectFrom('payments').select(['removed']).where('invoice_id', '=', inv.id).execute()).toEqual([{ removed: 1 }]);
    expect(adapterTables).toContain('chain_blocks');
    expect([...adapterTables].filter((t) => t !== 'chain_blocks' && t !== 'merchant_xpubs')).toEqual([]);
  });

  it('waits for an RPC backend that lags behind the scanned blocks instead of rolling back', async () => {
    const lag = { polls: 0, behind: 2 };
    await restartAdapter({ client: laggingClient(lag) });
    // Blocks Payframe has scanned below the lagging backend's head, as it would have after a while.
    await anvil.mine(lag.behind);
    const inv = await h.createInvoice({ amount: 0.01 });
    await sendEth(1, inv.invoiceAddress, '0.01');
    await anvil.mine();
    await waitFor(state(inv.id), (s) => s.state === 'PAID', 'PAID');
    await synced();
    const version = async () => (await h.db.selectFrom('invoices').select('version').where('id', '=', inv.id).executeTakeFirstOrThrow()).version;
    const before = await version();

    lag.polls = 5;
    await waitFor(async () => lag.polls, (n) => n === 0, 'five polls of the lagging backend');
    expect(await version()).toBe(before);
    await anvil.mine(2);
    await waitFor(state(inv.id), (s) => s.state === 'COMPLETED', 'COMPLETED');
    expect((await history(inv.id)).slice(-2)).toEqual(['PAID', 'COMPLETED']);
  });

  it('credits what a fee-on-transfer token delivered, not what the pending transfer call named', async () => {
    const inv = await h.createInvoice({ amount: 10, currency: 'USDT' });
    await withTokenFee(100, false, async () => {
      await sendToken(1, inv.invoiceAddress, '10');
      await waitFor(state(inv.id), (s) => s.state === 'MEM_POOL_FOUND', 'MEM_POOL_FOUND');
      await anvil.mine();
      expect(await waitFor(state(inv.id), (s) => s.interventionType === 'UNDERPAY', 'UNDERPAY')).toMatchObject({ amountPaid: '9.9' });
    });
  });

  it('withdraws a pending transfer the mined transaction did not make (a fee logged first, as USDT does)', async () => {
    const inv = await h.createInvoice({ amount: 10, currency: 'USDT' });
    await withTokenFee(100, true, async () => {
      await sendToken(1, inv.invoiceAddress, '10');
      await waitFor(state(inv.id), (s) => s.state === 'MEM_POOL_FOUND', 'MEM_POOL_FOUND');
      await anvil.mine();
      expect(await waitFor(state(inv.id), (s) => s.interventionType === 'UNDERPAY', 'UNDERPAY')).toMatchObject({ amountPaid: '9.9' });
    });
    const payments = await h.db.selectFrom('payments').select(['log_index', 'amount', 'removed']).where('invoice_id', '=', inv.id).orderBy('log_index').execute();
    expect(payments).toEqual([
      { log_index: 0, amount: '10000000', removed: 1 },
      { log_index: 1, amount: '9900000', removed: 0 },
    ]);
  });

  it('withdraws a pending token transfer that reverts when mined', async () => {
    const inv = await h.createInvoice({ amount: 10, currency: 'USDT' });
    const broke = anvil.wallet(3);
    // Explicit gas skips estimation, which would refuse the doomed call before it reaches the mempool.
    await broke.writeContract({ address: token, abi: TEST_TOKEN.abi, functionName: 'transfer', args: [inv.invoiceAddress, parseUnits('10', 6)], account: broke.account, chain: undefined, gas: 100_000n });
    await waitFor(state(inv.id), (s) => s.state === 'MEM_POOL_FOUND', 'MEM_POOL_FOUND');
    await anvil.mine();
    expect(await waitFor(state(inv.id), (s) => s.state === 'PENDING_PAYMENT', 'back to PENDING_PAYMENT')).toMatchObject({ amountPaid: '0' });
  });
});
