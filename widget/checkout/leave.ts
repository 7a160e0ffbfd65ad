/**
 * How a checkout in the loader's modal asks to be closed: its Close button
 * and "Return to store" raise this event on the window, and the frame bridge
 * (frame-bridge.ts) passes it to the merchant's page, where the modal closes.
 */
export const LEAVE_EVENT = 'payframe:leave';

export type Leave = { type: 'close' } | { type: 'return'; url: string };

export const leave = (detail: Leave) => dispatchEvent(new CustomEvent(LEAVE_EVENT, { detail }));
