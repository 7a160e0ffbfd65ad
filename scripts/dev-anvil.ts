/**
 * A real chain on your laptop: starts anvil (mining a block every 3 s, so
 * payments sit in the mempool for a moment), deploys the 6-decimal test token
 * as USDT, creates a merchant whose invoice addresses derive from a
 * development xpub, and starts Payframe watching that chain.
 *   npm run dev:anvil
 * Pay an invoice from the funded buyer wallet with:
 *   npm run anvil:pay -- <invoice address> <amount> [ETH|USDT]
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { createPublicClient, createWalletClient, http, parseUnits, type Hex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { ANVIL_MNEMONIC, TEST_TOKEN } from '../server/testing/anvil';
import { DEV_MERCHANT_MNEMONIC, DEV_STATE_FILE } from './dev-anvil-state';

const ROOT = join(import.meta.dirname, '..');
const ANVIL_PORT = Number(process.env.ANVIL_PORT ?? 8545);
const PORT = Number(process.env.PORT ?? 3000);
const DATA_DIR = join(ROOT, 'data', 'anvil');
const rpcUrl = `http://127.0.0.1:${ANVIL_PORT}`;
const children: ChildProcess[] = [];

function bin(name: string) {
  return join(ROOT, 'node_modules', '.bin', name);
}

async function waitForRpc(client: ReturnType<typeof createPublicClient>) {
  for (let i = 0; i < 100; i++) {
    try {
      return await client.getChainId();
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`anvil did not answer on ${rpcUrl}`);
}

async function main() {
  // A fresh chain each run, so a fresh Payframe database to go with it.
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });

  children.push(spawn(bin('anvil'), ['--port', String(ANVIL_PORT), '--block-time', '3', '--silent'], { stdio: 'inherit' }));
  const transport = http(rpcUrl);
  const pub = createPublicClient({ chain: foundry, transport });
  await waitForRpc(pub);

  const deployer = createWalletClient({ chain: foundry, transport, account: mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 0 }) });
  const buyer = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 1 });
  const deployHash = await deployer.deployContract({ abi: TEST_TOKEN.abi, bytecode: TEST_TOKEN.bytecode });
  const token = (await pub.waitForTransactionReceipt({ hash: deployHash })).contractAddress as Hex;
  const mint = await deployer.writeContract({ address: token, abi: TEST_TOKEN.abi, functionName: 'mint', args: [buyer.address, parseUnits('1000000', 6)] });
  await pub.waitForTransactionReceipt({ hash: mint });

  const chainsFile = join(DATA_DIR, 'chains.json');
  const chains = [
    {
      name: 'anvil',
      chainId: foundry.id,
      rpcUrl,
      nativeCurrency: 'ETH',
      paidConfirmations: 1,
      finalConfirmations: 3,
      pollIntervalMs: 1000,
      tokens: [{ currency: 'USDT', contract: token, decimals: 6 }],
    },
  ];
  writeFileSync(chainsFile, `${JSON.stringify(chains, null, 2)}\n`);

  const env = { ...process.env, DATA_DIR, CHAINS_FILE: chainsFile, SANDBOX: '0', PORT: String(PORT) };
  const cli = (...args: string[]) => execFileSync(bin('tsx'), [join(ROOT, 'server/cli.ts'), ...args], { env, encoding: 'utf8' });
  const merchant = JSON.parse(cli('merchant', 'create', '--name', 'Anvil shop', '--json')) as { account: string; key: string; secret: string };
  const xpub = HDKey.fromMasterSeed(mnemonicToSeedSync(DEV_MERCHANT_MNEMONIC)).derive("m/44'/60'/0'").publicExtendedKey;
  cli('merchant', 'set-xpub', '--account', merchant.account, '--chain', 'evm', xpub);
  writeFileSync(DEV_STATE_FILE, `${JSON.stringify({ rpcUrl, token, merchant }, null, 2)}\n`);

  children.push(spawn(bin('tsx'), [join(ROOT, 'server/main.ts')], { env, stdio: 'inherit' }));
  console.log(`
anvil          ${rpcUrl}  (chain id ${foundry.id}, a block every 3 s)
test token     ${token}  (served as USDT, 6 decimals)
buyer wallet   ${buyer.address}  (anvil account 1: 10000 ETH, 1000000 USDT; key in anvil's well-known test mnemonic)
merchant       ${JSON.stringify(merchant)}
               invoice addresses derive from the dev mnemonic "${DEV_MERCHANT_MNEMONIC}" at m/44'/60'/0'/0/i
pay an invoice npm run anvil:pay -- <invoice address> <amount> [ETH|USDT]
`);
}

function shutdown() {
  for (const child of children) child.kill('SIGTERM');
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
main().catch((err: unknown) => {
  console.error(err);
  shutdown();
});
