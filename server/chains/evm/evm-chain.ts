/**
 * The EVM chain adapter. It follows new blocks from a checkpoint persisted in
 * `chain_blocks` (checkpoint.ts), scans each block once for transfers to
 * watched addresses (block-scan.ts: native value and configured ERC-20
 * tokens), reports pending transactions where the node offers them
 * (pending.ts), detects reorgs by parent hash and rolls back to the fork
 * point (../reorg.ts); follower.ts is one round of all that. Here: what the
 * engine asks of the chain; the loop is ../poll-loop.ts. RPC failures are
 * retried with backoff; they never stop the server and never move the checkpoint.
 */
import { HDKey } from '@scure/bip32';
import { createPublicClient, http, type PublicClient } from 'viem';
import { checksumAddress } from '../eip55';
import { evmPayment, type PaymentRequest } from '../../checkout/payment-uri';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { Currency } from '../../money/currencies';
import { findXpub } from '../../merchants/xpubs';
import type { SecretBox } from '../../secrets/secret-box';
import { MissingXpubError, type ChainAdapter, type ChainDb, type ChainSink } from '../adapter';
import type { ChainConfig } from '../chains-file';
import { lowerCaseReceiveAddresses, receiveNode } from '../hd';
import { FollowedChain } from '../followed-chain';
import { PollLoop } from '../poll-loop';
import { Checkpoints } from '../checkpoint';
import { ChainFollower } from './follower';
import { PendingTransfers } from './pending';
import { describeError } from './rpc';
import { transferOf, type ScanContext } from './scan';
import { WatchedAddresses } from '../watched';

export interface EvmChainDeps {
  config: ChainConfig;
  currencies: readonly Currency[];
  db: ChainDb;
  /** Times the watched set's refresh. */
  clock: Clock;
  /** Opens the merchants' xpubs, stored sealed. */
  secrets: SecretBox;
  log: Logger;
  /** Injected for tests; by default an HTTP client for config.rpcUrl. */
  client?: PublicClient;
}

export class EvmChain extends FollowedChain implements ChainAdapter {
  readonly id: string;
  private readonly config: ChainConfig;
  private readonly db: ChainDb;
  private readonly secrets: SecretBox;
  private readonly log: Logger;
  private readonly client: PublicClient;
  private readonly codes: Set<string>;
  protected readonly watched: WatchedAddresses;
  private readonly ctx: ScanContext;
  private readonly derivers = new Map<string, (index: number) => `0x${string}`>();
  /** Set by start(): the rounds of following the chain, reporting to the sink it was started with. */
  protected readonly loop: PollLoop;

  constructor(deps: EvmChainDeps) {
    super();
    this.config = deps.config;
    this.id = deps.config.name;
    this.db = deps.db;
    this.secrets = deps.secrets;
    this.log = deps.log;
    this.codes = new Set(deps.currencies.map((c) => c.code));
    this.client =
      deps.client ??
      createPublicClient({ transport: http(deps.config.rpcUrl, { timeout: 10_000, retryCount: 0 }), cacheTime: 0 });
    this.watched = new WatchedAddresses(deps.clock);
    this.loop = new PollLoop(this.id, deps.config.pollIntervalMs, deps.log, describeError);
    this.ctx = {
      watched: this.watched,
      nativeCurrency: deps.config.nativeCurrency,
      tokens: new Map(deps.config.tokens.map((t) => [t.contract.toLowerCase(), t.currency])),
    };
  }

  supports(currency: Currency): boolean {
    return this.codes.has(currency.code) && currency.network === this.id;
  }
  confirmations(): { paid: number; final: number } {
    return { paid: this.config.paidConfirmations, final: this.config.finalConfirmations };
  }
  tokenContract(currency: Currency): `0x${string}` | undefined {
    return currency.token;
  }
  paymentRequest(address: string, currency: Currency, units: bigint): PaymentRequest {
    return evmPayment({ address: checksumAddress(address), chainId: this.config.chainId, units, token: currency.token });
  }
  /** One counter per merchant for all EVM chains: an address is never handed out twice, on any chain. */
  addressScope(account: string): string {
    return `evm:${account}`;
  }

  async addressDeriver(account: string): Promise<(index: number) => `0x${string}`> {
    // Read each time: the merchant may have set a new xpub since (through the CLI, another process).
    const xpub = await findXpub(this.db, this.secrets, account, 'evm');
    if (!xpub) throw new MissingXpubError('no extended public key for EVM chains', 'evm');
    let derive = this.derivers.get(xpub);
    if (!derive) {
      derive = lowerCaseReceiveAddresses(receiveNode(HDKey.fromExtendedKey(xpub)));
      this.derivers.set(xpub, derive);
    }
    return derive;
  }

  async start(sink: ChainSink): Promise<void> {
    const pending = new PendingTransfers({ chain: this.id, client: this.client, sink, ctx: this.ctx });
    // What was pending before a restart is settled (mined, dropped) by the next polls.
    for (const p of await sink.unconfirmedPayments(this.id)) pending.add(transferOf(p));
    const follower = new ChainFollower({
      config: this.config,
      client: this.client,
      sink,
      ctx: this.ctx,
      watched: this.watched,
      pending,
      checkpoints: new Checkpoints(this.db, this.id),
      log: this.log,
      running: () => this.loop.isRunning(),
    });
    this.follow(follower);
  }
}
