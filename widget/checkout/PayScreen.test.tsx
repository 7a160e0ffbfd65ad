// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { copyButton, expectCopies, fakeTimersAndCleanup, renderCheckout } from './test-checkout';
import { pendingView, underpaidView, viewWith } from './test-views';

fakeTimersAndCleanup();

const wallet = () => screen.getByRole('link', { name: 'Open in wallet' });
const qr = () => screen.getByRole('img', { name: /^QR code/ });
/** The address as shown: its text whole, whatever the groups it is drawn in. */
const shownAddress = () => screen.getByText((_, el) => el?.tagName === 'CODE' && el.textContent === pendingView.address);

describe('PayScreen, waiting for the payment', () => {
  it('shows what to send, where, with the QR of the payment URI and a wallet link that leaves the iframe', () => {
    renderCheckout(pendingView);
    expect(screen.getByRole('heading', { name: 'Pay with ETH' })).toBeVisible();
    expect(within(screen.getByRole('banner')).getByText('Order #1042 — 2 × Mountain coffee')).toBeVisible();
    expect(within(screen.getByRole('banner')).getByText('0.123456789012345678 ETH')).toBeVisible();
    expect(document.body).toHaveTextContent('ETH on Ethereum');
    expect(document.body).toHaveTextContent('Send only ETH on Ethereum. Other networks lose the funds.');
    // Read in groups of four, none split across lines; the text (and the copy) is the address whole.
    expect(shownAddress()).toBeVisible();
    expect([...shownAddress().children].map((g) => g.textContent)).toEqual(['0x', '5290', '8400', '0985', '2788', '6E0F', '7030', '0698', '57D2', 'E416', '9EE7']);
    expect(qr()).toHaveAttribute('src', '/qr/inv_test/1.svg');
    // The address and amount are read out beside it; the alt says what the image is, not a 90-character URI.
    expect(qr()).toHaveAccessibleName('QR code of the payment');
    expect(wallet()).toHaveAttribute('href', pendingView.paymentUri);
    // Inside the merchant's iframe a wallet link must navigate the top window (DESIGN: Embedding).
    expect(wallet()).toHaveAttribute('target', '_top');
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for your payment.');
  });

  it('shows a Bitcoin invoice with its network name, bech32 address and BIP-21 wallet link', () => {
    const address = 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu';
    const btc = viewWith({ amount: '0.0015', amountDue: '0.0015', currency: { code: 'BTC', network: 'bitcoin', decimals: 8, token: null }, address, paymentUri: `bitcoin:${address}?amount=0.0015` });
    renderCheckout(btc);
    expect(screen.getByRole('heading', { name: 'Pay with BTC' })).toBeVisible();
    expect(document.body).toHaveTextContent('BTC on Bitcoin');
    expect(document.body).toHaveTextContent('Send only BTC on Bitcoin. Other networks lose the funds.');
    expect(screen.getByText((_, el) => el?.tagName === 'CODE' && el.textContent === address)).toBeVisible();
    expect(wallet()).toHaveAttribute('href', `bitcoin:${address}?amount=0.0015`);
  });

  it('copies the full address and confirms', async () => {
    const checkout = renderCheckout(pendingView);
    await expectCopies(checkout, 'address', pendingView.address);
  });

  it('copies the exact amount due, not the grouped one it shows, and the button resets after 2 s', async () => {
    const checkout = renderCheckout(viewWith({ amount: '1234.5', amountDue: '1234.5' }));
    // Once in the header (the total), once as the amount to send.
    expect(screen.getAllByText('1,234.5 ETH')).toHaveLength(2);
    await expectCopies(checkout, 'amount', '1234.5');
    checkout.wait(2_000);
    expect(copyButton('amount')).toBeVisible();
  });

  it('asks the buyer to select the value when the browser refuses the clipboard', async () => {
    const checkout = renderCheckout(pendingView, { clipboard: 'refuses' });
    await checkout.user.click(copyButton('address'));
    expect(screen.getByRole('button', { name: /^Select it/ })).toBeVisible();
    expect(shownAddress()).toBeVisible();
  });

  it('shows copy buttons, and the deadline in local time, only once the page runs script', () => {
    const checkout = renderCheckout(pendingView, { started: false });
    expect(screen.queryByRole('button', { name: /copy/i })).toBeNull();
    // The server does not know the buyer's time zone: the countdown alone until the browser runs.
    expect(document.querySelector('.pf-timer')).toHaveTextContent(/^Expires in 15:00$/);
    checkout.start();
    expect(copyButton('amount')).toBeVisible();
    expect(copyButton('address')).toBeVisible();
    // The clock time of the deadline in the machine's zone ("12:15 PM" in UTC, "1:15 PM" in Paris…).
    expect(document.querySelector('.pf-timer')).toHaveTextContent(/^Expires in 15:00, at \d{1,2}:\d\d/);
  });

  it('counts down each second, and turns into the expired screen when the time is up', () => {
    const checkout = renderCheckout(pendingView);
    expect(screen.getByRole('timer')).toHaveTextContent('15:00');
    checkout.wait(1_500);
    expect(screen.getByRole('timer')).toHaveTextContent('14:59');
    checkout.wait(9 * 60_000);
    expect(screen.getByRole('timer')).toHaveTextContent('5:59');
    checkout.wait(6 * 60_000);
    expect(screen.getByRole('heading', { name: 'Invoice expired' })).toBeVisible();
    expect(screen.queryByRole('link', { name: 'Open in wallet' })).toBeNull();
    expect(screen.queryByRole('button', { name: /copy/i })).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('The invoice expired.');
  });

  it('announces "two minutes left" once, through the polite status region, and not the countdown itself', () => {
    const checkout = renderCheckout(pendingView, { serverNow: Date.parse(pendingView.expiresAt) - 3 * 60_000 });
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Waiting for your payment.');
    checkout.wait(59_000);
    expect(status).toHaveTextContent('Waiting for your payment.');
    checkout.wait(2_000);
    expect(status).toHaveTextContent('Two minutes left to pay.');
    const announced = status.textContent;
    checkout.wait(30_000);
    // The same words: a screen reader says nothing more while the seconds run.
    expect(status.textContent).toBe(announced);
    expect(screen.getByRole('timer')).not.toHaveAttribute('aria-live');
  });

  it('does not announce two minutes left to a buyer who opened the page with less', () => {
    const checkout = renderCheckout(pendingView, { serverNow: Date.parse(pendingView.expiresAt) - 90_000 });
    checkout.wait(10_000);
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for your payment.');
  });

  it('counts from the server time of the page, not from when the buyer opened it', () => {
    renderCheckout(pendingView, { serverNow: Date.parse(pendingView.createdAt) + 5 * 60_000 });
    expect(screen.getByRole('timer')).toHaveTextContent('10:00');
  });

  it('names the network, and shows the token contract shortened on one line, copied whole with one tap', async () => {
    const token = '0x55d398326f99059fF775485246999027B3197955';
    const checkout = renderCheckout(viewWith({ currency: { code: 'USDT_BSC', network: 'bsc', decimals: 18, token } }));
    expect(screen.getByRole('heading', { name: 'Pay with USDT' })).toBeVisible();
    expect(document.body).toHaveTextContent('USDT on BNB Smart Chain');
    expect(screen.getByText('0x55d398…197955')).toBeVisible();
    await expectCopies(checkout, 'token contract', token);
  });

  it('shows no token contract for a chain’s own coin', () => {
    renderCheckout(pendingView);
    expect(screen.queryByRole('button', { name: 'Copy token contract' })).toBeNull();
  });
});

