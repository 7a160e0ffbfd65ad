/**
 * A Bitcoin invoice on the hosted page, paid through the sandbox (which
 * gives BTC regtest bech32 addresses): the network's name, the address, a
 * BIP-21 wallet link, and a QR code whose pixels decode to the upper-case
 * form of the URI that wallets read.
 */
import { checkout, decodeQr, expect, expectState, test } from './fixtures';

test('BTC: Bitcoin, a bech32 address, the BIP-21 link, an upper-case QR, and a payment completes it', async ({ page, stack }) => {
  const inv = await stack.createInvoice({ amount: '0.0015', currency: 'BTC' });
  expect(inv.invoiceAddress).toMatch(/^bcrt1q[02-9ac-hj-np-z]{38}$/);
  await page.goto(`${stack.payframeUrl}/pay/${inv.id}`);
  await expectState(page, 'PENDING_PAYMENT', 'pay');
  const uri = `bitcoin:${inv.invoiceAddress}?amount=0.0015`;
  expect((await stack.view(inv.id)).paymentUri).toBe(uri);
  await expect(page.getByRole('link', { name: 'Open in wallet' })).toHaveAttribute('href', uri);
  expect(await decodeQr(page.locator('.pf-qr img'))).toBe(`BITCOIN:${inv.invoiceAddress.toUpperCase()}?amount=0.0015`);
  await expect(page.locator('.pf-net')).toHaveText('BTC on BitcoinSend only BTC on Bitcoin. Other networks lose the funds.');
  await expect(checkout(page)).toContainText(inv.invoiceAddress);

  await stack.pay(inv.id, '0.0015');
  await expectState(page, 'MEM_POOL_FOUND', 'seen');
  await stack.mine(3);
  await expectState(page, 'COMPLETED', 'completed');
});
