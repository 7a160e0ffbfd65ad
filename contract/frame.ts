/**
 * The wire shapes between the checkout iframe and the loader on the
 * merchant's page. Browser code imports them with `import type` only, so zod
 * never reaches a bundle; the tests validate real messages against the schema.
 *
 * iframe → parent: `{source: "payframe", v: 1, type, invoiceId, state?, height?, url?}`,
 * posted to the exact origin the loader named in the iframe's URL (`?parent=`),
 * which the server accepts only when it is one of the merchant's origins. The
 * parent accepts a message only from the Payframe origin and its own iframe.
 */
import { z } from 'zod';
import { INVOICE_STATES } from './enums';

const base = { source: z.literal('payframe'), v: z.literal(1), invoiceId: z.string() };

export const frameMessageSchema = z.discriminatedUnion('type', [
  /** ready: once, when the checkout is live; status: every state change; paid: once, on PAID or COMPLETED; completed: once. */
  z.object({ ...base, type: z.enum(['ready', 'status', 'paid', 'completed']), state: z.enum(INVOICE_STATES) }),
  /** The checkout's content height in CSS pixels, whenever it changes. */
  z.object({ ...base, type: z.literal('resize'), height: z.number().nonnegative() }),
  /** The buyer pressed Escape inside the checkout, or its Close button (shown in a modal): the modal closes. */
  z.object({ ...base, type: z.literal('close') }),
  /** In a modal, the buyer chose "Return to store": the modal closes instead of the page going to `url` (the invoice's returnUrl). */
  z.object({ ...base, type: z.literal('return'), url: z.string() }),
]);

export type FrameMessage = z.infer<typeof frameMessageSchema>;
export type StateMessage = Extract<FrameMessage, { state: unknown }>;

export const THEMES = ['auto', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