describe('PayScreen, QR code inlined by the server', () => {
  it('shows the QR code that came in the page, and loads the next one when the amount due changes', () => {
    const inline = 'data:image/svg+xml,%3Csvg/%3E';
    const checkout = renderCheckout(pendingView, { qr: { version: 1, src: inline } });
    expect(qr()).toHaveAttribute('src', inline);
    checkout.push(underpaidView);
    expect(qr()).toHaveAttribute('src', '/qr/inv_test/3.svg');
  });
});

describe('PayScreen, underpaid while the invoice is open', () => {
  it('asks for the remainder, with its own QR and wallet link, when a part payment arrives', async () => {
    const checkout = renderCheckout(pendingView);
    checkout.push(underpaidView);
    expect(screen.getByRole('heading', { name: 'Send the remaining amount' })).toBeVisible();
    // The header asks for what this screen asks for: the remainder, not the first total.
    expect(within(screen.getByRole('banner')).getByText('0.023456789012345678 ETH')).toBeVisible();
    expect(document.body).toHaveTextContent('You paid 0.1 ETH of 0.123456789012345678 ETH. Send the remaining 0.023456789012345678 ETH from the same wallet');
    expect(wallet()).toHaveAttribute('href', underpaidView.paymentUri);
    expect(qr()).toHaveAttribute('src', '/qr/inv_test/3.svg');
    expect(screen.getByRole('status')).toHaveTextContent('Part of the amount received; the rest is due.');
    await expectCopies(checkout, 'amount', '0.023456789012345678');
  });

  it('offers the support link to a buyer who has already sent money', () => {
    renderCheckout(underpaidView);
    expect(screen.getByRole('link', { name: 'Contact support' })).toHaveAttribute('href', 'https://shop.example/support');
  });

  it('stops asking for the rest when the time runs out, and says the merchant decides', () => {
    const checkout = renderCheckout(underpaidView);
    checkout.wait(15 * 60_000 + 1_000);
    expect(screen.getByRole('heading', { name: 'Paid less than the amount' })).toBeVisible();
    expect(document.body).toHaveTextContent('We received 0.1 ETH of 0.123456789012345678 ETH, and the invoice is no longer open');
    expect(screen.queryByRole('link', { name: 'Open in wallet' })).toBeNull();
  });
});
