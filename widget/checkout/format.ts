/**
 * Display formatting for the checkout. Amounts arrive as exact decimal
 * strings and stay strings: parsing one into a number would round 18-decimal
 * token amounts, and a buyer must see (and copy) exactly what to send.
 */

/** True for "0", "0.0", "" — any decimal string without a non-zero digit. */
export function isZero(decimal: string): boolean {
  return !/[1-9]/.test(decimal);
}

/** The coin or token a buyer recognises: Calypso-style codes carry the network as a suffix ("USDT_BSC"). */
export function coinName(code: string): string {
  return code.split('_')[0] ?? code;
}

/** Seconds → "4:05" or "23:59:07"; hours appear only when there are some, so the width is stable within an hour. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** "0x1234…cdef": enough to recognise a hash in a wallet's history; the full one is in the title and copy button. */
export function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-6)}` : hash;
}
