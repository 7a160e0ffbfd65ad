/**
 * Calypso's InvoiceDTO, plus ours (paymentUrl, network, amountPaid,
 * interventionReason).
 * Amounts are JSON numbers written from exact decimal text.
 */
import { getAddress } from 'viem';
import { z } from 'zod';
import type { InvoicesTable } from '../db/schema';
import { DecimalNumber } from '../http/exact-json';
import { formatUnits } from '../money/amount';
import type { Currency } from '../money/currencies';
import { CALYPSO_INTERVENTION_TYPES, INTERVENTION_TYPES, INVOICE_STATES, calypsoInterventionType, type InterventionType } from './state-machine';

/** The response as a client parses it. */
export const invoiceDtoSchema = z.object({
  id: z.string(),
  invoiceAddress: z.string(),
  type: z.literal('SINGLE'),
  amount: z.number(),
  fee: z.number(),
  totalDebitAmount: z.number(),
  currency: z.string(),
  state: z.enum(INVOICE_STATES),
  lastDepositHash: z.string().optional(),
  description: z.string(),
  createdDate: z.iso.datetime(),
  idempotencyKey: z.string(),
  expiration: z.iso.datetime(),
  interventionType: z.enum(CALYPSO_INTERVENTION_TYPES).optional(),
  /** Why the invoice needs (or needed) the merchant: interventionType's value, or MULTIPLE_SENDERS / LATE_PAYMENT which Calypso has no name for. */
  interventionReason: z.enum(INTERVENTION_TYPES).optional(),
  isInterventionResolved: z.boolean(),
  returnUrl: z.string().optional(),
  supportUrl: z.string().optional(),
  logoUrl: z.string().optional(),
  externalId: z.string().optional(),
  paymentUrl: z.string(),
  network: z.string(),
  amountPaid: z.number(),
});

export type InvoiceDto = z.infer<typeof invoiceDtoSchema>;

export function invoiceDto(row: InvoicesTable, currency: Currency, publicUrl: string) {
  const amount = new DecimalNumber(formatUnits(BigInt(row.amount), currency.decimals));
  return {
    id: row.id,
    invoiceAddress: getAddress(row.address),
    type: 'SINGLE' as const,
    amount,
    fee: new DecimalNumber('0'),
    totalDebitAmount: amount,
    currency: row.currency,
    state: row.state,
    lastDepositHash: row.last_deposit_hash ?? undefined,
    description: row.description,
    createdDate: new Date(row.created_at).toISOString(),
    idempotencyKey: row.idempotency_key,
    expiration: new Date(row.expires_at).toISOString(),
    interventionType: calypsoInterventionType(row.intervention_type as InterventionType | null),
    interventionReason: row.intervention_type ?? undefined,
    isInterventionResolved: row.resolution !== null,
    returnUrl: row.return_url ?? undefined,
    supportUrl: row.support_url ?? undefined,
    logoUrl: row.logo_url ?? undefined,
    externalId: row.external_id ?? undefined,
    paymentUrl: `${publicUrl}/pay/${row.id}`,
    network: row.network,
    amountPaid: new DecimalNumber(formatUnits(BigInt(row.amount_paid), currency.decimals)),
  };
}
