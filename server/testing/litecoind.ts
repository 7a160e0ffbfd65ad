/**
 * A real Litecoin Core node for tests: Debian's litecoind (0.21, Bitcoin
 * Core 0.21's RPC) in regtest, in a fresh data directory, RPC on a free port
 * and no P2P listener, with -txindex (so any transaction can be looked up,
 * as the sender check needs) and a funded wallet to pay invoices from.
 * Blocks are mined only when a test asks, so payments wait in the mempool.
 *
 * Regtest's MWEB deployment (Litecoin 0.21.2) activates at height 432, and
 * the node cannot mine that block without a peg-in: mine() refuses to cross
 * it with a message, activateMweb() crosses it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BitcoinRpc, RpcError, RpcUnavailableError, RPC_IN_WARMUP } from '../chains/utxo/rpc';
import { probePort } from './probe-port';
import { perFile } from './lifecycle';

const LITECOIND = process.env.LITECOIND ?? '/usr/bin/litecoind';
/** Coinbase outputs can be spent 100 blocks later; one more makes the first one spendable. */
const MATURITY_BLOCKS = 101;
/** The last height regtest can mine before MWEB activates (BIP9 window of 144, locked in at 288, active at 432). */
const LAST_PRE_MWEB_HEIGHT = 431;
const START_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 30_000;

export type AddressType = 'bech32' | 'p2sh-segwit' | 'legacy' | 'mweb';

export interface Litecoind {
  /** http://user:password@127.0.0.1:port, as a chain's rpcUrl would be. */
  rpcUrl: string;
  client: BitcoinRpc;
  /** Any RPC; amounts under `value` come back as JsonNumber. */
  rpc(method: string, params?: readonly unknown[]): Promise<unknown>;
  /** A fresh address of the node's wallet. */
  newAddress(type?: AddressType): Promise<string>;
  /** Mines blocks (to the wallet, or to `toAddress`); resolves with their hashes. */
  mine(blocks?: number, toAddress?: string): Promise<string[]>;
  /** Pays `amount` (exact decimal text in LTC) from the wallet; resolves with the txid. */
  send(address: string, amount: string): Promise<string>;
  /** Pays several addresses in one transaction. */
  sendMany(amounts: Record<string, string>): Promise<string>;
  invalidateBlock(hash: string): Promise<void>;
  reconsiderBlock(hash: string): Promise<void>;
  /** The node's own derivation of a descriptor (the checksum is added here). */
  deriveAddresses(descriptor: string, range?: [number, number]): Promise<string[]>;
  /** Mines to height 431, pegs 1 LTC into MWEB and mines the activation block. */
  activateMweb(): Promise<void>;
  stop(): Promise<void>;
}

export interface LitecoindOptions {
  /** Index every transaction (default true). Without it, a confirmed transaction outside the wallet cannot be looked up. */
  txindex?: boolean;
  /** The RPC port (`npm run dev:litecoin`); by default a free one. */
  rpcPort?: number;
}

