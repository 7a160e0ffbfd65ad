/**
 * Writes the webhook body (its shape: event-schema.ts). Amounts are JSON
 * numbers written from exact decimal text, as in the API's responses.
 */
import { getAddress } from 'viem';
import type { InvoicesTable } from '../db/schema';
import { DecimalNumber, stringifyExact } from '../http/exact-json';
import { formatUnits } from '../money/amount';
import type { Currency } from '../money/currencies';
import { calypsoInterventionType, type InterventionType } from '../invoices/state-machine';

/** The `data` of an event about `row`, as exact JSON text. */
export function eventDataJson(row: InvoicesTable, currency: Currency): string {
  return stringifyExact({
    type: 'SINGLE',
    parentExternalId: null,
    id: row.id,
    idempotencyKey: row.idempotency_key,
    externalId: row.external_id,
    state: row.state,
    interventionType: calypsoInterventionType(row.intervention_type as InterventionType | null) ?? null,
    interventionReason: row.intervention_type,
    isInterventionResolved: row.resolution !== null,
    amount: new DecimalNumber(formatUnits(BigInt(row.amount), currency.decimals)),
    amountPaid: new DecimalNumber(formatUnits(BigInt(row.amount_paid), currency.decimals)),
    currency: row.currency,
    network: row.network,
    invoiceAddress: getAddress(row.address),
    lastDepositHash: row.last_deposit_hash,
    confirmations: row.confirmations,
    description: row.description,
    createdDate: new Date(row.created_at).toISOString(),
    expiration: new Date(row.expires_at).toISOString(),
    version: row.version,
  });
}

export interface BodyParts {
  requestId: string;
  deliveryId: number;
  createdAt: number;
  level: string;
  eventType: string;
  /** Exact JSON text from eventDataJson. */
  data: string;
}

/**
 * The raw body. Built by concatenation so the stored exact `data` text goes
 * out byte for byte, and every retry of a delivery sends the same bytes.
 */
export function renderBody(p: BodyParts): string {
  const head = JSON.stringify({
    requestId: p.requestId,
    id: p.deliveryId,
    createdDate: new Date(p.createdAt).toISOString(),
    level: p.level,
    service: 'INVOICE',
    eventType: p.eventType,
  });
  return `${head.slice(0, -1)},"data":${p.data}}`;
}
