/**
 * The picker's one moving part: the seconds until the quotes shown stop
 * being locked, counted on the server's clock (countdown.ts). When the lock
 * ends the page reloads, so the amounts shown are always ones the server
 * will honour.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import { lockEndsAt, type PickerBoot } from './boot';
import { createCountdown, type Timers } from './countdown';

export function startLockCountdown(boot: Pick<PickerBoot, 'view' | 'serverNow'>, env: { monotonic: () => number; timers: Timers; reload?: () => void }): ReadonlySignal<number> {
  const ends = lockEndsAt(boot.view);
  const seconds = signal(0);
  if (ends === null) return seconds;
  const countdown = createCountdown({ expiresAt: ends, serverNow: boot.serverNow, monotonic: env.monotonic, timers: env.timers });
  countdown.run((s) => {
    seconds.value = s;
    if (s === 0) (env.reload ?? (() => location.reload()))();
  });
  return seconds;
}

/** The seconds shown before any script runs (the server's render). */
export function lockSecondsAt(boot: Pick<PickerBoot, 'view' | 'serverNow'>): number {
  const ends = lockEndsAt(boot.view);
  return ends === null ? 0 : Math.max(0, Math.ceil((ends - boot.serverNow) / 1000));
}
