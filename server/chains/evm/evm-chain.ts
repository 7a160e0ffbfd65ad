/**
 * The EVM chain adapter. It follows new blocks from a checkpoint persisted in
 * `chain_blocks`, scans each block once for transfers to watched addresses
 * (native value and configured ERC-20 tokens), reports pending transactions
 * where the node offers them, detects reorgs by parent hash and rolls back to
 * the fork point. RPC failures are retried with backoff; they never stop the
 * server and never move the checkpoint.
 */
import { HDKey } from '@scure/bip32';
import {
  BlockNotFoundError,
  createPublicClient,
  http,
  parseAbiItem,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Hex,
  type PublicClient,
} from 'viem';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { Currency } from '../../money/currencies';
import { findXpub } from '../../merchants/xpubs';
import type { SecretBox } from '../../secrets/secret-box';
import { MissingXpubError, type BlockRef, type ChainAdapter, type ChainDb, type ChainSink, type PaymentObservation } from '../adapter';
import type { ChainConfig } from '../chains-file';
import { deriveReceiveAddress, receiveNode } from '../hd';
import { nativeTransfers, pendingTransfers, tokenTransfers, type ScanContext, type ScanTx, type Transfer } from './scan';

const TRANSFER_EVENT = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');
/** Blocks scanned per poll before the loop comes round again (catching up after downtime). */
const MAX_BLOCKS_PER_POLL = 200;
/** How many scanned block hashes are kept to find a fork point. */
const KEPT_BLOCKS = 256;
const MAX_BACKOFF_MS = 30_000;
const WATCH_REFRESH_MS = 60_000;

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

export class EvmChain implements ChainAdapter {
  readonly id: string;
  private readonly config: ChainConfig;
  private readonly db: ChainDb;
  private readonly clock: Clock;
  private readonly secrets: SecretBox;
  private readonly log: Logger;
  private readonly client: PublicClient;
  private readonly codes: Set<string>;
  private readonly ctx: { watched: Set<string>; nativeCurrency: string; tokens: Map<string, string> };
  private readonly receiveNodes = new Map<string, HDKey>();
  /** Transfers reported from the mempool (or back to it by a reorg) and not yet seen in a block. */
  private readonly pending = new Map<string, Transfer[]>();
  private addedSinceRefresh = new Set<string>();
  private lastRefresh = 0;
  private sink: ChainSink | undefined;
  private running = false;
  /** The checkpoint block's time (ms); 0 until known (after a start or a rollback, until the next poll reads it). */
  private checkpointTime = 0;
  /** The last poll reached the node's head. */
  private caughtUp = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeSleep: () => void = () => undefined;

