/**
 * The checkout's side of the iframe protocol (see contract/frame.ts): tells the
 * merchant's page about state changes and the content height. Messages go to
 * the one origin the server vouched for, never "*": a page that framed us
 * from elsewhere hears nothing.
 */
import type { FrameMessage, StateMessage } from '../../contract/frame';
import { LEAVE_EVENT, type Leave } from './leave';
import type { CheckoutModel } from './model';

type Distribute<T> = T extends unknown ? Omit<T, 'source' | 'v' | 'invoiceId'> : never;

export function connectFrame(model: CheckoutModel, parentOrigin: string, win: Window & typeof globalThis): () => void {
  const post = (message: Distribute<FrameMessage>) =>
    win.parent.postMessage({ source: 'payframe', v: 1, invoiceId: model.id, ...message } satisfies FrameMessage, parentOrigin);

  let last: StateMessage['state'] | undefined;
  let paid = false;
  const onChange = () => {
    const state = model.view.value.state;
    if (!last) post({ type: 'ready', state });
    if (state === last) return;
    last = state;
    post({ type: 'status', state });
    // "paid" once, even when the page first sees the invoice already COMPLETED.
    if (!paid && (state === 'PAID' || state === 'COMPLETED')) {
      paid = true;
      post({ type: 'paid', state });
    }
    if (state === 'COMPLETED') post({ type: 'completed', state });
  };
  onChange();
  const stopStates = model.subscribe(onChange);

  const stopHeight = observeHeight(win, (height) => post({ type: 'resize', height }));

  // Escape inside the iframe never reaches the parent's key handlers: the loader closes its modal on this.
  const onKey = (e: KeyboardEvent) => e.key === 'Escape' && post({ type: 'close' });
  win.addEventListener('keydown', onKey);
  const stopLeave = passLeave(win, post);

  return () => {
    stopStates();
    stopHeight();
    stopLeave();
    win.removeEventListener('keydown', onKey);
  };
}

/** Passes the Close button's and "Return to store"'s wish to leave (leave.ts) on to the merchant's page. */
function passLeave(win: Window, post: (message: Leave) => void): () => void {
  const onLeave = (e: Event) => post((e as CustomEvent<Leave>).detail);
  win.addEventListener(LEAVE_EVENT, onLeave);
  return () => win.removeEventListener(LEAVE_EVENT, onLeave);
}

/** Calls `onHeight` with the page's content height whenever it changes; returns the function that stops it. */
function observeHeight(win: Window & typeof globalThis, onHeight: (height: number) => void): () => void {
  const body = win.document.body;
  let height = -1;
  const resized = new win.ResizeObserver(() => {
    const next = Math.ceil(body.getBoundingClientRect().height);
    if (next !== height) onHeight((height = next));
  });
  resized.observe(body);
  return () => resized.disconnect();
}

/**
 * The picker's side of the iframe protocol: only its height and, in a modal,
 * its Close button (it has no invoice yet, so `invoiceId` is empty and no
 * state is reported); once the
 * buyer chooses, the frame navigates to the invoice's checkout, which says the rest.
 */
export function reportHeight(parentOrigin: string, win: Window & typeof globalThis): () => void {
  const post = (message: Distribute<FrameMessage>) => win.parent.postMessage({ source: 'payframe', v: 1, invoiceId: '', ...message } satisfies FrameMessage, parentOrigin);
  const stopHeight = observeHeight(win, (height) => post({ type: 'resize', height }));
  const stopLeave = passLeave(win, post);
  return () => {
    stopHeight();
    stopLeave();
  };
}
