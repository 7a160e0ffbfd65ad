/**
 * The closed lists of the wire contract. The server's state machine, the
 * database's CHECK constraints, the checkout and the merchant client all take
 * their values from here.
 */

export const INVOICE_STATES = ['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PAID', 'PENDING_INTERVENTION', 'COMPLETED', 'ARCHIVED'] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];

/** Calypso's invoice types that Payframe issues. */
export const INVOICE_TYPES = ['SINGLE', 'SINGLE_FIAT'] as const;
export type InvoiceType = (typeof INVOICE_TYPES)[number];

/** Calypso's UNDERPAY and OVERPAY, and ours for the cases Calypso has no name for. */
export const INTERVENTION_TYPES = ['UNDERPAY', 'OVERPAY', 'MULTIPLE_SENDERS', 'LATE_PAYMENT'] as const;
export type InterventionType = (typeof INTERVENTION_TYPES)[number];

/** The interventionType values Calypso's InvoiceDTO has. */
export const CALYPSO_INTERVENTION_TYPES = ['UNDERPAY', 'OVERPAY'] as const;
export type CalypsoInterventionType = (typeof CALYPSO_INTERVENTION_TYPES)[number];

export const RESOLUTIONS = ['ACCEPT', 'REJECT'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** Calypso's invoice events (docs.calypso.finance/reference/types-of-events) that Payframe sends. */
export const CALYPSO_WEBHOOK_EVENT_TYPES = [
  'INVOICE_CREATE_INVOICE',
  'INVOICE_MEMPOOL_FOUND',
  'INVOICE_FUNDS_RECEIVED_FOR_INVOICE',
  'INVOICE_PAID',
  'INVOICE_PENDING_INTERVENTION',
  'INVOICE_EXPIRED',
  'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED',
] as const;

/**
 * Every event type: Calypso's, and two of ours for what Calypso has no event
 * for. Ours go only to subscriptions that name them: a receiver ported from
 * Calypso that subscribed to the INVOICE group never meets a type it does not know.
 */
export const WEBHOOK_EVENT_TYPES = [...CALYPSO_WEBHOOK_EVENT_TYPES, 'INVOICE_ARCHIVED', 'INVOICE_PAYMENT_REVERSED'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Calypso's service groups; a subscription may name a group instead of its events. */
export const WEBHOOK_SERVICE_TYPES = { INVOICE: CALYPSO_WEBHOOK_EVENT_TYPES } as const;
type WebhookServiceType = keyof typeof WEBHOOK_SERVICE_TYPES;

export const WEBHOOK_LEVELS = ['SUCCESS', 'INFO', 'WARNING'] as const;
export type WebhookLevel = (typeof WEBHOOK_LEVELS)[number];

/** PENDING, DELIVERED, FAILED (given up) or CANCELLED (subscription deleted). */
export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'CANCELLED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The EIP-1193 methods the merchant page's wallet relay carries for the checkout (contract/wallet-relay.ts): what paying needs, nothing else. */
export const RELAYED_METHODS = ['eth_requestAccounts', 'eth_chainId', 'wallet_switchEthereumChain', 'wallet_addEthereumChain', 'eth_sendTransaction'] as const;
