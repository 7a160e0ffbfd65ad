/**
 * Writes webhook bodies: each event's `data` in the contract's shape for its
 * type (contract/webhook-events.ts), and the envelope around it.
 */
import type { WebhookEventType } from '../../contract/enums';
import type { EventData } from '../../contract/webhook-events';
import { writeWire } from '../../contract/wire-json';
import type { InvoicesTable } from '../db/schema';
import { calypsoInterventionType } from '../invoices/state-machine';
import { formatUnits } from '../money/amount';
import type { Currency } from '../money/currencies';
import { addressForDisplay, senderAddress } from '../checkout/payment-uri';

/** A payment to the invoice as the outbox sees it after a change. */
export interface ChangePayment {
  /** Payframe's id of the payment: what Calypso calls a deposit's system id. */
  id: number;
  txHash: string;
  sender: string;
  amount: bigint;
  seenAt: number;
}

export interface EventContext {
  invoice: InvoicesTable;
  currency: Currency;
  /** The live payments (no reorg removed them), oldest first. */
  payments: readonly ChangePayment[];
  /** The payments this change newly counts as received (they reached paidConfirmations). */
  received: readonly ChangePayment[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The `data` of one event, as the contract's type for it. */
export function eventData(type: WebhookEventType, ctx: EventContext): EventData {
  const { invoice: row, currency } = ctx;
  const amount = (units: bigint) => formatUnits(units, currency.decimals);
  const invoiceAmount = amount(BigInt(row.amount));
  const realAmount = amount(BigInt(row.amount_paid));
  const common = {
    parentExternalId: row.id,
    idempotencyKey: row.idempotency_key,
    externalId: row.external_id ?? '',
    invoiceType: row.type,
    state: row.state,
    interventionReason: row.intervention_type,
    isInterventionResolved: row.resolution !== null,
    currency: row.currency,
    network: row.network,
    invoiceAddress: addressForDisplay(row.address),
    amountPaid: realAmount,
    lastDepositHash: row.last_deposit_hash,
    confirmations: row.confirmations,
    createdDate: iso(row.created_at),
    expiration: iso(row.expires_at),
    version: row.version,
  };
  const message = row.description;
  // Calypso's fiat fields: the price of a fiat invoice, null (or {}, where Calypso sends an object) for one priced in crypto.
  const priced = row.fiat_amount !== null && row.fiat_currency !== null ? { amount: row.fiat_amount, currency: row.fiat_currency } : null;
  const noFiat = { fiatAmount: priced?.amount ?? null, fiatCurrency: priced?.currency ?? null };
  const fiatObject = priced ?? {};
  switch (type) {
    case 'INVOICE_CREATE_INVOICE':
      return { type, ...common, amount: invoiceAmount, message };
    case 'INVOICE_MEMPOOL_FOUND':
      return { type, ...common, amount: invoiceAmount, realAmount, description: message, ...noFiat, transactionHash: row.last_deposit_hash ?? '' };
    case 'INVOICE_FUNDS_RECEIVED_FOR_INVOICE': {
      const last = ctx.received.at(-1);
      return {
        type,
        ...common,
        amount: amount(ctx.received.reduce((sum, p) => sum + p.amount, 0n)),
        transactionId: ctx.received.map((p) => String(p.id)),
        senderAddress: last ? senderAddress(last.sender) : '',
        paymentDate: iso(last?.seenAt ?? row.updated_at),
        transactionHash: last?.txHash ?? '',
        fiatAmount: fiatObject,
        message,
      };
    }
    case 'INVOICE_PAID':
      return { type, ...common, amount: invoiceAmount, realAmount, description: message, ...noFiat };
    case 'INVOICE_PENDING_INTERVENTION':
      return { type, ...common, message, interventionType: calypsoInterventionType(row.intervention_type), amount: invoiceAmount };
    case 'INVOICE_EXPIRED':
      return { type, ...common, expirationDate: iso(row.expires_at), message, amount: invoiceAmount, fiatAmount: fiatObject };
    case 'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED':
      return { type, ...common, serviceFee: '0', transactionIds: ctx.payments.map((p) => String(p.id)), message, amount: invoiceAmount, fiatAmount: fiatObject };
    case 'INVOICE_ARCHIVED':
      return { type, ...common, amount: invoiceAmount, message };
    case 'INVOICE_PAYMENT_REVERSED':
      return { type, ...common, amount: invoiceAmount, realAmount, message };
  }
}

/** The stored `data` text of an event: exact JSON, written once and sent byte for byte on every attempt. */
export function eventDataJson(type: WebhookEventType, ctx: EventContext): string {
  return writeWire(eventData(type, ctx));
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
    createdDate: iso(p.createdAt),
    level: p.level,
    service: 'INVOICE',
    eventType: p.eventType,
  });
  return `${head.slice(0, -1)},"data":${p.data}}`;
}
