/**
 * The wallet relay between the checkout iframe and the merchant's page.
 * Browser wallets inject themselves into the page the buyer opened, not into
 * a cross-origin iframe, and no `allow` attribute changes that (there is no
 * permission for it). So the page's relay (wallet.ts `relayWallets`, loaded
 * by widget.js only when the page has a wallet) lists its wallets to the
 * checkout and carries the checkout's EIP-1193 requests to them.
 *
 * The checkout builds every transaction from its own view; nothing here can
 * carry a recipient or an amount into it: the page only passes requests to
 * the wallet and answers back. Only the methods below are relayed.
 * Browser code imports these with `import type` only; the tests validate
 * real messages against the schemas.
 */
import { z } from 'zod';
import { RELAYED_METHODS } from './enums';

const source = z.literal('payframe-wallet');

/** iframe → page, posted to the parent origin the server vouched for. */
export const walletAskSchema = z.discriminatedUnion('type', [
  /** Which wallets does the page have? */
  z.object({ source, type: z.literal('list') }),
  z.object({ source, type: z.literal('request'), id: z.number().int(), wallet: z.string(), method: z.enum(RELAYED_METHODS), params: z.array(z.unknown()) }),
]);

/** page → iframe, posted to Payframe's origin; the checkout takes them only from its parent, from that origin. */
export const walletAnswerSchema = z.discriminatedUnion('type', [
  /** The page's wallets (EIP-6963 info without the provider), whenever they change and when asked. */
  z.object({ source, type: z.literal('wallets'), wallets: z.array(z.object({ name: z.string(), icon: z.string() })) }),
  z.object({ source, type: z.literal('reply'), id: z.number().int(), result: z.unknown().optional(), error: z.object({ code: z.number().optional(), message: z.string() }).optional() }),
]);

export type WalletAsk = z.infer<typeof walletAskSchema>;
export type WalletAnswer = z.infer<typeof walletAnswerSchema>;
