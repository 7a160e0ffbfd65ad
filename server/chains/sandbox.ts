/**
 * The sandbox chain: a real chain adapter with a mempool, blocks,
 * confirmations and reorgs, kept in memory. It serves every currency in the
 * table, so the whole flow runs on a laptop with no blockchain. It keeps
 * nothing across a restart: at start its height continues from the tip the
 * engine last stored, so confirmations never go backwards, and its mempool
 * from the payments the engine recorded unmined, so a restart never strands
 * an invoice in MEM_POOL_FOUND.
 */
import { HDKey } from '@scure/bip32';
import { randomBytes, createHash } from 'node:crypto';
import { evmPayment, type PaymentRequest } from '../checkout/payment-uri';
import type { Currency } from '../money/currencies';
import type { BlockRef, ChainAdapter, ChainSink, PaymentObservation } from './adapter';
import { checksumAddress } from './eip55';
import { accountKeyFromSeed, deriveReceiveAddress, lowerCaseReceiveAddresses, receiveNode } from './hd';
import { bip21 } from './utxo/bip21';
import { addressDeriver as utxoAddressDeriver } from './utxo/keys';
import { networkByPrefix, type UtxoNetwork } from './utxo/networks';

export const SANDBOX_CHAIN = 'sandbox';
/** Not any public network's id, so a real wallet will not send real funds to a sandbox URI. */
const SANDBOX_CHAIN_ID = 1337;

// A fixed development seed: every Payframe sandbox derives the same addresses.
const DEV_SEED = createHash('sha256').update('payframe sandbox development seed').digest();
const accountKey = accountKeyFromSeed(DEV_SEED);
const receive = lowerCaseReceiveAddresses(receiveNode(accountKey));
/** The wallet sandbox payments come from when the caller names none. */
const SANDBOX_BUYER = deriveReceiveAddress(accountKey.deriveChild(1), 0);
/**
 * The UTXO coins the sandbox pays to native SegWit addresses of their regtest
 * networks (BIP-84 below the same seed, m/84'/1'/0'): no real wallet sends
 * real coins to a bcrt1…/rltc1… address. Every other currency gets 0x ones.
 */
const UTXO_SANDBOX_NETWORKS: Readonly<Record<string, UtxoNetwork>> = { BTC: networkByPrefix('bcrt')!, LTC: networkByPrefix('rltc')! };
const utxoAccountKey = HDKey.fromMasterSeed(DEV_SEED).derive("m/84'/1'/0'");
const utxoReceive = new Map(Object.values(UTXO_SANDBOX_NETWORKS).map((n) => [n.bech32Prefix, utxoAddressDeriver(utxoAccountKey, n.bech32Prefix)]));

export interface SandboxTx {
  hash: string;
  from: string;
  to: string;
  currency: string;
  amount: bigint;
}

interface Block extends BlockRef {
  txs: SandboxTx[];
}

export interface SandboxOptions {
  paidConfirmations?: number;
  finalConfirmations?: number;
}

export class SandboxChain implements ChainAdapter {
  readonly id = SANDBOX_CHAIN;
  private sink: ChainSink | undefined;
  private readonly mempool = new Map<string, SandboxTx>();
  private readonly blocks: Block[] = [];
  private height = 0;
  private readonly paid: number;
  private readonly final: number;
  private autoMine: NodeJS.Timeout | undefined;
  /** Serializes chain operations so blocks reach the engine in order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: SandboxOptions = {}) {
    this.paid = opts.paidConfirmations ?? 1;
    this.final = opts.finalConfirmations ?? 3;
  }

  supports(): boolean {
    return true;
  }
  confirmations(): { paid: number; final: number } {
    return { paid: this.paid, final: this.final };
  }
  tokenContract(currency: Currency): `0x${string}` | undefined {
    return currency.token;
  }
  paymentRequest(address: string, currency: Currency, units: bigint): PaymentRequest {
    const network = UTXO_SANDBOX_NETWORKS[currency.code];
    if (network) return { uri: bip21({ scheme: network.uriScheme, address, units, decimals: currency.decimals }), walletTx: null };
    return evmPayment({ address: checksumAddress(address), chainId: SANDBOX_CHAIN_ID, units, token: currency.token });
  }
  /** One counter for the 0x addresses, one per UTXO network: each is its own sequence of addresses. */
  addressScope(_account: string, currency: Currency): string {
    const network = UTXO_SANDBOX_NETWORKS[currency.code];
    return network ? `${SANDBOX_CHAIN}:${network.bech32Prefix}` : SANDBOX_CHAIN;
  }
  async addressDeriver(_account: string, currency: Currency): Promise<(index: number) => string> {
    const network = UTXO_SANDBOX_NETWORKS[currency.code];
    if (network) return utxoReceive.get(network.bech32Prefix)!;
    return receive;
  }

