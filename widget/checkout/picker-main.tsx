/**
 * The browser entry of a payment widget's picker (/w/:id, /embed/w/:id), a
 * build of its own (vite build --mode picker): the pay page's script carries
 * no picker, and the picker's no checkout. The server has rendered the page
 * and put the data it rendered from in JSON blocks (the view, and the chosen
 * locale's words); this hydrates it.
 */
import { hydrate } from 'preact';
import { ROOT_ELEMENT_ID, type PickerBoot } from './boot';
import { browserTimers } from './countdown';
import { reportHeight } from './frame-bridge';
import { I18nContext } from './i18n/i18n';
import { pageBoot } from './i18n/page-i18n';
import { Picker } from './Picker';
import { startLockCountdown } from './picker-model';
import './checkout.css';
import './picker.css';

const { boot, i18n } = pageBoot<PickerBoot>();
if (i18n) {
  const lock = startLockCountdown(boot, { monotonic: () => performance.now(), timers: browserTimers });
  hydrate(
    <I18nContext.Provider value={i18n}>
      <Picker view={boot.view} action={boot.action} lockSeconds={lock} sandbox={boot.sandbox} modal={boot.modal === true} merchantName={boot.merchantName} />
    </I18nContext.Provider>,
    document.getElementById(ROOT_ELEMENT_ID)!,
  );
  if (boot.mode === 'embed' && boot.parentOrigin) reportHeight(boot.parentOrigin, window);
}
