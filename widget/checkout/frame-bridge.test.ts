import { describe, expect, it } from 'vitest';
import { frameMessageSchema, type FrameMessage } from '../../contract/frame';
import type { Timers } from './countdown';
import { connectFrame, reportHeight } from './frame-bridge';
import { LEAVE_EVENT, type Leave } from './leave';
import { createCheckoutModel } from './model';
import { boot, MESSAGES_OF_A_PAYMENT, pendingView, viewWith } from './test-views';

const idle: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

function fakeWindow() {
  const posted: { message: FrameMessage; targetOrigin: string }[] = [];
  const listeners: Record<string, ((e: { key?: string; detail?: unknown }) => void)[]> = {};
  let resize: () => void = () => undefined;
  let height = 500;
  const win = {
    parent: { postMessage: (message: FrameMessage, targetOrigin: string) => posted.push({ message, targetOrigin }) },
    document: { body: { getBoundingClientRect: () => ({ height }) } },
    addEventListener: (type: string, fn: (e: { key?: string; detail?: unknown }) => void) => (listeners[type] ??= []).push(fn),
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
    press: (key: string) => listeners.keydown?.forEach((fn) => fn({ key })),
    /** What leave.ts raises on the window: the Close button or "Return to store" in a modal. */
    leave: (detail: Leave) => listeners[LEAVE_EVENT]?.forEach((fn) => fn({ detail })),
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

  it('passes the Close button and "Return to store" of a modal on to the page', () => {
    const model = createCheckoutModel(boot(pendingView), { monotonic: () => 0, timers: idle });
    const w = fakeWindow();
    connectFrame(model, 'https://shop.example', w.win);
    w.leave({ type: 'close' });
    w.leave({ type: 'return', url: 'https://shop.example/back' });
    const left = w.posted.map((p) => p.message).filter((m) => m.type === 'close' || m.type === 'return');
    expect(left.map((m) => frameMessageSchema.parse(m))).toEqual([
      { source: 'payframe', v: 1, invoiceId: 'inv_test', type: 'close' },
      { source: 'payframe', v: 1, invoiceId: 'inv_test', type: 'return', url: 'https://shop.example/back' },
    ]);
  });
});

describe('reportHeight (the picker)', () => {
  it('reports its height, and its Close button in a modal', () => {
    const w = fakeWindow();
    reportHeight('https://shop.example', w.win);
    w.leave({ type: 'close' });
    expect(w.posted.map((p) => [p.message.type, p.targetOrigin])).toEqual([
      ['resize', 'https://shop.example'],
      ['close', 'https://shop.example'],
    ]);
  });
});
