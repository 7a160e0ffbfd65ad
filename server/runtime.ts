/**
 * Wires the parts together: database, chains, engine, app. The entry point
 * and the tests both build Payframe through here.
 */
import { createApp } from './app';
import type { ChainAdapter } from './chains/adapter';
import { SANDBOX_CHAIN, SandboxChain } from './chains/sandbox';
import { openSqlite } from './db/open';
import { Bus } from './events/bus';
import type { Logger } from './http/errors';
import { CurrencyTable } from './money/currencies';
import { chainCurrencies, type ChainConfig } from './chains/chains-file';
import { EvmChain } from './chains/evm/evm-chain';
import { createEngine, type Clock } from './invoices/engine';
import { systemLookup, type LookupFn } from './webhooks/targets';
import { createDeliveryWorker } from './webhooks/worker';

export interface RuntimeOptions {
  dbFile: string;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  sandbox: boolean;
  sandboxFinalConfirmations?: number;
  /** EVM chains from CHAINS_FILE; they take precedence over the sandbox for their currencies. */
  evmChains?: readonly ChainConfig[];
  heartbeatMs?: number;
  /** Webhook delivery. Private targets are allowed while the sandbox is on, unless said otherwise; the schedule is Calypso's. */
  webhooks?: { allowPrivateTargets?: boolean; scheduleMs?: readonly number[] | undefined; lookup?: LookupFn };
}

export async function createRuntime(opts: RuntimeOptions) {
  const db = await openSqlite(opts.dbFile);
  const bus = new Bus();
  const chains: ChainAdapter[] = [];
  const evm = opts.evmChains ?? [];
  const currencies = new CurrencyTable(evm.flatMap(chainCurrencies));
  for (const config of evm) chains.push(new EvmChain({ config, currencies: chainCurrencies(config), db, log: opts.log }));
  let sandbox: SandboxChain | undefined;
  if (opts.sandbox) {
    const tip = await db.selectFrom('chain_tips').select('height').where('chain', '=', SANDBOX_CHAIN).executeTakeFirst();
    const unmined = await db
      .selectFrom('payments')
      .innerJoin('invoices', 'invoices.id', 'payments.invoice_id')
      .select(['payments.tx_hash', 'payments.sender', 'invoices.address', 'payments.currency', 'payments.amount'])
      .where('payments.chain', '=', SANDBOX_CHAIN)
      .where('payments.removed', '=', 0)
      .where('payments.block_number', 'is', null)
      .execute();
    sandbox = new SandboxChain({
      startHeight: tip?.height ?? 0,
      finalConfirmations: opts.sandboxFinalConfirmations,
      mempool: unmined.map((p) => ({ hash: p.tx_hash, from: p.sender, to: p.address, currency: p.currency, amount: BigInt(p.amount) })),
    });
    chains.push(sandbox);
  }
  const engine = createEngine({ db, clock: opts.clock, chains, currencies, bus, log: opts.log });
  for (const chain of chains) await chain.start(engine.sink);
  const webhookTargets = { allowPrivate: opts.webhooks?.allowPrivateTargets ?? opts.sandbox, lookup: opts.webhooks?.lookup ?? systemLookup };
  // Started by the entry point (main.ts); tests drive it with runDue().
  const webhooks = createDeliveryWorker({ db, clock: opts.clock, log: opts.log, targets: webhookTargets, scheduleMs: opts.webhooks?.scheduleMs });
  bus.subscribeAll(() => webhooks.wake());
  const app = createApp({ db, clock: opts.clock, bus, engine, log: opts.log, publicUrl: opts.publicUrl, sandbox, heartbeatMs: opts.heartbeatMs, webhookTargets });
  return {
    db,
    bus,
    chains,
    currencies,
    engine,
    sandbox,
    app,
    webhooks,
    async close() {
      await webhooks.stop();
      for (const chain of chains) await chain.stop();
      await db.destroy();
    },
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
