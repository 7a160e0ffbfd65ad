import { signal } from '@preact/signals';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { BOOT_ELEMENT_ID, MESSAGES_ELEMENT_ID } from '../boot';
import { pageMessages } from '../i18n/catalogue';
import { pendingView } from '../test-views';
import { startWallet } from './wallet';

const HASH = `0x${'ab'.repeat(32)}`;
const FROM = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';

/** A checkout page's pay screen (the slot the buttons go in) with one EIP-6963 wallet answering from `answers`. */
function page(answers: Record<string, unknown>, initial = pendingView) {
  const win = new Window();
  win.document.body.innerHTML = `<div class="pf"><div class="pf-wallet"></div><div class="pf-qr"></div></div><script type="application/json" id="${BOOT_ELEMENT_ID}">{}</script><script type="application/json" id="${MESSAGES_ELEMENT_ID}">${JSON.stringify(pageMessages('en', 'checkout'))}</script>`;
  const sent: unknown[] = [];
  const provider = {
    async request({ method, params }: { method: string; params: unknown[] }) {
      if (method === 'eth_sendTransaction') sent.push(params[0]);
      const a = answers[method];
      if (a instanceof Error) throw a;
      return a;
    },
  };
  const info = { uuid: 'u-1', name: 'TestWallet', icon: 'data:image/svg+xml,<svg/>', rdns: 'test.wallet' };
  win.addEventListener('eip6963:requestProvider', () => win.dispatchEvent(new win.CustomEvent('eip6963:announceProvider', { detail: { info, provider } })));
  const view = signal(initial);
  startWallet(win as never, { view });
  const slot = () => win.document.querySelector('.pf-wallet')!;
  const button = () => [...slot().querySelectorAll('button')].find((b) => /Pay with TestWallet/.test(b.textContent ?? ''));
  return { win, view, sent, slot, button };
}

const onChain = { eth_requestAccounts: [FROM], eth_chainId: '0x539', eth_sendTransaction: HASH };

describe('startWallet', () => {
  it('shows "Pay with <name>" with the wallet’s icon, and a click sends the view’s payment and shows its hash', async () => {
    const p = page(onChain);
    expect(p.button()).toBeDefined();
    expect(p.button()!.querySelector('img')!.getAttribute('src')).toMatch(/^data:image\/svg/);
    p.button()!.focus();
    p.button()!.click();
    expect(p.slot().querySelector('button')!.textContent).toBe('Confirm in your wallet…');
    p.slot().querySelector('button')!.click();
    await expect.poll(() => p.slot().textContent).toContain('Sent: 0xababab…ababab');
    expect(p.slot().querySelector('[role=status]')).not.toBeNull();
    // The second click, while the wallet was asking, sent nothing more.
    expect(p.sent).toEqual([{ from: FROM, chainId: '0x539', to: pendingView.address, value: '0x1b69b4ba630f34e' }]);
    expect(BigInt((p.sent[0] as { value: string }).value)).toBe(123456789012345678n);
  });

  it('says the buyer cancelled, and keeps the button and the QR code, when the wallet rejects (4001)', async () => {
    const p = page({ ...onChain, eth_sendTransaction: Object.assign(new Error('User rejected'), { code: 4001 }) });
    p.button()!.focus();
    p.button()!.click();
    await expect.poll(() => p.slot().querySelector('[role=alert]')?.textContent).toBe('Cancelled in your wallet. Try again, or pay with the QR code below.');
    expect(p.win.document.activeElement).toBe(p.button());
    expect(p.button()!.textContent).toBe('Pay with TestWallet');
    expect(p.win.document.querySelector('.pf-qr')).not.toBeNull();
  });

  it('shows no button when nothing is payable from a wallet (a bitcoin invoice), while one is there', () => {
    expect(page(onChain).button()).toBeDefined();
    expect(page(onChain, { ...pendingView, paymentUri: 'bitcoin:bcrt1qxyz?amount=0.1', walletTx: null }).button()).toBeUndefined();
  });

  it('fills the pay screen again when it comes back (an underpaid invoice asks for the rest)', async () => {
    const p = page(onChain);
    const fresh = p.win.document.createElement('div');
    fresh.className = 'pf-wallet';
    p.slot().replaceWith(fresh);
    await expect.poll(() => p.button()?.textContent).toBe('Pay with TestWallet');
  });
});
