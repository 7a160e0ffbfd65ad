/**
 * The browser tests' EVM world: a real anvil node with the test token, a
 * Payframe watching it (CHAINS_FILE, sandbox off), a merchant whose invoice
 * addresses derive from a known xpub, and a page of the merchant's own
 * (another origin) that embeds the checkout with the loader. Per worker.
 *
 * And the buyer's browser wallet: an EIP-6963 provider injected into the
 * top page only (wallets do not inject into cross-origin iframes), whose
 * every request goes through a Playwright binding to this process, which
 * plays the wallet's own part (accounts, its network, the buyer's approval)
 * and forwards transactions to anvil's unlocked account: a real node signs
 * and mines them.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { parseUnits, type Hex } from 'viem';
import type { Page } from '@playwright/test';
import { anvilChainConfig, startAnvil, TEST_TOKEN, type Anvil } from '../server/testing/anvil';
import { createPayframeClient, type PayframeClient } from '../demo/payframe-client';
import { DEV_MERCHANT_MNEMONIC } from '../scripts/dev-anvil-state';
import { createMerchant, setMerchantEvmXpub, setMerchantOrigins, startPayframe } from '../scripts/lib/stack';

export const ANVIL_CHAIN_ID = 31337;
/** anvil's account 1: holds ETH and, once minted here, the test token. */
export const BUYER = 1;

export interface EvmStack {
  anvil: Anvil;
  token: Hex;
  payframeUrl: string;
  /** The merchant's page: http://localhost:<port>/mount?invoice=…, /modal?invoice=… */
  shopUrl: string;
  api: PayframeClient;
  createInvoice(amount: string, currency: 'ETH' | 'USDT'): Promise<{ id: string; invoiceAddress: string }>;
  stop(): Promise<void>;
}

/** The merchant's page: the loader, and either an inline checkout or a button that opens the modal. */
function shopPage(payframeUrl: string, path: string, invoice: string): string {
  const body =
    path === '/modal'
      ? `<button id="open">Pay</button><script src="${payframeUrl}/widget.js"></script><script src="/open.js"></script>`
      : `<div data-payframe-invoice="${invoice}"></div><script src="${payframeUrl}/widget.js" async></script>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head><body>${body}</body></html>`;
}

export async function startEvmStack(): Promise<EvmStack> {
  const anvil = await startAnvil();
  const token = await anvil.deployToken();
  await anvil.wallet(0).writeContract({ address: token, abi: TEST_TOKEN.abi, functionName: 'mint', args: [anvil.wallet(BUYER).account.address, parseUnits('1000000', 6)], account: anvil.wallet(0).account, chain: undefined });
  await anvil.mine();
  const dir = mkdtempSync(join(tmpdir(), 'payframe-e2e-evm-'));
  const chainsFile = join(dir, 'chains.json');
  // The wallet may be asked to add the chain (EIP-3085): here its public RPC is anvil itself.
  writeFileSync(chainsFile, JSON.stringify([{ ...anvilChainConfig(anvil.rpcUrl, token), walletRpcUrl: anvil.rpcUrl }]));
  const log = join(dir, 'servers.log');
  const payframe = await startPayframe({ dataDir: dir, env: { NODE_ENV: 'test', SANDBOX: '0', CHAINS_FILE: chainsFile }, log });
  const merchant = await createMerchant({ dataDir: dir, origins: [] });
  const xpub = HDKey.fromMasterSeed(mnemonicToSeedSync(DEV_MERCHANT_MNEMONIC)).derive("m/44'/60'/0'").publicExtendedKey;
  await setMerchantEvmXpub({ dataDir: dir, account: merchant.account, xpub });

  const shop: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/open.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(`document.getElementById('open').onclick = () => Payframe.open(new URLSearchParams(location.search).get('invoice'));`);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(shopPage(payframe.url, url.pathname, url.searchParams.get('invoice') ?? ''));
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const shopUrl = `http://localhost:${(shop.address() as { port: number }).port}`;
  await setMerchantOrigins({ dataDir: dir, account: merchant.account, origins: [shopUrl] });

  const api = createPayframeClient({ apiUrl: payframe.url, credentials: merchant });
  let n = 0;
  return {
    anvil,
    token,
    payframeUrl: payframe.url,
    shopUrl,
    api,
    createInvoice: (amount, currency) => api.createInvoice({ amount, currency, description: 'Wallet E2E', idempotencyKey: `wallet-${process.pid}-${++n}-${Date.now()}` }),
    async stop() {
      await new Promise((r) => shop.close(r));
      await payframe.stop();
      await anvil.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The buyer's wallet as the test sets it up: on which network, which it knows, and whether the buyer approves. */
export interface WalletScript {
  chainId: number;
  known: number[];
  reject?: boolean;
  /** What the checkout asked the wallet to add, and the hashes it sent. */
  added: unknown[];
  sent: Hex[];
}

type Answer = { result: unknown } | { error: { code: number; message: string } };

/** Injects the wallet into `page` (top frame only); returns its script, which the test may change as it goes. */
export async function injectWallet(page: Page, anvil: Anvil, wallet: Partial<WalletScript> = {}): Promise<WalletScript> {
  const state: WalletScript = { chainId: ANVIL_CHAIN_ID, known: [ANVIL_CHAIN_ID], added: [], sent: [], ...wallet };
  const buyer = anvil.wallet(BUYER).account.address;
  const rpc = async (method: string, params: unknown[]): Promise<Answer> => {
    const res = await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
    return body.error ? { error: body.error } : { result: body.result };
  };
  await page.exposeFunction('payframeTestWallet', async ({ method, params = [] }: { method: string; params?: unknown[] }): Promise<Answer> => {
    const chain = (p: unknown) => Number((p as { chainId: string }).chainId);
    switch (method) {
      case 'eth_requestAccounts':
        return state.reject ? { error: { code: 4001, message: 'User rejected the request.' } } : { result: [buyer] };
      case 'eth_chainId':
        return { result: `0x${state.chainId.toString(16)}` };
      case 'wallet_switchEthereumChain':
        if (!state.known.includes(chain(params[0]))) return { error: { code: 4902, message: 'Unrecognized chain ID' } };
        state.chainId = chain(params[0]);
        return { result: null };
      case 'wallet_addEthereumChain':
        state.added.push(params[0]);
        state.known.push(chain(params[0]));
        state.chainId = chain(params[0]);
        return { result: null };
      case 'eth_sendTransaction': {
        if (state.chainId !== ANVIL_CHAIN_ID) return { error: { code: -32000, message: 'wrong chain' } };
        const answer = await rpc(method, params);
        if ('result' in answer) state.sent.push(answer.result as Hex);
        return answer;
      }
      default:
        return { error: { code: 4200, message: `unsupported: ${method}` } };
    }
  });
  await page.addInitScript(() => {
    // Wallets inject into the page the buyer opened, not into cross-origin iframes.
    if (window !== window.top) return;
    const call = (window as unknown as { payframeTestWallet: (a: unknown) => Promise<Answer> }).payframeTestWallet;
    const provider = {
      async request(args: { method: string; params?: unknown[] }) {
        const answer = await call(args);
        if ('error' in answer) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
        return answer.result;
      },
    };
    const icon = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 2 2%22%3E%3Ccircle cx=%221%22 cy=%221%22 r=%221%22/%3E%3C/svg%3E';
    const detail = Object.freeze({ info: { uuid: 'e2e-anvil-wallet', name: 'Anvil Wallet', icon, rdns: 'test.anvil' }, provider });
    const announce = () => dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
    addEventListener('eip6963:requestProvider', announce);
    announce();
  });
  return state;
}
