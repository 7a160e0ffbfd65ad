/**
 * The checkout as a buyer's browser runs it, for the component tests: the
 * real `<Checkout>` tree on the real `createCheckoutModel`, wired as main.tsx
 * wires it, with only the world outside faked — the clock (Vitest's fake
 * timers, which drive `setTimeout` and `performance.now` alike), the
 * invoice's SSE stream and the clipboard.
 */
import { act, cleanup, render, screen } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { CheckoutView } from '../../contract/checkout';
import { Checkout } from './Checkout';
import type { Timers } from './countdown';
import { withI18n } from './i18n/test-i18n';
import type { Locale } from './i18n/locales';
import type { Messages } from './i18n/i18n';
import type { BootData } from './boot';
import { createCheckoutModel } from './model';
import { boot } from './test-views';

/** The page's EventSource for the invoice's stream; the test sends views through it as the server would. */
class FakeEventSource {
  readyState = 0;
  private readonly listeners = new Map<string, ((event: unknown) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, fn: (event: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.readyState = 2;
  }
  emit(type: string, event: unknown = {}) {
    for (const fn of this.listeners.get(type) ?? []) fn(event);
  }
}

export interface CheckoutOptions {
  /** The server's clock when it rendered the page; the invoice's creation time by default. */
  serverNow?: number;
  /** False: the markup as the server sends it, before the page's script starts the checkout. */
  started?: boolean;
  /** A browser that refuses clipboard access (an iframe without clipboard-write). */
  clipboard?: 'works' | 'refuses';
  /** The QR code the server inlined into the page. */
  qr?: BootData['qr'];
  /** The invoice came from a payment widget with this picker. */
  widgetUrl?: string;
  /** The chain's block explorer (CHAINS_FILE `explorerTxUrl`). */
  explorerTxUrl?: string;
  /** In the loader's modal (`?modal=1`). */
  modal?: boolean;
  /** The page's language; English by default. */
  locale?: Locale;
  /** Words other than a locale's (the catalogue test marks every message). */
  messages?: Messages;
  /** The merchant's display name. */
  merchantName?: string;
}

export function renderCheckout(view: CheckoutView, opts: CheckoutOptions = {}) {
  if (!vi.isFakeTimers()) throw new Error('renderCheckout needs vi.useFakeTimers() first: the countdown must run on a clock the test moves');
  const timers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
  const streams: FakeEventSource[] = [];
  const model = createCheckoutModel({ ...boot(view, opts.serverNow), qr: opts.qr, widgetUrl: opts.widgetUrl ?? null, explorerTxUrl: opts.explorerTxUrl ?? null, modal: opts.modal, merchantName: opts.merchantName ?? null }, {
    monotonic: () => performance.now(),
    timers,
    live: {
      EventSource: class extends FakeEventSource {
        constructor(url: string) {
          super(url);
          streams.push(this);
        }
      } as unknown as typeof EventSource,
      fetch: () => Promise.reject(new Error('the checkout polled, but these tests serve it by SSE')),
      timers,
    },
  });
  render(withI18n(<Checkout model={model} />, opts.locale, opts.messages));

  // user-event puts its own clipboard on navigator; ours goes on after it and records what the page copies.
  const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
  const copied: string[] = [];
  const writeText =
    opts.clipboard === 'refuses'
      ? () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'))
      : (text: string) => {
          copied.push(text);
          return Promise.resolve();
        };
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });

  // act() with a synchronous callback renders before it returns: none of these needs awaiting.
  /** What the page's script does after hydration: copy buttons, the countdown, and the SSE stream, which opens. */
  const start = () =>
    void act(() => {
      model.start();
      const stream = streams.at(-1);
      if (stream) {
        stream.readyState = 1;
        stream.emit('open');
      }
    });
  if (opts.started !== false) start();

  return {
    user,
    /** Everything the page put on the clipboard, in order. */
    copied,
    start,
    /** The server publishes a new version of the invoice on its stream. */
    push: (next: CheckoutView) =>
      void act(() => {
        const stream = streams.at(-1);
        if (!stream || stream.readyState !== 1) throw new Error('no open stream: the checkout is not started, or it stopped following the invoice');
        stream.emit('invoice', { data: JSON.stringify(next) });
      }),
    /** Lets time pass on the page's clock: the countdown ticks, timers fire. */
    wait: (ms: number) =>
      void act(() => {
        vi.advanceTimersByTime(ms);
      }),
  };
}

/** The button that copies one of the values (amount, address, transaction), by its accessible name. */
export const copyButton = (what: string) => screen.getByRole('button', { name: `Copy ${what}` });

/** Clicks the Copy button of `what`: `value` reaches the clipboard, and the button says it copied. */
export async function expectCopies(checkout: ReturnType<typeof renderCheckout>, what: string, value: string | null) {
  await checkout.user.click(copyButton(what));
  expect(checkout.copied).toEqual([value]);
  expect(screen.getByRole('button', { name: `Copied ${what}` })).toBeVisible();
}

/** A component test file's hooks: Vitest's fake timers in each test (the countdown runs on them), and the rendered tree removed after it. */
export function fakeTimersAndCleanup() {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });
}
