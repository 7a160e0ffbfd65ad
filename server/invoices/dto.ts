/** An invoice row as the merchant API answers it: the contract's InvoiceDTO (contract/invoice.ts). */
import type { InvoiceDto } from '../../contract/invoice';
import { addressForDisplay } from '../checkout/payment-uri';
import type { InvoicesTable } from '../db/schema';
import { formatUnits } from '../money/amount';
import type { Currency } from '../money/currencies';
import { calypsoInterventionType } from './state-machine';

export function invoiceDto(row: InvoicesTable, currency: Currency, publicUrl: string): InvoiceDto {
  const amount = formatUnits(BigInt(row.amount), currency.decimals);
  return {
    id: row.id,
    invoiceAddress: addressForDisplay(row.address),
    type: row.type,
    amount,
    fee: '0',
    totalDebitAmount: amount,
    currency: row.currency,
    state: row.state,
    lastDepositHash: row.last_deposit_hash ?? undefined,
    description: row.description,
    createdDate: new Date(row.created_at).toISOString(),
    idempotencyKey: row.idempotency_key,
    expiration: new Date(row.expires_at).toISOString(),
    interventionType: calypsoInterventionType(row.intervention_type),
    interventionReason: row.intervention_type ?? undefined,
    isInterventionResolved: row.resolution !== null,
    returnUrl: row.return_url ?? undefined,
    supportUrl: row.support_url ?? undefined,
    logoUrl: row.logo_url ?? undefined,
    locale: row.locale ?? undefined,
    externalId: row.external_id ?? undefined,
    paymentUrl: `${publicUrl}/pay/${row.id}`,
    network: row.network,
    amountPaid: formatUnits(BigInt(row.amount_paid), currency.decimals),
    fiatAmount: row.fiat_amount ?? undefined,
    fiatCurrency: row.fiat_currency ?? undefined,
    lastFiatUpdated: iso(row.last_fiat_updated),
    rate: row.rate ?? undefined,
    rateSource: row.rate_source ?? undefined,
    quoteExpiresAt: iso(row.quote_expires_at),
  };
}

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());
