/**
 * The checkout app's browser entry, for /pay/:id and /embed/:id (a payment
 * widget's picker has its own: picker-main.tsx). The server has rendered
 * the page and put the data it rendered from in a JSON block; this hydrates
 * that markup and makes it live.
 */
import { hydrate } from 'preact';
import { BOOT_ELEMENT_ID, ROOT_ELEMENT_ID, type BootData } from './boot';
import { Checkout } from './Checkout';
import { browserTimers } from './countdown';
import { connectFrame } from './frame-bridge';
import { createCheckoutModel } from './model';
import { offerWallet } from './wallet/offer';
import './checkout.css';

const boot = JSON.parse(document.getElementById(BOOT_ELEMENT_ID)!.textContent!) as BootData;
const root = document.getElementById(ROOT_ELEMENT_ID)!;
const model = createCheckoutModel(boot, {
  monotonic: () => performance.now(),
  timers: browserTimers,
  live: { EventSource: window.EventSource, fetch: (input, init) => fetch(input, init), timers: browserTimers },
});
hydrate(<Checkout model={model} />, root);
model.start();
offerWallet(model);
if (boot.mode === 'embed' && boot.parentOrigin) connectFrame(model, boot.parentOrigin, window);
