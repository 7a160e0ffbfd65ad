/**
 * The browser entry of a payment widget's picker (/w/:id, /embed/w/:id), a
 * build of its own (vite build --mode picker): the pay page's script carries
 * no picker, and the picker's no checkout. The server has rendered the page
 * and put the data it rendered from in a JSON block; this hydrates it.
 */
import { hydrate } from 'preact';
import { BOOT_ELEMENT_ID, ROOT_ELEMENT_ID, type PickerBoot } from './boot';
import { browserTimers } from './countdown';
import { reportHeight } from './frame-bridge';
import { Picker } from './Picker';
import { startLockCountdown } from './picker-model';
import './checkout.css';
import './picker.css';

const boot = JSON.parse(document.getElementById(BOOT_ELEMENT_ID)!.textContent!) as PickerBoot;
const lock = startLockCountdown(boot, { monotonic: () => performance.now(), timers: browserTimers });
hydrate(<Picker view={boot.view} action={boot.action} lockSeconds={lock} sandbox={boot.sandbox} merchantName={boot.merchantName} />, document.getElementById(ROOT_ELEMENT_ID)!);
if (boot.mode === 'embed' && boot.parentOrigin) reportHeight(boot.parentOrigin, window);
