import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { walletAnswerSchema } from '../../../contract/wallet-relay';
import { discoverWallets, type Wallet } from './discover';
import { relayedWallets } from './relay';
import { relayWallets } from './relay-page';

const PAYFRAME = 'https://pay.example';
const SHOP = 'https://shop.example';

/** A message as the browser delivers it: with the sender's origin and window. */
const deliver = (win: Window, data: unknown, origin: string, source: unknown) => win.dispatchEvent(new win.MessageEvent('message', { data, origin, source: source as never }));

/** The merchant's page with one EIP-6963 wallet that records what it is asked. */
function shopPage() {
  const win = new Window({ url: SHOP });
  const asked: string[] = [];
  const provider = { request: async ({ method }: { method: string }) => (asked.push(method), method === 'eth_chainId' ? '0x1' : null) };
  const detail = { info: { uuid: 'w1', name: 'Wallet', icon: 'data:image/png;base64,AA==' }, provider };
  win.addEventListener('eip6963:requestProvider', () => win.dispatchEvent(new win.CustomEvent('eip6963:announceProvider', { detail })));
  relayWallets(win as never, PAYFRAME);
  // The checkout's window as the page sees it: it records what the page posts to it.
  const posted: { data: unknown; origin: string }[] = [];
  const checkout = { postMessage: (data: unknown, origin: string) => posted.push({ data, origin }) };
  return { win, asked, posted, checkout };
}

describe('relayWallets (the merchant page)', () => {
  it('lists its wallets to the checkout, posting only to Payframe’s origin', () => {
    const p = shopPage();
    deliver(p.win, { source: 'payframe-wallet', type: 'list' }, PAYFRAME, p.checkout);
    expect(p.posted).toEqual([{ data: { source: 'payframe-wallet', type: 'wallets', wallets: [{ name: 'Wallet', icon: 'data:image/png;base64,AA==' }] }, origin: PAYFRAME }]);
    walletAnswerSchema.parse(p.posted[0]!.data);
  });

  it('carries a relayed method to the wallet and the answer back', async () => {
    const p = shopPage();
    deliver(p.win, { source: 'payframe-wallet', type: 'request', id: 7, wallet: 'Wallet', method: 'eth_chainId', params: [] }, PAYFRAME, p.checkout);
    await expect.poll(() => p.posted).toEqual([{ data: { source: 'payframe-wallet', type: 'reply', id: 7, result: '0x1' }, origin: PAYFRAME }]);
    expect(p.asked).toEqual(['eth_chainId']);
  });

  it('never asks the wallet to sign anything else, and ignores messages from any other origin', async () => {
    const p = shopPage();
    deliver(p.win, { source: 'payframe-wallet', type: 'request', id: 8, wallet: 'Wallet', method: 'personal_sign', params: ['0x00', '0x00'] }, PAYFRAME, p.checkout);
    deliver(p.win, { source: 'payframe-wallet', type: 'request', id: 9, wallet: 'Wallet', method: 'eth_sendTransaction', params: [{}] }, 'https://evil.example', p.checkout);
    expect(p.posted).toEqual([{ data: { source: 'payframe-wallet', type: 'reply', id: 8, error: { code: 4200, message: 'not relayed' } }, origin: PAYFRAME }]);
    expect(p.asked).toEqual([]);
  });
});

describe('relayedWallets (the checkout in the iframe)', () => {
  function checkoutFrame() {
    const win = new Window({ url: `${PAYFRAME}/embed/inv_1` });
    const parent = { posted: [] as unknown[], postMessage(data: unknown, origin: string) { this.posted.push({ data, origin }); } };
    Object.defineProperty(win, 'parent', { value: parent });
    let wallets: Wallet[] = [];
    // As the checkout does: the relay starts with the page, the pay screen then asks for wallets; the relayed ones are found like its own.
    relayedWallets(win as never, SHOP);
    discoverWallets(win as never, (w) => (wallets = w));
    return { win, parent, wallets: () => wallets };
  }
  const list = { source: 'payframe-wallet', type: 'wallets', wallets: [{ name: 'Wallet', icon: 'https://tracker.example/i.png' }] };

  it('asks its parent, at the vouched-for origin, for the wallets, and takes the list only from that window and origin', () => {
    const f = checkoutFrame();
    expect(f.parent.posted).toEqual([{ data: { source: 'payframe-wallet', type: 'list' }, origin: SHOP }]);
    deliver(f.win, list, 'https://evil.example', f.parent);
    deliver(f.win, list, SHOP, {});
    expect(f.wallets()).toEqual([]);
    deliver(f.win, list, SHOP, f.parent);
    expect(f.wallets().map((w) => [w.name, w.icon])).toEqual([['Wallet', '']]);
  });

  it('finds the page’s wallets again when the pay screen comes back (a new discovery asks, and the page answers again)', () => {
    const f = checkoutFrame();
    deliver(f.win, list, SHOP, f.parent);
    // The top-up screen mounts its buttons afresh: a discovery of its own, which must not come up empty.
    let again: Wallet[] = [];
    discoverWallets(f.win as never, (w) => (again = w));
    expect(f.parent.posted.filter((p) => (p as { data: { type: string } }).data.type === 'list')).toHaveLength(2);
    deliver(f.win, list, SHOP, f.parent);
    expect(again.map((w) => w.name)).toEqual(['Wallet']);
  });

  it('sends a request through the parent and settles it with the reply, an error with its code', async () => {
    const f = checkoutFrame();
    deliver(f.win, list, SHOP, f.parent);
    const chain = f.wallets()[0]!.provider.request({ method: 'eth_chainId' });
    const sent = f.wallets()[0]!.provider.request({ method: 'eth_sendTransaction', params: [{}] });
    expect(f.parent.posted.slice(1)).toEqual([
      { data: { source: 'payframe-wallet', type: 'request', id: 0, wallet: 'Wallet', method: 'eth_chainId', params: [] }, origin: SHOP },
      { data: { source: 'payframe-wallet', type: 'request', id: 1, wallet: 'Wallet', method: 'eth_sendTransaction', params: [{}] }, origin: SHOP },
    ]);
    deliver(f.win, { source: 'payframe-wallet', type: 'reply', id: 1, error: { code: 4001, message: 'User rejected' } }, SHOP, f.parent);
    deliver(f.win, { source: 'payframe-wallet', type: 'reply', id: 0, result: '0x7a69' }, SHOP, f.parent);
    expect(await chain).toBe('0x7a69');
    await expect(sent).rejects.toMatchObject({ code: 4001, message: 'User rejected' });
  });
});
