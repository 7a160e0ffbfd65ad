/**
 * The UTXO chain adapter: Bitcoin, Litecoin and their test networks, through
 * Bitcoin Core's JSON-RPC (rpc.ts), one code path configured by data (the
 * chain's entry in CHAINS_FILE and its network in networks.ts). follower.ts
 * is one round: the mempool (mempool.ts), each new block scanned once
 * against the watched output scripts (scan.ts), reorgs (../reorg.ts) and the
 * checkpoint (../checkpoint.ts). Here: what the engine asks of the chain.
 *
 * Addresses are native SegWit (BIP-84) below the merchant's account key for
 * this chain (keys.ts), one index per invoice, counted per merchant and chain.
 */
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import { findXpub } from '../../merchants/xpubs';
import type { Currency } from '../../money/currencies';
import type { SecretBox } from '../../secrets/secret-box';
import { MissingXpubError, type ChainAdapter, type ChainDb, type ChainSink } from '../adapter';
import { Checkpoints } from '../checkpoint';
import type { UtxoChainConfig } from '../chains-file';
import { FollowedChain } from '../followed-chain';
import { PollLoop } from '../poll-loop';
import { WatchedAddresses } from '../watched';
import { bip21 } from './bip21';
import type { PaymentRequest } from '../../checkout/payment-uri';
import { addressDeriver, parseAccountKey } from './keys';
import { PendingPayments } from './mempool';
import { networkByPrefix, type UtxoNetwork } from './networks';
import { BitcoinRpc } from './rpc';
import { UtxoFollower } from './follower';
import { addressToScript } from './script';

export interface UtxoChainDeps {
  config: UtxoChainConfig;
  db: ChainDb;
  /** Times the watched set's refresh. */
  clock: Clock;
  /** Opens the merchants' keys, stored sealed. */
  secrets: SecretBox;
  log: Logger;
}

export class UtxoChain extends FollowedChain implements ChainAdapter {
  readonly id: string;
  readonly network: UtxoNetwork;
  private readonly config: UtxoChainConfig;
  private readonly db: ChainDb;
  private readonly secrets: SecretBox;
  private readonly log: Logger;
  private readonly rpc: BitcoinRpc;
  protected readonly watched: WatchedAddresses;
  protected readonly loop: PollLoop;
  /** A merchant key's address derivation, by the key's text: its branch node is derived and decoded once (keys.ts). */
  private readonly derivers = new Map<string, (index: number) => string>();

  constructor(deps: UtxoChainDeps) {
    super();
    this.config = deps.config;
    this.id = deps.config.name;
    const network = networkByPrefix(deps.config.bech32Prefix);
    if (!network) throw new Error(`chain ${this.id}: unknown bech32Prefix ${deps.config.bech32Prefix}`);
    this.network = network;
    this.db = deps.db;
    this.secrets = deps.secrets;
    this.log = deps.log;
    this.rpc = new BitcoinRpc(deps.config.rpcUrl);
    // Blocks are matched by output script: one form per output, whatever case the address is written in.
    this.watched = new WatchedAddresses(deps.clock, (address) => addressToScript(address, network));
    // The RPC client's errors name the node's URL without its credentials.
    this.loop = new PollLoop(this.id, deps.config.pollIntervalMs, deps.log, (err) => (err instanceof Error ? err.message : String(err)));
  }

  supports(currency: Currency): boolean {
    return currency.code === this.config.nativeCurrency && currency.network === this.id;
  }
  confirmations(): { paid: number; final: number } {
    return { paid: this.config.paidConfirmations, final: this.config.finalConfirmations };
  }
  tokenContract(): undefined {
    return undefined;
  }
  paymentRequest(address: string, currency: Currency, units: bigint): PaymentRequest {
    // A bitcoin-family wallet is not in the browser: the URI only.
    return { uri: bip21({ scheme: this.network.uriScheme, address, units, decimals: currency.decimals }), walletTx: null };
  }
  /** One counter per merchant and chain: each chain has its own key, so its own sequence of addresses. */
  addressScope(account: string): string {
    return `utxo:${this.id}:${account}`;
  }

  async addressDeriver(account: string): Promise<(index: number) => string> {
    // Read each time: the merchant may have set a new key since (through the CLI, another process).
    const text = await findXpub(this.db, this.secrets, account, this.id);
    if (!text) throw new MissingXpubError(`no extended public key for ${this.id}`, this.id);
    let derive = this.derivers.get(text);
    if (!derive) {
      const check = parseAccountKey(text, this.network);
      // The CLI checked the key when it was set; a key refused now was stored by hand.
      if (!check.ok) throw new Error(`the stored key for ${this.id} is not usable: ${check.reason}`);
      derive = addressDeriver(check.key, this.network.bech32Prefix);
      this.derivers.set(text, derive);
    }
    return derive;
  }

  async start(sink: ChainSink): Promise<void> {
    const ctx = { chain: this.id, currency: this.config.nativeCurrency, rpc: this.rpc };
    const pending = new PendingPayments({ ...ctx, sink, watched: this.watched });
    // What was in the mempool before a restart is settled (mined, dropped) by the next polls.
    for (const p of await sink.unconfirmedPayments(this.id)) pending.add(p);
    const follower = new UtxoFollower({
      ...ctx,
      network: this.network,
      sink,
      watched: this.watched,
      pending,
      checkpoints: new Checkpoints(this.db, this.id),
      log: this.log,
      mempool: this.config.mempool,
      running: () => this.loop.isRunning(),
    });
    this.follow(follower);
  }
}
