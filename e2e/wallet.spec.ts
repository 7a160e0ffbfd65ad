/**
 * Pay with wallet (issue 16), in Chromium, against a real anvil node: the
 * buyer's injected EIP-6963 wallet (anvil-wallet.ts) pays ETH and the test
 * token in one click on /pay, switches or adds the network when it is on
 * another, and a rejection leaves the QR path working. The amount anvil
 * received is checked against the invoice's amount in base units.
 */
import { decodeFunctionData, erc20Abi, parseEther, parseUnits, type Hex } from 'viem';
import type { Frame, FrameLocator, Page } from '@playwright/test';
import { walletAnswerSchema, walletAskSchema } from '../contract/wallet-relay';
import { ANVIL_CHAIN_ID, BUYER, injectWallet, startEvmStack, type EvmStack, type WalletScript } from './anvil-wallet';
import { decodeQr, expect, expectState, test as base } from './fixtures';

const test = base.extend<object, { evm: EvmStack }>({
  evm: [
    async ({}, use) => {
      const evm = await startEvmStack();
      await use(evm);
      await evm.stop();
    },
    { scope: 'worker', timeout: 300_000 },
  ],
});

/**
 * The wallet's hash shows at once: "Sent: 0x1234…abcd" under the buttons,
 * or, once Payframe has seen the transaction (often first), on the "payment seen" screen.
 */
async function expectSentHashShown(page: Page | FrameLocator, wallet: WalletScript): Promise<Hex> {
  await expect.poll(() => wallet.sent.length).toBe(1);
  const hash = wallet.sent[0]!;
  await expect(page.getByText(`${hash.slice(0, 8)}…${hash.slice(-6)}`)).toBeVisible();
  return hash;
}

/** The two coins of the anvil stack, each at an amount with every decimal its scale allows. */
const COINS = [
  ['ETH', '0.01234567'],
  ['USDT', '12.345678'],
] as const;

/** The transaction the wallet sent pays exactly `amount` of `coin` to the invoice: ETH by value, the token by transfer(address, uint256) to its contract. */
async function expectPaysExactly(evm: EvmStack, hash: Hex, invoiceAddress: string, [coin, amount]: (typeof COINS)[number]): Promise<void> {
  const tx = await evm.anvil.public.getTransaction({ hash });
  expect(tx.from).toBe(evm.anvil.wallet(BUYER).account.address.toLowerCase());
  if (coin === 'ETH') {
    expect(tx.to).toBe(invoiceAddress.toLowerCase());
    expect(tx.value).toBe(parseEther(amount));
    return;
  }
  expect(tx.to).toBe(evm.token.toLowerCase());
  expect(tx.value).toBe(0n);
  const call = decodeFunctionData({ abi: erc20Abi, data: tx.input });
  expect(call.functionName).toBe('transfer');
  const [to, units] = call.args as readonly [Hex, bigint];
  expect(to.toLowerCase()).toBe(invoiceAddress.toLowerCase());
  expect(units).toBe(parseUnits(amount, 6));
}

test.describe('Pay with wallet on /pay', () => {
  for (const coin of COINS) {
    test(`${coin[0]}: one click sends exactly the amount due to the invoice, the hash shows at once, and the invoice completes`, async ({ page, evm }) => {
      const wallet = await injectWallet(page, evm.anvil);
      const inv = await evm.createInvoice(coin[1], coin[0]);
      await page.goto(`${evm.payframeUrl}/pay/${inv.id}`);
      await page.getByRole('button', { name: 'Pay with Anvil Wallet' }).click();
      await expectPaysExactly(evm, await expectSentHashShown(page, wallet), inv.invoiceAddress, coin);
      await expectState(page, 'MEM_POOL_FOUND', 'seen');
      await evm.anvil.mine(3);
      await expectState(page, 'COMPLETED', 'completed');
      expect((await evm.api.checkoutView(inv.id)).lastDepositHash).toBe(wallet.sent[0]);
    });
  }

  test('a wallet on another network that does not know the chain is asked to add it (EIP-3085), then pays', async ({ page, evm }) => {
    const wallet = await injectWallet(page, evm.anvil, { chainId: 1, known: [1] });
    const inv = await evm.createInvoice('0.002', 'ETH');
    await page.goto(`${evm.payframeUrl}/pay/${inv.id}`);
    await page.getByRole('button', { name: 'Pay with Anvil Wallet' }).click();
    await expectSentHashShown(page, wallet);
    expect(wallet.added).toEqual([{ chainId: `0x${ANVIL_CHAIN_ID.toString(16)}`, chainName: 'anvil', nativeCurrency: { name: 'ETH', symbol: 'ETH', decimals: 18 }, rpcUrls: [evm.anvil.rpcUrl] }]);
    expect(wallet.chainId).toBe(ANVIL_CHAIN_ID);
    await evm.anvil.mine(3);
    await expectState(page, 'COMPLETED', 'completed');
  });

  test('a wallet on another network that knows the chain switches to it, then pays', async ({ page, evm }) => {
    const wallet = await injectWallet(page, evm.anvil, { chainId: 1, known: [1, ANVIL_CHAIN_ID] });
    const inv = await evm.createInvoice('0.003', 'ETH');
    await page.goto(`${evm.payframeUrl}/pay/${inv.id}`);
    await page.getByRole('button', { name: 'Pay with Anvil Wallet' }).click();
    await expectSentHashShown(page, wallet);
    expect(wallet.added).toEqual([]);
    expect((await evm.anvil.public.getTransaction({ hash: wallet.sent[0]! })).value).toBe(parseEther('0.003'));
  });

  test('the buyer rejects in the wallet: the checkout says so, and paying by the QR code still completes the invoice', async ({ page, evm }) => {
    const wallet = await injectWallet(page, evm.anvil, { reject: true });
    const inv = await evm.createInvoice('0.004', 'ETH');
    await page.goto(`${evm.payframeUrl}/pay/${inv.id}`);
    await page.getByRole('button', { name: 'Pay with Anvil Wallet' }).click();
    await expect(page.getByRole('alert')).toHaveText('Cancelled in your wallet. Try again, or pay with the QR code below.');
    await expect(page.getByRole('button', { name: 'Pay with Anvil Wallet' })).toBeEnabled();
    expect(wallet.sent).toEqual([]);
    // The QR path: what a phone wallet reads from the QR code, paid from another account.
    const uri = (await decodeQr(page.locator('.pf-qr img')))!;
    const [, to, chainId, value] = /^ethereum:(0x[0-9a-fA-F]{40})@(\d+)\?value=(\d+)$/.exec(uri) ?? [];
    expect(Number(chainId)).toBe(ANVIL_CHAIN_ID);
    const other = evm.anvil.wallet(2);
    await other.sendTransaction({ to: to as Hex, value: BigInt(value!), account: other.account, chain: undefined });
    await expectState(page, 'MEM_POOL_FOUND', 'seen');
    await evm.anvil.mine(3);
    await expectState(page, 'COMPLETED', 'completed');
  });
});