  async start(sink: ChainSink): Promise<void> {
    this.height = (await sink.lastTip(this.id))?.number ?? 0;
    // Transfers recorded in the mempool before a restart wait there again, to be mined.
    for (const p of await sink.unconfirmedPayments(this.id)) {
      this.mempool.set(p.txHash, { hash: p.txHash, from: p.from, to: p.to, currency: p.currency, amount: p.amount });
    }
    this.sink = sink;
  }

  async stop(): Promise<void> {
    this.stopAutoMine();
    await this.queue;
    this.sink = undefined;
  }

  startAutoMine(intervalMs: number): void {
    this.stopAutoMine();
    this.autoMine = setInterval(() => void this.mine(1).catch(() => undefined), intervalMs);
    this.autoMine.unref();
  }

  stopAutoMine(): void {
    if (this.autoMine) clearInterval(this.autoMine);
    this.autoMine = undefined;
  }

  /** Puts a transfer into the mempool and returns its hash. */
  pay(tx: { to: string; currency: string; amount: bigint; from?: string }): Promise<string> {
    return this.serial(async () => {
      const entry: SandboxTx = { hash: hex32(), from: tx.from ?? SANDBOX_BUYER, to: tx.to, currency: tx.currency, amount: tx.amount };
      this.mempool.set(entry.hash, entry);
      await this.report(entry, null);
      return entry.hash;
    });
  }

  /** Mines `count` blocks; the first takes every mempool transaction. */
  mine(count = 1): Promise<BlockRef> {
    return this.serial(async () => {
      for (let i = 0; i < count; i++) {
        const block: Block = { number: this.height + 1, hash: hex32(), txs: [...this.mempool.values()] };
        this.mempool.clear();
        this.blocks.push(block);
        this.height = block.number;
        await this.sink?.tip(this.id, { number: block.number, hash: block.hash });
        await this.sink?.payments(block.txs.map((tx) => this.observation(tx, block)));
      }
      return { number: this.height, hash: this.blocks.at(-1)?.hash ?? '' };
    });
  }

  /**
   * Orphans the last `depth` blocks. Their transactions go back to the
   * mempool, except those listed in `drop` (or all, with drop "all"), which
   * vanish as a double-spend would make them.
   */
  reorg(depth: number, drop: 'all' | string[] = []): Promise<BlockRef> {
    return this.serial(async () => {
      const orphaned = this.blocks.splice(Math.max(0, this.blocks.length - depth), depth);
      this.height -= orphaned.length;
      const parent = this.blocks.at(-1);
      await this.sink?.tip(this.id, { number: this.height, hash: parent?.hash ?? hex32() });
      for (const tx of orphaned.flatMap((b) => b.txs)) {
        if (drop === 'all' || drop.includes(tx.hash)) {
          await this.sink?.removed({ chain: this.id, txHash: tx.hash, position: 0 });
        } else {
          this.mempool.set(tx.hash, tx);
          await this.report(tx, null);
        }
      }
      return { number: this.height, hash: parent?.hash ?? '' };
    });
  }

  private async report(tx: SandboxTx, block: BlockRef | null): Promise<void> {
    await this.sink?.payment(this.observation(tx, block));
  }

  private observation(tx: SandboxTx, block: BlockRef | null): PaymentObservation {
    return {
      chain: this.id,
      txHash: tx.hash,
      position: 0,
      to: tx.to,
      from: tx.from,
      currency: tx.currency,
      amount: tx.amount,
      block: block && { number: block.number, hash: block.hash },
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function hex32(): string {
  return `0x${randomBytes(32).toString('hex')}`;
}