export async function startLitecoind(options: LitecoindOptions = {}): Promise<Litecoind> {
  const datadir = mkdtempSync(join(tmpdir(), 'payframe-litecoind-'));
  const port = options.rpcPort ?? (await probePort());
  const user = 'payframe';
  const password = randomBytes(16).toString('hex');
  const args = [
    '-regtest',
    `-datadir=${datadir}`,
    '-server=1',
    `-rpcport=${port}`,
    '-rpcbind=127.0.0.1',
    '-rpcallowip=127.0.0.1',
    `-rpcuser=${user}`,
    `-rpcpassword=${password}`,
    // No P2P listener, so no second port to find; nothing to connect to in regtest anyway.
    '-listen=0',
    '-listenonion=0',
    '-discover=0',
    '-dnsseed=0',
    `-txindex=${options.txindex === false ? 0 : 1}`,
    // No fee estimates in a fresh regtest chain: the wallet would refuse to send without a fallback (LTC/kB).
    '-fallbackfee=0.0001',
    '-printtoconsole=0',
    // createwallet derives the whole key pool up front: Core's default of 1,000 (×2) costs seconds; the wallet tops it up as addresses are taken.
    '-keypool=20',
  ];
  const child = spawn(LITECOIND, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test run that dies without stop() must not leave a node running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const rpcUrl = `http://${user}:${password}@127.0.0.1:${port}`;
  const client = new BitcoinRpc(rpcUrl, { timeoutMs: 60_000 });
  const rpc = (method: string, params: readonly unknown[] = []) => client.call(method, params);
  const debugLog = () => {
    const file = join(datadir, 'regtest', 'debug.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-15).join('\n') : '';
  };

  const newAddress = async (type: AddressType = 'bech32') => (await rpc('getnewaddress', ['', type])) as string;
  const generate = async (blocks: number, toAddress?: string) => (await rpc('generatetoaddress', [blocks, toAddress ?? (await newAddress())])) as string[];

  const node: Litecoind = {
    rpcUrl,
    client,
    rpc,
    newAddress,
    async mine(blocks = 1, toAddress) {
      const info = (await rpc('getblockchaininfo')) as { blocks: number; softforks: { mweb?: { active: boolean } } };
      if (info.softforks.mweb && !info.softforks.mweb.active && info.blocks + blocks > LAST_PRE_MWEB_HEIGHT) {
        throw new Error(`mining ${blocks} blocks from height ${info.blocks} would cross height ${LAST_PRE_MWEB_HEIGHT}, where regtest's MWEB activates and litecoind needs a peg-in to mine; call activateMweb() first`);
      }
      return generate(blocks, toAddress);
    },
    // Amounts go to the node as strings: Core reads them exactly, as it reads its own decimal text.
    async send(address, amount) {
      return (await rpc('sendtoaddress', [address, amount])) as string;
    },
    async sendMany(amounts) {
      return (await rpc('sendmany', ['', amounts])) as string;
    },
    async invalidateBlock(hash) {
      await rpc('invalidateblock', [hash]);
    },
    async reconsiderBlock(hash) {
      await rpc('reconsiderblock', [hash]);
    },
    async deriveAddresses(descriptor, range) {
      const { descriptor: withChecksum } = (await rpc('getdescriptorinfo', [descriptor])) as { descriptor: string };
      return (await rpc('deriveaddresses', range ? [withChecksum, range] : [withChecksum])) as string[];
    },
    async activateMweb() {
      const height = await client.getBlockCount();
      if (height < LAST_PRE_MWEB_HEIGHT) await generate(LAST_PRE_MWEB_HEIGHT - height);
      await node.send(await newAddress('mweb'), '1');
      await generate(1);
    },
    // Shutdown waits until fetch closes its idle keep-alive connection (up to 4 s); a shorter -rpcservertimeout would race with reuse of that connection.
    async stop() {
      if (child.exitCode === null) {
        await rpc('stop').catch(() => child.kill('SIGTERM'));
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
      rmSync(datadir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilReady(client, () => child.exitCode !== null, () => `litecoind did not start on port ${port}: ${stderr || debugLog() || 'no output'}`);
    await rpc('createwallet', ['payframe']);
    await generate(MATURITY_BLOCKS);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    process.off('exit', killOnExit);
    rmSync(datadir, { recursive: true, force: true });
    throw err;
  }
  return node;
}

/** Polls until the RPC answers (the node is loading its chain meanwhile: connection refused, then RPC_IN_WARMUP). */
async function waitUntilReady(client: BitcoinRpc, exited: () => boolean, failure: () => string): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    try {
      await client.getBlockchainInfo();
      return;
    } catch (err) {
      const starting = err instanceof RpcUnavailableError || (err instanceof RpcError && err.code === RPC_IN_WARMUP);
      if (!starting || exited() || Date.now() > deadline) throw new Error(failure(), { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** One regtest node for every test of the file (or block): `const node = litecoindPerFile()`. */
export const litecoindPerFile = () => perFile('litecoind', () => startLitecoind(), (node) => node.stop());
