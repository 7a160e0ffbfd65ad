/**
 * The checkout app's browser entry, for /pay/:id and /embed/:id, and for a
 * payment widget's picker (/w/:id, /embed/w/:id). The server has rendered
 * the page and put the data it rendered from in a JSON block; this hydrates
 * that markup and makes it live.
 */
import { hydrate } from 'preact';
import { BOOT_ELEMENT_ID, ROOT_ELEMENT_ID, type BootData, type PickerBoot } from './boot';
import { Checkout } from './Checkout';
import { connectFrame, reportHeight } from './frame-bridge';
import { Picker } from './Picker';
import { startLockCountdown } from './picker-model';
import { createCheckoutModel } from './model';
import { offerWallet } from './wallet/offer';
import './checkout.css';

const boot = JSON.parse(document.getElementById(BOOT_ELEMENT_ID)!.textContent!) as BootData | PickerBoot;
const timers = { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as number) };
const root = document.getElementById(ROOT_ELEMENT_ID)!;
if ('kind' in boot) {
  const lock = startLockCountdown(boot, { monotonic: () => performance.now(), timers });
  hydrate(<Picker view={boot.view} action={boot.action} lockSeconds={lock} sandbox={boot.sandbox} />, root);
  if (boot.mode === 'embed' && boot.parentOrigin) reportHeight(boot.parentOrigin, window);
} else {
  const model = createCheckoutModel(boot, {
    monotonic: () => performance.now(),
    timers,
    live: { EventSource: window.EventSource, fetch: (input, init) => fetch(input, init), timers },
  });
  hydrate(<Checkout model={model} />, root);
  model.start();
  offerWallet(model);
  if (boot.mode === 'embed' && boot.parentOrigin) connectFrame(model, boot.parentOrigin, window);
}
