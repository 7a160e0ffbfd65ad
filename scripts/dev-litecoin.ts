/**
 * A real UTXO chain on your laptop: starts litecoind in regtest (Debian's
 * `litecoind`, Bitcoin Core's RPC) with a funded wallet, mines a block every
 * 10 s (so payments sit in the mempool for a moment), creates a merchant
 * whose invoice addresses derive from a development vpub, and starts
 * Payframe watching that chain as `litecoin-regtest` (currency LTC).
 *   npm run dev:litecoin
 * Pay an invoice from the node's wallet with:
 *   npm run litecoin:pay -- <invoice address> <amount>
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLitecoind, type Litecoind } from '../server/testing/litecoind';
import { litecoinRegtest, MERCHANT_VPUB } from '../server/testing/utxo-fixture';
import { LITECOIN_STATE_FILE } from './dev-litecoin-state';

const ROOT = join(import.meta.dirname, '..');
const RPC_PORT = Number(process.env.LITECOIN_RPC_PORT ?? 19443);
const PORT = Number(process.env.PORT ?? 3000);
const DATA_DIR = join(ROOT, 'data', 'litecoin');
const BLOCK_EVERY_MS = 10_000;
let node: Litecoind | undefined;
let payframe: ChildProcess | undefined;
let miner: NodeJS.Timeout | undefined;

async function main() {
  // A fresh chain each run, so a fresh Payframe database to go with it.
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  node = await startLitecoind({ rpcPort: RPC_PORT });

  const chainsFile = join(DATA_DIR, 'chains.json');
  const chain = litecoinRegtest(node.rpcUrl, { pollIntervalMs: 1000 });
  // It holds the node's RPC password: readable by its owner only.
  writeFileSync(chainsFile, `${JSON.stringify([chain], null, 2)}\n`, { mode: 0o600 });

  const env = { ...process.env, DATA_DIR, CHAINS_FILE: chainsFile, SANDBOX: '0', PORT: String(PORT) };
  const cli = (...args: string[]) => execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'server/cli.ts'), ...args], { env, encoding: 'utf8' });
  const merchant = JSON.parse(cli('merchant', 'create', '--name', 'Litecoin shop', '--json')) as { account: string; key: string; secret: string };
  cli('merchant', 'set-xpub', '--account', merchant.account, '--chain', chain.name, MERCHANT_VPUB);
  writeFileSync(LITECOIN_STATE_FILE, `${JSON.stringify({ rpcUrl: node.rpcUrl, merchant }, null, 2)}\n`, { mode: 0o600 });

  miner = setInterval(() => void mineOne(), BLOCK_EVERY_MS);
  payframe = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'server/main.ts')], { env, stdio: 'inherit' });
  console.log(`
litecoind      regtest, RPC on 127.0.0.1:${RPC_PORT} (credentials in ${chainsFile}), a block every ${BLOCK_EVERY_MS / 1000} s
chain          ${chain.name}: LTC, paid at ${chain.paidConfirmations} confirmation, completed at ${chain.finalConfirmations}
merchant       ${JSON.stringify(merchant)}
               invoice addresses (rltc1…) derive from the dev mnemonic "abandon … about" at m/84'/1'/0'/0/i
create one     npm run cli -- invoice create --account ${merchant.account} --amount 0.01 --currency LTC
pay it         npm run litecoin:pay -- <invoice address> <amount>
`);
}

/** Mines a block; at regtest's MWEB activation height (431, after about an hour) activates MWEB first, as litecoind requires. */
async function mineOne() {
  try {
    await node?.mine();
  } catch (err) {
    if (!/activateMweb/.test(String(err))) return console.error(`mining failed: ${String(err)}`);
    console.log('litecoind: activating MWEB at height 432 (a 1 LTC peg-in), then mining on');
    await node?.activateMweb().catch((e: unknown) => console.error(`mining failed: ${String(e)}`));
  }
}

async function shutdown() {
  if (miner) clearInterval(miner);
  payframe?.kill('SIGTERM');
  await node?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
main().catch((err: unknown) => {
  console.error(err);
  void shutdown();
});
