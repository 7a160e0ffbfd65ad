/**
 * A real local Ethereum node for tests: anvil from the @foundry-rs/anvil npm
 * package, on a port of its choosing, with automatic mining off so that transactions
 * wait in the mempool until the test mines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  type Abi,
  type Hex,
  type PublicClient,
  type TestClient,
  type WalletClient,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import type { ChainConfig } from '../chains/chains-file';
import { waitForOutput } from './wait-for';

/** anvil's default funded accounts come from this mnemonic. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
const ROOT = join(import.meta.dirname, '..', '..');

export const TEST_TOKEN = JSON.parse(readFileSync(join(ROOT, 'server/chains/evm/test-token/TestToken.json'), 'utf8')) as { abi: Abi; bytecode: Hex };

export interface Anvil {
  rpcUrl: string;
  public: PublicClient;
  test: TestClient<'anvil'>;
  /** Wallets of anvil's funded accounts 0…9. */
  wallet(index: number): WalletClient & { account: HDAccount };
  deployToken(): Promise<Hex>;
  mine(blocks?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The CHAINS_FILE entry of an anvil node with the test token deployed at `token` (1 confirmation to PAID, 3 to final). */
export function anvilChainConfig(rpcUrl: string, token: Hex, overrides: Partial<ChainConfig> = {}): ChainConfig {
  return {
    name: 'anvil',
    chainId: 31337,
    rpcUrl,
    nativeCurrency: 'ETH',
    nativeDecimals: 18,
    paidConfirmations: 1,
    finalConfirmations: 3,
    pollIntervalMs: 50,
    mempool: true,
    tokens: [{ currency: 'USDT', contract: token, decimals: 6 }],
    ...overrides,
  };
}

export async function startAnvil(): Promise<Anvil> {
  const bin = join(ROOT, 'node_modules', '.bin', 'anvil');
  // Port 0: anvil binds a free port and names it in its "Listening on" line (hence no --quiet), once it accepts requests.
  const child: ChildProcess = spawn(bin, ['--port', '0', '--no-mining'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [, host, port] = await waitForOutput(child, /^Listening on (\S+):(\d+)$/m, 'anvil');
  // It goes on to log every RPC call; nobody reads that, but the pipe must not fill up.
  child.stdout!.resume();
  child.stderr!.resume();
  const rpcUrl = `http://${host}:${port}`;
  const transport = http(rpcUrl, { retryCount: 0 });
  const pub = createPublicClient({ chain: foundry, transport, cacheTime: 0 });
  const test = createTestClient({ chain: foundry, mode: 'anvil', transport });
  const wallets = new Map<number, WalletClient & { account: HDAccount }>();
  const wallet = (index: number) => {
    let w = wallets.get(index);
    if (!w) {
      w = createWalletClient({ chain: foundry, transport, account: mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index }) }) as WalletClient & { account: HDAccount };
      wallets.set(index, w);
    }
    return w;
  };
  const mine = (blocks = 1) => test.mine({ blocks });
  return {
    rpcUrl,
    public: pub as PublicClient,
    test,
    wallet,
    mine,
    async deployToken() {
      const hash = await wallet(0).deployContract({ abi: TEST_TOKEN.abi, bytecode: TEST_TOKEN.bytecode, account: wallet(0).account, chain: foundry });
      await mine();
      const receipt = await pub.getTransactionReceipt({ hash });
      return receipt.contractAddress!;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    },
  };
}