  constructor(deps: EvmChainDeps) {
    this.config = deps.config;
    this.id = deps.config.name;
    this.db = deps.db;
    this.clock = deps.clock;
    this.secrets = deps.secrets;
    this.log = deps.log;
    this.codes = new Set(deps.currencies.map((c) => c.code));
    this.client =
      deps.client ??
      createPublicClient({ transport: http(deps.config.rpcUrl, { timeout: 10_000, retryCount: 0 }), cacheTime: 0 });
    this.ctx = {
      watched: new Set(),
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
  chainId(): number {
    return this.config.chainId;
  }
  tokenContract(currency: Currency): `0x${string}` | undefined {
    return currency.token;
  }
  /** One counter per merchant for all EVM chains: an address is never handed out twice, on any chain. */
  addressScope(account: string): string {
    return `evm:${account}`;
  }

  async addressDeriver(account: string): Promise<(index: number) => `0x${string}`> {
    // Read each time: the merchant may have set a new xpub since (through the CLI, another process).
    const xpub = await findXpub(this.db, this.secrets, account, 'evm');
    if (!xpub) throw new MissingXpubError('no extended public key for EVM chains');
    let node = this.receiveNodes.get(xpub);
    if (!node) {
      node = receiveNode(HDKey.fromExtendedKey(xpub));
      this.receiveNodes.set(xpub, node);
    }
    const receive = node;
    return (index) => deriveReceiveAddress(receive, index);
  }

  scannedThrough(): number {
    return this.caughtUp ? Infinity : this.checkpointTime;
  }

  watch(address: string): void {
    const lower = address.toLowerCase();
    this.ctx.watched.add(lower);
    this.addedSinceRefresh.add(lower);
  }

  async start(sink: ChainSink): Promise<void> {
    this.sink = sink;
    // What was pending before a restart is settled (mined, dropped) by the next polls.
    for (const p of await sink.unconfirmedPayments(this.id)) {
      this.pending.set(p.txHash, [...(this.pending.get(p.txHash) ?? []), transferOf(p)]);
    }
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeSleep();
    await this.loopDone;
    this.sink = undefined;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let delay = this.config.pollIntervalMs;
      try {
        const caughtUp = await this.poll();
        failures = 0;
        if (!caughtUp) delay = 0;
      } catch (err) {
        // Blind while the node does not answer: invoices wait to expire until the scan has seen their expiry.
        this.caughtUp = false;
        failures++;
        delay = Math.min(this.config.pollIntervalMs * 2 ** failures, MAX_BACKOFF_MS);
        this.log.warn(`chain ${this.id}: ${describeError(err)}; retrying in ${delay} ms`);
      }
      if (delay > 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeSleep = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /** One round: mempool, new blocks, dropped transactions. Returns false while still behind the head. */
  async poll(): Promise<boolean> {
    const head = Number(await this.client.getBlockNumber({ cacheTime: 0 }));
    let checkpoint = await this.checkpoint();
    if (!checkpoint) {
      // First start on this chain: follow from the head; history before Payframe knew the chain holds no invoices.
      const block = await this.client.getBlock({ blockNumber: BigInt(head) });
      await this.record({ number: head, hash: block.hash, parentHash: block.parentHash });
      await this.sink?.tip(this.id, { number: head, hash: block.hash });
      this.checkpointTime = Number(block.timestamp) * 1000;
      this.caughtUp = true;
      return true;
    }
    if (head < checkpoint.number) {
      // A load-balanced RPC may answer from a backend a few blocks behind, which knows no block above
      // its head. If the blocks up to its head are the ones scanned, it is lagging, not reorged: wait.
      const stored = await this.storedHash(head);
      if (stored !== undefined && stored === (await this.blockHashAt(head))) return true;
    }
    const canonical = await this.blockHashAt(checkpoint.number);
    if (canonical !== checkpoint.hash) {
      checkpoint = await this.rollback(await this.forkPoint(Math.min(checkpoint.number, head)));
    }
    // The watched set (loaded here the first time too) and scannedThrough() are judged by the checkpoint block's time.
    if (this.checkpointTime === 0) this.checkpointTime = Number((await this.client.getBlock({ blockNumber: BigInt(checkpoint.number) })).timestamp) * 1000;
    if (this.clock.now() - this.lastRefresh > WATCH_REFRESH_MS) await this.refreshWatched();
    const seenPending = this.config.mempool ? await this.scanMempool() : new Set<string>();
    const last = Math.min(head, checkpoint.number + MAX_BLOCKS_PER_POLL);
    for (let number = checkpoint.number + 1; number <= last && this.running; number++) {
      const block = await this.client.getBlock({ blockNumber: BigInt(number), includeTransactions: true });
      const parent = await this.storedHash(number - 1);
      if (parent !== undefined && block.parentHash !== parent) {
        const fork = await this.rollback(await this.forkPoint(number - 1));
        number = fork.number;
        continue;
      }
      await this.scanBlock(
        { number, hash: block.hash, parentHash: block.parentHash, timestamp: Number(block.timestamp) * 1000 },
        block.transactions as unknown as ScanTx[],
      );
      this.checkpointTime = Number(block.timestamp) * 1000;
    }
    await this.settlePending(seenPending, Math.min(last, (await this.checkpoint())?.number ?? last));
    this.caughtUp = last >= head;
    return last >= head;
  }

  private async scanBlock(block: BlockRef & { parentHash: string }, txs: readonly ScanTx[]): Promise<void> {
    const ctx: ScanContext = this.ctx;
    const native: Transfer[] = [];
    for (const t of nativeTransfers(txs, ctx)) {
      // A reverted transaction moves no value; only its receipt tells.
      const receipt = await this.client.getTransactionReceipt({ hash: t.txHash });
      if (receipt.status === 'success') native.push(t);
      else if (this.pending.has(t.txHash)) await this.dropPending(t.txHash);
    }
    const logs =
      this.ctx.tokens.size === 0
        ? []
        : await this.client.getLogs({ address: [...this.ctx.tokens.keys()] as Hex[], event: TRANSFER_EVENT, blockHash: block.hash as Hex });
    const tokens = tokenTransfers(
      logs.map((l) => ({ transactionHash: l.transactionHash, logIndex: l.logIndex, address: l.address, from: l.args.from!, to: l.args.to!, value: l.args.value! })),
      ctx,
    );
    await this.sink?.tip(this.id, { number: block.number, hash: block.hash });
    const found = [...native, ...tokens];
    for (const t of found) await this.report(t, block);
    // The block is authoritative for its transactions: a position the mempool reported and the block
    // did not (a fee-on-transfer token logs the fee first, moving the payee's transfer to position 1)
    // did not happen.
    for (const hash of new Set(found.map((t) => t.txHash))) {
      const positions = new Set(found.filter((t) => t.txHash === hash).map((t) => t.position));
      for (const t of this.pending.get(hash) ?? []) {
        if (!positions.has(t.position)) await this.sink?.removed({ chain: this.id, txHash: hash, position: t.position });
      }
      this.pending.delete(hash);
    }
    await this.record(block);
  }

  private async scanMempool(): Promise<Set<string>> {
    const seen = new Set<string>();
    let txs: readonly ScanTx[];
    try {
      const block = await this.client.getBlock({ blockTag: 'pending', includeTransactions: true });
      txs = block.transactions as unknown as ScanTx[];
    } catch {
      return seen; // The node offers no pending block; payments show up when mined.
    }
    for (const tx of txs) {
      const transfers = pendingTransfers(tx, this.ctx);
      if (transfers.length === 0) continue;
      seen.add(tx.hash);
      if (this.pending.has(tx.hash)) continue;
      this.pending.set(tx.hash, transfers);
      for (const t of transfers) await this.report(t, null);
    }
    return seen;
  }

  /**
   * Withdraws pending transfers that did not happen: the transaction left the
   * mempool unmined, or was mined in a block already scanned without paying
   * (it reverted — a block scan removes from `pending` what it reports).
   */
  private async settlePending(seen: Set<string>, scannedTo: number): Promise<void> {
    for (const hash of [...this.pending.keys()]) {
      if (seen.has(hash)) continue;
      const tx = await this.client.getTransaction({ hash: hash as Hex }).catch((err: unknown) => {
        if (err instanceof TransactionNotFoundError) return null;
        throw err;
      });
      if (tx === null || (tx.blockNumber !== null && Number(tx.blockNumber) <= scannedTo)) await this.dropPending(hash);
    }
  }

  private async dropPending(hash: string): Promise<void> {
    for (const t of this.pending.get(hash) ?? []) await this.sink?.removed({ chain: this.id, txHash: hash, position: t.position });
    this.pending.delete(hash);
  }

  /**
   * Rolls the checkpoint back to `fork`; payments in orphaned blocks go back to pending until seen again.
   * The order makes a crash at any point harmless: the checkpoint above the fork is deleted only once
   * every orphaned payment is unconfirmed, so until then the next poll (or start) finds the old
   * checkpoint's hash mismatching again and redoes the rollback. Deleted first, it would leave
   * payments with block numbers that gain confirmations on the new branch.
   */
  private async rollback(fork: { number: number; hash: string }): Promise<{ number: number; hash: string }> {
    this.log.warn(`chain ${this.id}: reorg, rolling back to block ${fork.number}`);
    for (const p of (await this.sink?.paymentsAbove(this.id, fork.number)) ?? []) {
      this.pending.set(p.txHash, [...(this.pending.get(p.txHash) ?? []).filter((t) => t.position !== p.position), transferOf(p)]);
      await this.sink?.unconfirmed({ chain: this.id, txHash: p.txHash, position: p.position });
    }
    await this.db.deleteFrom('chain_blocks').where('chain', '=', this.id).where('number', '>', fork.number).execute();
    await this.sink?.tip(this.id, fork);
    this.checkpointTime = 0; // the fork block's, read when next needed
    return fork;
  }

  /** The newest block at or below `from` whose stored hash the node still has. */
  private async forkPoint(from: number): Promise<{ number: number; hash: string }> {
    const stored = await this.db
      .selectFrom('chain_blocks')
      .select(['number', 'hash'])
      .where('chain', '=', this.id)
      .where('number', '<=', from)
      .orderBy('number', 'desc')
      .execute();
    for (const row of stored) {
      if ((await this.blockHashAt(row.number)) === row.hash) return row;
    }
    // Deeper than the hashes we keep: start again below all of them.
    const lowest = stored.at(-1)?.number ?? from;
    const number = Math.max(0, lowest - 1);
    const hash = (await this.blockHashAt(number)) ?? '';
    this.log.error(`chain ${this.id}: reorg deeper than ${KEPT_BLOCKS} blocks; rescanning from ${number}`);
    await this.record({ number, hash, parentHash: '' });
    return { number, hash };
  }

  private async report(t: Transfer, block: BlockRef | null): Promise<void> {
    await this.sink?.payment({ chain: this.id, txHash: t.txHash, position: t.position, to: t.to, from: t.from, currency: t.currency, amount: t.amount, block });
  }

  /**
   * Reloads the watched set as of the checkpoint block's time, not the clock's: after downtime, an
   * invoice whose late window closed while Payframe was down is still watched until the scan gets there.
   */
  private async refreshWatched(): Promise<void> {
    if (!this.sink) return;
    this.addedSinceRefresh = new Set();
    const fresh = new Set(await this.sink.watchedAddresses(this.id, this.checkpointTime));
    for (const a of this.addedSinceRefresh) fresh.add(a);
    this.ctx.watched = fresh;
    this.lastRefresh = this.clock.now();
  }

  private async blockHashAt(number: number): Promise<string | undefined> {
    try {
      return (await this.client.getBlock({ blockNumber: BigInt(number) })).hash;
    } catch (err) {
      if (err instanceof BlockNotFoundError) return undefined;
      throw err;
    }
  }

  private async checkpoint() {
    return this.db.selectFrom('chain_blocks').select(['number', 'hash']).where('chain', '=', this.id).orderBy('number', 'desc').limit(1).executeTakeFirst();
  }

  private async storedHash(number: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('chain_blocks').select('hash').where('chain', '=', this.id).where('number', '=', number).executeTakeFirst();
    return row?.hash;
  }

  private async record(block: BlockRef & { parentHash: string }): Promise<void> {
    await this.db
      .insertInto('chain_blocks')
      .values({ chain: this.id, number: block.number, hash: block.hash, parent_hash: block.parentHash })
      .onConflict((oc) => oc.columns(['chain', 'number']).doUpdateSet({ hash: block.hash, parent_hash: block.parentHash }))
      .execute();
    await this.db.deleteFrom('chain_blocks').where('chain', '=', this.id).where('number', '<', block.number - KEPT_BLOCKS).execute();
  }
}

function transferOf(p: PaymentObservation): Transfer {
  return { txHash: p.txHash as Hex, position: p.position, from: p.from, to: p.to, currency: p.currency, amount: p.amount };
}

/** An RPC error in one line, without the RPC URL (it often carries an API key). */
function describeError(err: unknown): string {
  if (err instanceof TransactionReceiptNotFoundError) return 'receipt not available yet';
  const e = err as { name?: string; shortMessage?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.shortMessage ?? (e.message ?? String(err)).split('\n')[0]}`;
}
