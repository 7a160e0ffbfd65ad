/**
 * Wires the parts together: database, chains, engine, app, and the
 * background loops (start/stop). The entry point and the tests both build
 * Payframe through here.
 */
import { randomUUID } from 'node:crypto';
import { createApp } from './app';
import { createReplayGuard } from './api/replay-guard';
import type { ChainAdapter } from './chains/adapter';
import { chainCurrencies, type AnyChainConfig } from './chains/chains-file';
import { EvmChain } from './chains/evm/evm-chain';
import { SandboxChain } from './chains/sandbox';
import { UtxoChain } from './chains/utxo/utxo-chain';
import { walletChains } from './chains/wallet-chain';
import { explorers } from './chains/explorers';
import type { Clock } from './clock';
import { listenForChanges } from './cluster/invoice-changes';
import { createPostgresLeadership, soleLeadership } from './cluster/leadership';
import { checkpointOffThread, type Checkpointer } from './db/checkpointer';
import { openDatabase } from './db/open';
import { Bus } from './events/bus';
import { createLimiters, DEFAULT_LIMITS, type Limits } from './http/rate-limit';
import { createEngine } from './invoices/engine';
import type { Logger } from './logger';
import { CurrencyTable } from './money/currencies';
import { DEFAULT_FIXED_RATES } from './rates/fixed';
import { createRates, type RatesConfig } from './rates/rates';
import type { SecretBox } from './secrets/secret-box';
import { sealStoredSecrets } from './secrets/seal-stored';
import { systemLookup, type LookupFn } from './webhooks/targets';
import { createDeliveryWorker } from './webhooks/worker';

export interface RuntimeOptions {
  /** The SQLite file, unless `databaseUrl` is given. */
  dbFile: string;
  /** PostgreSQL (postgres://…), which several instances may share; then `dbFile` is not opened. */
  databaseUrl?: string | undefined;
  /** The master key's box (secrets/master-key.ts); API secrets, webhook secrets and xpubs are stored sealed under it. */
  secrets: SecretBox;
  /** During a master-key rotation, the key being retired: what is still sealed under it is sealed again under `secrets` at start. */
  previousSecrets?: SecretBox | undefined;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  sandbox: boolean;
  sandboxFinalConfirmations?: number;
  /** The chains of CHAINS_FILE (EVM and UTXO); they take precedence over the sandbox for their currencies. */
  chainConfigs?: readonly AnyChainConfig[];
  heartbeatMs?: number;
  /** Webhook delivery. Private targets are allowed while the sandbox is on, unless said otherwise; the schedule is Calypso's. */
  webhooks?: { allowPrivateTargets?: boolean; scheduleMs?: readonly number[] | undefined; lookup?: LookupFn };
  limits?: Limits;
  /** Refuse replayed signed requests (default on; off only for benchmarks). */
  replayProtection?: boolean;
  /** Where fiat invoices' rates come from; by default the fixed table alone (DEFAULT_FIXED_RATES). */
  rates?: RatesConfig;
  /** How long a fiat invoice's quote holds (default 15 minutes). */
  quoteLockMs?: number;
  /** This instance's name in the leases table (several instances on PostgreSQL); random by default. */
  instanceId?: string | undefined;
}

/** The role of the work done once for all chains: re-quoting fiat invoices, pruning the replay store. */
const SWEEPS = 'sweeps';

const SANDBOX_RATES: RatesConfig = { sources: ['fixed'], fixed: DEFAULT_FIXED_RATES, timeoutMs: 3000, cacheMs: 60_000, maxAgeMs: 300_000 };
const DEFAULT_QUOTE_LOCK_MS = 15 * 60 * 1000;

/** How often the background loops run (ms). */
export interface Cadences {
  /** Mine a sandbox block (0: only on request). */
  sandboxAutoMineMs: number;
  /** Archive invoices whose time is up, and quote again fiat invoices whose quote expired. */
  expiryMs: number;
  /** Forget accepted signatures whose timestamp left the window. */
  replayPruneMs: number;
  /** Look for due webhook deliveries besides the wake-ups of new events. */
  webhookPollMs: number;
  /** SQLite: checkpoint the WAL on a worker thread this often (db/checkpointer.ts); 0: in the commits, as SQLite does by itself. */
  walCheckpointMs: number;
}

const DEFAULT_CADENCES: Cadences = { sandboxAutoMineMs: 0, expiryMs: 1000, replayPruneMs: 60_000, webhookPollMs: 250, walCheckpointMs: 25 };