test.describe('Pay with wallet in the merchant page’s iframe and modal (the wallet is the page’s, relayed)', () => {
  for (const coin of COINS) {
    test(`inline iframe: the page’s wallet pays ${coin[0]} in one click, and the invoice completes; every relay message fits the contract`, async ({ page, evm }) => {
      const wallet = await injectWallet(page, evm.anvil);
      // Each window keeps the relay messages it receives: the page the checkout's asks, the iframe the page's answers.
      await page.addInitScript(() => {
        const kept: unknown[] = ((window as unknown as { relayed: unknown[] }).relayed = []);
        addEventListener('message', (e) => (e.data as { source?: string })?.source === 'payframe-wallet' && kept.push(e.data));
      });
      const inv = await evm.createInvoice(coin[1], coin[0]);
      await page.goto(`${evm.shopUrl}/mount?invoice=${inv.id}`);
      const frame = page.frameLocator('iframe');
      await frame.getByRole('button', { name: 'Pay with Anvil Wallet' }).click();
      await expectPaysExactly(evm, await expectSentHashShown(frame, wallet), inv.invoiceAddress, coin);
      const read = (f: Frame) => f.evaluate(() => (window as unknown as { relayed: unknown[] }).relayed);
      const asks = (await read(page.mainFrame())).map((m) => walletAskSchema.parse(m));
      const answers = (await read(page.frames().find((f) => f !== page.mainFrame())!)).map((m) => walletAnswerSchema.parse(m));
      expect(asks.flatMap((m) => (m.type === 'request' ? [m.method] : []))).toEqual(['eth_requestAccounts', 'eth_chainId', 'eth_sendTransaction']);
      expect(answers.some((m) => m.type === 'reply' && m.result === wallet.sent[0])).toBe(true);
      await evm.anvil.mine(3);
      await expectState(frame, 'COMPLETED', 'completed');
    });

    test(`modal: the page’s wallet pays ${coin[0]} in one click, and the invoice completes`, async ({ page, evm }) => {
      const wallet = await injectWallet(page, evm.anvil);
      const inv = await evm.createInvoice(coin[1], coin[0]);
      await page.goto(`${evm.shopUrl}/modal?invoice=${inv.id}`);
      await page.getByRole('button', { name: 'Pay' }).click();
      const frame = page.getByRole('dialog').frameLocator('iframe');
      await frame.getByRole('button', { name: 'Pay with Anvil Wallet' }).click();
      await expectPaysExactly(evm, await expectSentHashShown(frame, wallet), inv.invoiceAddress, coin);
      await evm.anvil.mine(3);
      await expectState(frame, 'COMPLETED', 'completed');
    });
  }

  test('inline iframe: the buyer rejects in the page’s wallet, the checkout says so, and the button works again', async ({ page, evm }) => {
    const wallet = await injectWallet(page, evm.anvil, { reject: true });
    const inv = await evm.createInvoice('0.004', 'ETH');
    await page.goto(`${evm.shopUrl}/mount?invoice=${inv.id}`);
    const frame = page.frameLocator('iframe');
    await frame.getByRole('button', { name: 'Pay with Anvil Wallet' }).click();
    await expect(frame.getByRole('alert')).toHaveText('Cancelled in your wallet. Try again, or pay with the QR code below.');
    await expect(frame.getByRole('button', { name: 'Pay with Anvil Wallet' })).toBeEnabled();
    await expect(frame.locator('.pf-qr img')).toBeVisible();
    expect(wallet.sent).toEqual([]);
  });
});

test.describe('the demo shop’s sandbox wallet', () => {
  test('on the script-tag page, "Pay with Sandbox wallet" pays the invoice exactly, through the sandbox chain', async ({ page, stack }) => {
    await page.goto(`${stack.shopUrl}/checkout?product=pour-over-kit`);
    const frame = page.frameLocator('iframe');
    await frame.getByRole('button', { name: 'Pay with Sandbox wallet' }).click();
    await expectState(frame, 'MEM_POOL_FOUND', 'seen');
    await expect(page.locator('[data-log]')).toContainText('sandbox wallet: sent tx');
    const invoiceId = (await page.locator('[data-sandbox]').getAttribute('data-invoice'))!;
    const view = await stack.view(invoiceId);
    expect(view.amountPaid).toBe(view.amount);
    await stack.mine(3);
    await expectState(frame, 'COMPLETED', 'completed');
  });
});
