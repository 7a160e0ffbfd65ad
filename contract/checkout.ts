/**
 * The public checkout API: the buyer's view of an invoice, which
 * GET /api/checkout/:id answers and every SSE event carries. It holds nothing
 * the buyer may not see: no merchant account, key, idempotency key or
 * external id.
 */
import { z } from 'zod';
import { dateOut } from './common';
import { INTERVENTION_TYPES, INVOICE_STATES } from './enums';

/** Exact decimal text in the currency's units; a string here, since the checkout displays it digit for digit. */
const decimal = z.string().regex(/^\d+(\.\d+)?$/);

/** `eth_sendTransaction`'s fields but `from`, and the chain (EIP-155 id, 0x hex) it must be sent on. */
export const walletTxSchema = z
  .object({
    chainId: z.string().regex(/^0x[\da-f]+$/),
    to: z.string().regex(/^0x[\da-fA-F]{40}$/),
    value: z.string().regex(/^0x[\da-f]+$/).optional().meta({ description: 'The native coin: the amount due in wei, hex.' }),
    data: z.string().regex(/^0xa9059cbb[\da-f]{128}$/).optional().meta({ description: 'A token: transfer(invoice address, amount due in token units) calldata to `to`, the token contract.' }),
  })
  .meta({ id: 'WalletTx' });

export type WalletTx = z.output<typeof walletTxSchema>;

export const checkoutView = z
  .object({
    id: z.string(),
    version: z.number().int().meta({ description: 'Grows with every change; the ETag, and the SSE event id.' }),
    state: z.enum(INVOICE_STATES),
    interventionType: z.enum(INTERVENTION_TYPES).nullable(),
    isInterventionResolved: z.boolean(),
    amount: decimal,
    amountPaid: decimal,
    amountDue: decimal,
    currency: z.object({ code: z.string(), network: z.string(), decimals: z.number().int(), token: z.string().nullable() }),
    address: z.string(),
    paymentUri: z.string().nullable().meta({ description: 'For the amount due: EIP-681 on an EVM chain, BIP-21 on a UTXO chain (bitcoin:, litecoin:); null when nothing is due.' }),
    walletTx: walletTxSchema
      .nullable()
      .optional()
      .meta({
        description:
          'The payment of `paymentUri` as the transaction a browser wallet sends ("Pay with wallet"), on an EVM chain; null when nothing is due or on a UTXO chain. Absent from versions stored before it existed.',
      }),
    createdAt: dateOut,
    expiresAt: dateOut,
    confirmations: z.object({ current: z.number().int(), paid: z.number().int(), final: z.number().int() }),
    lastDepositHash: z.string().nullable(),
    completedAt: dateOut.optional().meta({ description: 'When the invoice became COMPLETED: the time on the buyer\'s receipt.' }),
    description: z.string(),
    returnUrl: z.string().nullable(),
    supportUrl: z.string().nullable(),
    logoUrl: z.string().nullable(),
    fiat: z
      .object({
        amount: decimal,
        currency: z.string().meta({ description: 'ISO 4217.' }),
        rate: decimal.meta({ description: 'Fiat per one coin, at the quote in force.' }),
        quoteExpiresAt: dateOut,
      })
      .optional()
      .meta({ description: 'A fiat-priced invoice (SINGLE_FIAT): its price and the quote its amount comes from.' }),
    /**
     * Nothing can change the invoice any more: the checkout stops following it.
     * False for an invoice ARCHIVED because it expired, while it still takes
     * late payments (24 h after expiry).
     */
    final: z.boolean(),
  })
  .meta({ id: 'CheckoutView' });

export type CheckoutView = z.output<typeof checkoutView>;