export async function createRuntime(opts: RuntimeOptions) {
  const db = await openDatabase(opts.databaseUrl ? { postgres: opts.databaseUrl } : { sqlite: opts.dbFile });
  const { clock, log, secrets } = opts;
  try {
    const report = await sealStoredSecrets(db, secrets, opts.previousSecrets);
    if (report.sealed > 0) log.info(`Sealed ${report.sealed} secrets stored in the clear by an earlier version`);
    if (report.resealed > 0) log.info(`Sealed ${report.resealed} secrets again under the new master key; the previous one is no longer needed`);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const bus = new Bus();
  const chains: ChainAdapter[] = [];
  const configs = opts.chainConfigs ?? [];
  const currencies = new CurrencyTable(configs.flatMap(chainCurrencies));
  for (const config of configs) {
    chains.push(config.kind === 'utxo' ? new UtxoChain({ config, db, clock, secrets, log }) : new EvmChain({ config, currencies: chainCurrencies(config), db, clock, secrets, log }));
  }
  let sandbox: SandboxChain | undefined;
  if (opts.sandbox) {
    sandbox = new SandboxChain({ finalConfirmations: opts.sandboxFinalConfirmations });
    chains.push(sandbox);
  }
  const rates = createRates(opts.rates ?? SANDBOX_RATES, clock);
  const instanceId = opts.instanceId ?? randomUUID();
  const engine = createEngine({ db, clock, chains, currencies, bus, log, rates, quoteLockMs: opts.quoteLockMs ?? DEFAULT_QUOTE_LOCK_MS, instanceId });
  // Each chain's watcher, and the sweeps, on one instance at a time (cluster/leadership.ts): with SQLite this one, at once.
  let sandboxAutoMineMs = 0;
  const chainRole = (id: string) => `chain:${id}`;
  const onLeadership = async (role: string, leading: boolean) => {
    const chain = chains.find((c) => chainRole(c.id) === role);
    if (!chain) return;
    if (!leading) return chain.stop();
    await chain.start(engine.sink);
    if (chain === sandbox && sandboxAutoMineMs > 0) sandbox.startAutoMine(sandboxAutoMineMs);
  };
  const roles = [...chains.map((c) => chainRole(c.id)), SWEEPS];
  const leadership = opts.databaseUrl
    ? await createPostgresLeadership({ url: opts.databaseUrl, roles, instanceId, onChange: onLeadership, log })
    : await soleLeadership(roles, onLeadership);
  // Other instances' changes wake this one's bus: its SSE streams, its webhook worker. An invoice created
  // elsewhere is watched from then on by the leader of its chain, if that is this instance.
  const listener = opts.databaseUrl
    ? await listenForChanges({
        url: opts.databaseUrl,
        instanceId,
        log,
        heard(change) {
          bus.publish(change);
          if (change.version === 1) void watchCreatedElsewhere(change.invoiceId).catch((err: unknown) => log.error('watching a new invoice failed', { error: String(err) }));
        },
      })
    : undefined;
  async function watchCreatedElsewhere(invoiceId: string): Promise<void> {
    const row = await db.selectFrom('invoices').select(['chain', 'address']).where('id', '=', invoiceId).executeTakeFirst();
    const chain = row && chains.find((c) => c.id === row.chain);
    if (chain && leadership.leads(chainRole(chain.id))) chain.watch?.(row.address);
  }
  const webhookTargets = { allowPrivate: opts.webhooks?.allowPrivateTargets ?? opts.sandbox, lookup: opts.webhooks?.lookup ?? systemLookup };
  // Tests drive it with runDue(); start() runs it in the background.
  const webhooks = createDeliveryWorker({ db, secrets, clock, log, targets: webhookTargets, scheduleMs: opts.webhooks?.scheduleMs });
  bus.subscribeAll((change) => change.webhooks !== false && webhooks.wake());
  const replayGuard = opts.replayProtection === false ? undefined : createReplayGuard(db);
  const limiters = createLimiters(opts.limits ?? DEFAULT_LIMITS, clock);
  const app = createApp({ db, secrets, clock, bus, engine, log, publicUrl: opts.publicUrl, walletChains: walletChains(configs), explorers: explorers(configs), sandbox, heartbeatMs: opts.heartbeatMs, webhookTargets, limiters, replayGuard, rates });

  const timers: NodeJS.Timeout[] = [];
  let checkpointer: Promise<Checkpointer> | undefined;
  const every = (ms: number, what: string, run: () => Promise<unknown>) => {
    if (ms > 0) timers.push(setInterval(() => void run().catch((err: unknown) => log.error(`${what} failed`, { error: String(err) })), ms));
  };

  /**
   * Stops every background loop: start()'s, and the chains' (connected at
   * creation, since the sandbox takes no payment and an EVM chain follows no
   * block without). Resolves when none has work left; the database stays
   * open until close(). A stopped runtime is not started again.
   */
  async function stop(): Promise<void> {
    for (const timer of timers.splice(0)) clearInterval(timer);
    await (await checkpointer)?.stop();
    sandbox?.stopAutoMine();
    await webhooks.stop();
    // Stops the chains this instance leads, and hands their roles to the other instances at once.
    await leadership.stop();
    await listener?.stop();
  }

  return {
    /** This instance's name in the leases table and in its notifications. */
    instanceId,
    db,
    secrets,
    bus,
    chains,
    currencies,
    engine,
    sandbox,
    rates,
    limiters,
    app,
    webhooks,
    replayGuard,

    /** Starts the background loops: expiry, webhook delivery, replay-store pruning, sandbox mining. */
    start(cadences: Partial<Cadences> = {}): void {
      const c = { ...DEFAULT_CADENCES, ...cadences };
      sandboxAutoMineMs = c.sandboxAutoMineMs;
      if (sandbox && c.sandboxAutoMineMs > 0 && leadership.leads(chainRole(sandbox.id))) sandbox.startAutoMine(c.sandboxAutoMineMs);
      webhooks.start(c.webhookPollMs);
      if (!opts.databaseUrl && c.walCheckpointMs > 0) checkpointer = checkpointOffThread(db, opts.dbFile, log, c.walCheckpointMs);
      // Every instance expires the invoices of the chains it watches; the rest once, by the sweeps' leader.
      every(c.expiryMs, 'expiry sweep', () => engine.expireDue((chain) => leadership.leads(chainRole(chain))));
      every(c.expiryMs, 'quote sweep', async () => leadership.leads(SWEEPS) && engine.requoteDue());
      if (replayGuard) every(c.replayPruneMs, 'replay-store pruning', async () => leadership.leads(SWEEPS) && replayGuard.prune(clock.now()));
    },

    stop,

    async close(): Promise<void> {
      await stop();
      await db.destroy();
    },
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
