// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { act, cleanup, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTimersAndCleanup, renderCheckout } from '../test-checkout';
import { completedView, pendingView, underpaidView, viewWith } from '../test-views';

fakeTimersAndCleanup();

const HASH = `0x${'ab'.repeat(32)}`;
const FROM = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const onChain = { eth_requestAccounts: [FROM], eth_chainId: '0x539', eth_sendTransaction: HASH };

/** The browser's wallet, announcing itself (EIP-6963) whenever the page asks; it answers each method from `answers` and keeps what it was asked to send. */
function installWallet(answers: Record<string, unknown>) {
  const sent: unknown[] = [];
  const provider = {
    async request({ method, params }: { method: string; params: unknown[] }) {
      if (method === 'eth_sendTransaction') sent.push(params[0]);
      const a = answers[method];
      if (a instanceof Error) throw a;
      return a;
    },
  };
  const detail = { info: { uuid: 'u-1', name: 'TestWallet', icon: 'data:image/svg+xml,<svg/>', rdns: 'test.wallet' }, provider };
  const announce = () => dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
  addEventListener('eip6963:requestProvider', announce);
  uninstall.push(() => removeEventListener('eip6963:requestProvider', announce));
  return { sent };
}
const uninstall: (() => void)[] = [];
afterEach(() => uninstall.splice(0).forEach((f) => f()));

const button = () => screen.queryByRole('button', { name: /^Pay with TestWallet/ });
/** Lets the wallet's answers (promises) settle inside act(), so the page re-renders with them. */
const settle = () => act(async () => {});

describe('WalletButtons', () => {
  it('shows "Pay with <name>" with the wallet’s icon; a click sends the view’s transaction and shows its hash', async () => {
    const wallet = installWallet(onChain);
    const checkout = renderCheckout(pendingView);
    expect(button()).toBeVisible();
    expect(button()!.querySelector('img')).toHaveAttribute('src', 'data:image/svg+xml,<svg/>');
    await checkout.user.click(button()!);
    await settle();
    expect(screen.getByText('Sent: 0xababab…ababab')).toHaveAttribute('role', 'status');
    expect(wallet.sent).toEqual([{ from: FROM, ...pendingView.walletTx }]);
    expect(BigInt((wallet.sent[0] as { value: string }).value)).toBe(123456789012345678n);
    // Sent: no second button to press.
    expect(button()).toBeNull();
  });

  it('says the buyer cancelled, and keeps the button and the QR code, when the wallet rejects (4001)', async () => {
    installWallet({ ...onChain, eth_sendTransaction: Object.assign(new Error('User rejected'), { code: 4001 }) });
    const checkout = renderCheckout(pendingView);
    await checkout.user.click(button()!);
    await settle();
    expect(screen.getByRole('alert')).toHaveTextContent('Cancelled in your wallet. Try again, or pay with the QR code below.');
    expect(button()).toHaveTextContent('Pay with TestWallet');
    expect(button()).toHaveFocus();
    expect(screen.getByRole('img', { name: /^QR code/ })).toBeVisible();
  });

  it('says "Confirm in your wallet" while the wallet asks the buyer, and sends once for two clicks', async () => {
    let approve: (hash: string) => void = () => undefined;
    const wallet = installWallet({ ...onChain, eth_sendTransaction: new Promise<string>((resolve) => (approve = resolve)) });
    const checkout = renderCheckout(pendingView);
    await checkout.user.click(button()!);
    await settle();
    expect(screen.getByRole('button', { name: 'Confirm in your wallet…' })).toBeVisible();
    await checkout.user.click(screen.getByRole('button', { name: 'Confirm in your wallet…' }));
    approve(HASH);
    await settle();
    expect(wallet.sent).toHaveLength(1);
  });

  it('shows no button without a wallet, nor when nothing is payable from one (a bitcoin invoice, a completed one)', () => {
    renderCheckout(pendingView);
    expect(button()).toBeNull();
    cleanup();
    installWallet(onChain);
    renderCheckout(viewWith({ paymentUri: 'bitcoin:bcrt1qxyz?amount=0.1', walletTx: null }));
    expect(button()).toBeNull();
    cleanup();
    renderCheckout(completedView);
    expect(button()).toBeNull();
    cleanup();
    // The same wallet, on a payable view: the button is there (so the checks above could fail).
    renderCheckout(pendingView);
    expect(button()).toBeVisible();
  });

  it('asks for the rest when the invoice is underpaid: the top-up screen’s button sends the amount due', async () => {
    const wallet = installWallet(onChain);
    const checkout = renderCheckout(pendingView);
    checkout.push(underpaidView);
    await checkout.user.click(button()!);
    await settle();
    expect(wallet.sent).toEqual([{ from: FROM, ...underpaidView.walletTx }]);
    expect(BigInt((wallet.sent[0] as { value: string }).value)).toBe(23456789012345678n);
  });
});
