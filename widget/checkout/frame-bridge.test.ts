import { describe, expect, it } from 'vitest';
import { frameMessageSchema, type FrameMessage } from '../../contract/frame';
import type { Timers } from './countdown';
import { connectFrame } from './frame-bridge';
import { createCheckoutModel } from './model';
import { boot, MESSAGES_OF_A_PAYMENT, pendingView, viewWith } from './test-views';

const idle: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

function fakeWindow() {
  const posted: { message: FrameMessage; targetOrigin: string }[] = [];
  const keyListeners: ((e: { key: string }) => void)[] = [];
  let resize: () => void = () => undefined;
  let height = 500;
  const win = {
    parent: { postMessage: (message: FrameMessage, targetOrigin: string) => posted.push({ message, targetOrigin }) },
    document: { body: { getBoundingClientRect: () => ({ height }) } },
    addEventListener: (_: string, fn: (e: { key: string }) => void) => keyListeners.push(fn),
    removeEventListener: () => undefined,
    ResizeObserver: class {
      constructor(fn: () => void) {
        resize = fn;
      }
      observe() {
        resize();
      }
      disconnect() {}
    },
  };
  return {
    win: win as unknown as Window & typeof globalThis,
    posted,
    types: () => posted.filter((p) => p.message.type !== 'resize').map((p) => `${p.message.type}${'state' in p.message ? ` ${p.message.state}` : ''}`),
    press: (key: string) => keyListeners.forEach((fn) => fn({ key })),
    resizeTo(h: number) {
      height = h;
      resize();
    },
  };
}

describe('connectFrame', () => {
  it('posts ready, each state change, paid once and completed, all to the exact parent origin', () => {
    const model = createCheckoutModel(boot(pendingView), { monotonic: () => 0, timers: idle });
    const w = fakeWindow();
    connectFrame(model, 'https://shop.example', w.win);
    model.update(viewWith({ version: 2, state: 'MEM_POOL_FOUND' }));
    model.update(viewWith({ version: 3, state: 'PAID' }));
    model.update(viewWith({ version: 4, state: 'PAID', confirmations: { current: 2, paid: 1, final: 3 } }));
    model.update(viewWith({ version: 5, state: 'COMPLETED' }));
    expect(w.types()).toEqual(MESSAGES_OF_A_PAYMENT);
    for (const p of w.posted) {
      expect(p.targetOrigin).toBe('https://shop.example');
      expect(frameMessageSchema.parse(p.message).invoiceId).toBe('inv_test');
    }
  });

  it('reports paid when the page first sees the invoice already complete', () => {
    const model = createCheckoutModel(boot(viewWith({ state: 'COMPLETED' })), { monotonic: () => 0, timers: idle });
    const w = fakeWindow();
    connectFrame(model, 'https://shop.example', w.win);
    expect(w.types()).toEqual(['ready COMPLETED', 'status COMPLETED', 'paid COMPLETED', 'completed COMPLETED']);
  });

  it('reports the height when it changes, and Escape as close', () => {
    const model = createCheckoutModel(boot(pendingView), { monotonic: () => 0, timers: idle });
    const w = fakeWindow();
    connectFrame(model, 'https://shop.example', w.win);
    w.resizeTo(500);
    w.resizeTo(612.2);
    w.press('Enter');
    w.press('Escape');
    const rest = w.posted.map((p) => p.message).filter((m) => m.type === 'resize' || m.type === 'close');
    expect(rest).toEqual([
      { source: 'payframe', v: 1, invoiceId: 'inv_test', type: 'resize', height: 500 },
      { source: 'payframe', v: 1, invoiceId: 'inv_test', type: 'resize', height: 613 },
      { source: 'payframe', v: 1, invoiceId: 'inv_test', type: 'close' },
    ]);
  });
});
