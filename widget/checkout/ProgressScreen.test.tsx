// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { screen, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { LEAVE_EVENT, type Leave } from './leave';
import { expectCopies, fakeTimersAndCleanup, renderCheckout } from './test-checkout';
import { completedView, paidView, pendingView, seenView, viewWith } from './test-views';

fakeTimersAndCleanup();

const heading = (name: string) => screen.getByRole('heading', { name });

describe('ProgressScreen', () => {
  it('follows the payment from seen to received to final as the stream reports it, then offers the way back to the store', () => {
    const checkout = renderCheckout(pendingView);
    checkout.push(seenView);
    expect(heading('Payment seen')).toBeVisible();
    expect(document.body).toHaveTextContent('Your payment of 0.123456789012345678 ETH is on its way.');
    expect(screen.getByText('0x3f3f3f…3f3f3f')).toBeVisible();
    expect(screen.queryByRole('link', { name: 'Open in wallet' })).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('Payment seen, waiting for confirmation.');

    checkout.push(paidView);
    expect(heading('Payment received')).toBeVisible();
    expect(document.body).toHaveTextContent('0.123456789012345678 ETH received. Nearly final: 1 more check by the network.');
    expect(screen.getByRole('status')).toHaveTextContent('Payment received, confirming.');

    checkout.push(completedView);
    expect(heading('Payment complete')).toBeVisible();
    expect(document.body).toHaveTextContent('Thank you. 0.123456789012345678 ETH received and final.');
    const back = screen.getByRole('link', { name: 'Return to store' });
    expect(back).toHaveAttribute('href', 'https://shop.example/thanks');
    // From the merchant's iframe the return goes to the top window (DESIGN: Embedding).
    expect(back).toHaveAttribute('target', '_top');
    expect(screen.getByRole('status')).toHaveTextContent('Payment complete.');
  });

  it('copies the full transaction hash that it shows shortened', async () => {
    const checkout = renderCheckout(seenView);
    await expectCopies(checkout, 'transaction', seenView.lastDepositHash);
  });

  it('counts confirmations up to the final depth', () => {
    const checkout = renderCheckout(viewWith({ ...paidView, confirmations: { current: 2, paid: 1, final: 12 } }));
    expect(document.body).toHaveTextContent('Nearly final: 10 more checks by the network.');
    expect(screen.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('value', '2');
    checkout.push(viewWith({ ...paidView, version: paidView.version + 1, confirmations: { current: 5, paid: 1, final: 12 } }));
    expect(document.body).toHaveTextContent('Nearly final: 7 more checks by the network.');
    expect(screen.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('value', '5');
  });

  it('stays on a seen payment when the invoice time runs out', () => {
    const checkout = renderCheckout(seenView);
    checkout.wait(16 * 60_000);
    expect(heading('Payment seen')).toBeVisible();
  });

  it('gives a receipt on completion: amount, network, the transaction linked to the chain’s explorer, and the time; printable', async () => {
    const print = vi.fn();
    vi.stubGlobal('print', print);
    const checkout = renderCheckout(completedView, { explorerTxUrl: 'https://explorer.example/tx/{hash}' });
    const receipt = screen.getByRole('region', { name: 'Receipt' });
    expect(receipt).toHaveTextContent('Amount0.123456789012345678 ETH');
    expect(receipt).toHaveTextContent('NetworkEthereum');
    expect(receipt).toHaveTextContent(`Transaction${completedView.lastDepositHash}`);
    expect(within(receipt).getByRole('link', { name: 'View in a block explorer' })).toHaveAttribute('href', `https://explorer.example/tx/${completedView.lastDepositHash}`);
    expect(receipt).toHaveTextContent(new RegExp(`Time.*${new Date(completedView.completedAt!).getFullYear()}`));
    await checkout.user.click(within(receipt).getByRole('button', { name: 'Print receipt' }));
    expect(print).toHaveBeenCalledOnce();
    vi.unstubAllGlobals();
  });

  it('links no explorer when the chain names none', () => {
    renderCheckout(completedView);
    expect(screen.getByRole('region', { name: 'Receipt' })).toHaveTextContent(completedView.lastDepositHash!);
    expect(screen.queryByRole('link', { name: 'View in a block explorer' })).toBeNull();
  });

  it('in the loader’s modal, has a Close button in its card, and "Return to store" asks the modal to close instead of leaving the page', async () => {
    const asked: Leave[] = [];
    const onLeave = (e: Event) => asked.push((e as CustomEvent<Leave>).detail);
    addEventListener(LEAVE_EVENT, onLeave);
    const checkout = renderCheckout(completedView, { modal: true });
    await checkout.user.click(screen.getByRole('button', { name: 'Close' }));
    const back = screen.getByRole('link', { name: 'Return to store' });
    let navigated = true;
    back.addEventListener('click', (e) => (navigated = !e.defaultPrevented));
    await checkout.user.click(back);
    removeEventListener(LEAVE_EVENT, onLeave);
    expect(asked).toEqual([{ type: 'close' }, { type: 'return', url: 'https://shop.example/thanks' }]);
    expect(navigated).toBe(false);
  });

  it('has no Close button outside a modal', () => {
    renderCheckout(completedView);
    expect(screen.queryByRole('button', { name: 'Close' })).toBeNull();
  });

  it('offers no way back when the merchant gave no return URL', () => {
    renderCheckout(viewWith({ ...completedView, returnUrl: null }));
    expect(heading('Payment complete')).toBeVisible();
    expect(screen.queryByRole('link', { name: 'Return to store' })).toBeNull();
  });
});
