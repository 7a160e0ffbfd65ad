/**
 * The checkout app's browser entry, for /pay/:id and /embed/:id (a payment
 * widget's picker has its own: picker-main.tsx). The server has rendered
 * the page and put the data it rendered from in JSON blocks (the view, and
 * the chosen locale's words); this hydrates that markup and makes it live.
 */
import { hydrate } from 'preact';
import { ROOT_ELEMENT_ID, type BootData } from './boot';
import { Checkout } from './Checkout';
import { browserTimers } from './countdown';
import { connectFrame } from './frame-bridge';
import { I18nContext } from './i18n/i18n';
import { pageBoot } from './i18n/page-i18n';
import { createCheckoutModel } from './model';
import { relayedWallets } from './wallet/relay';
import './checkout.css';

const { boot, i18n } = pageBoot<BootData>();
if (i18n) {
  const model = createCheckoutModel(boot, {
    monotonic: () => performance.now(),
    timers: browserTimers,
    live: { EventSource: window.EventSource, fetch: (input, init) => fetch(input, init), timers: browserTimers },
  });
  hydrate(
    <I18nContext.Provider value={i18n}>
      <Checkout model={model} />
    </I18nContext.Provider>,
    document.getElementById(ROOT_ELEMENT_ID)!,
  );
  model.start();
  if (boot.mode === 'embed' && boot.parentOrigin) {
    connectFrame(model, boot.parentOrigin, window);
    // The merchant page's wallets, lent through its relay and announced here like the iframe's own.
    relayedWallets(window, boot.parentOrigin);
  }
}
