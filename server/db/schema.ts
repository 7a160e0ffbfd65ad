/** Table types for Kysely. Amounts are decimal strings of base units; times are epoch ms. */
import type { Generated, Kysely } from 'kysely';
import type { DeliveryStatus, InterventionType, InvoiceState, InvoiceType, Resolution, WebhookEventType, WebhookLevel } from '../../contract/enums';
import type { Sealed } from '../secrets/secret-box';

interface MerchantsTable {
  account: string;
  name: string;
  /** JSON array of origins allowed to frame the checkout. */
  origins: string;
  overpay_tolerance_bps: number;
  created_at: number;
  /** Shown to buyers in the checkout's header; null: none shown. */
  display_name: string | null;
  /** The default appearance of the merchant's checkouts (contract/appearance.ts) as JSON; null: Payframe's own. */
  appearance: string | null;
}

interface ApiKeysTable {
  key: string;
  account: string;
  /** Sealed under the master key (secrets/columns.ts names the context of each sealed column). */
  secret: Sealed;
  created_at: number;
}

/** What a merchant says of an invoice or a widget when creating it, and its lifetime. */
export interface MerchantSaid {
  description: string;
  external_id: string | null;
  return_url: string | null;
  support_url: string | null;
  logo_url: string | null;
  /** The checkout's language the merchant asked for; null: the buyer's browser decides. */
  locale: string | null;
  created_at: number;
  expires_at: number;
}

export interface InvoicesTable extends MerchantSaid {
  id: string;
  account: string;
  idempotency_key: string;
  request_hash: string;
  currency: string;
  network: string;
  chain: string;
  address: string;
  address_index: number;
  amount: string;
  amount_paid: string;
  overpay_tolerance: string;
  state: InvoiceState;
  intervention_type: InterventionType | null;
  resolution: Resolution | null;
  archived_by_merchant: number;
  confirmations: number;
  paid_confirmations: number;
  final_confirmations: number;
  last_deposit_hash: string | null;
  updated_at: number;
  version: number;
  type: InvoiceType;
  /** SINGLE_FIAT: the price, decimal text in fiat_currency (ISO 4217); null for a crypto-priced invoice. */
  fiat_amount: string | null;
  fiat_currency: string | null;
  /** SINGLE_FIAT: the quote in force (the newest row of quotes): fiat per coin, its source, until when it holds, since when. */
  rate: string | null;
  rate_source: string | null;
  quote_expires_at: number | null;
  last_fiat_updated: number | null;
  /** The payment widget whose buyer picked this invoice's coin; null for one the merchant created. */
  widget_id: string | null;
}

export interface WidgetsTable extends MerchantSaid {
  /** The public, unguessable id in the widget's page URL (wid_…). */
  id: string;
  account: string;
  idempotency_key: string;
  request_hash: string;
  type: 'SINGLE_FIAT';
  /** JSON array of currency codes, in the merchant's order. */
  crypto_currencies: string;
  fiat_amount: string;
  fiat_currency: string;
}

interface WidgetQuotesTable {
  widget_id: string;
  currency: string;
  rate: string;
  source: string;
  fetched_at: number;
  created_at: number;
  expires_at: number;
  amount: string;
}

/** Every quote a fiat invoice's amount was computed from, oldest first. */
interface QuotesTable {
  id: Generated<number>;
  invoice_id: string;
  /** The pair, BASE_QUOTE: ETH and USD. */
  base: string;
  quote: string;
  rate: string;
  source: string;
  fetched_at: number;
  expires_at: number;
  /** The crypto amount it gave, in base units. */
  amount: string;
  created_at: number;
}

interface PaymentsTable {
  id: Generated<number>;
  chain: string;
  tx_hash: string;
  log_index: number;
  invoice_id: string;
  currency: string;
  sender: string;
  amount: string;
  block_number: number | null;
  block_hash: string | null;
  seen_at: number;
  late: number;
  removed: number;
  /** 1 once a webhook reported it as received (INVOICE_FUNDS_RECEIVED_FOR_INVOICE); 0 again after a reorg takes it back. */
  credited: Generated<number>;
}

interface ChainTipsTable {
  chain: string;
  height: number;
  hash: string;
}

interface InvoiceVersionsTable {
  invoice_id: string;
  version: number;
  state: InvoiceState;
  /** The checkout view at this version, as sent on the SSE stream. */
  view: string;
  created_at: number;
}

interface StatusHistoryTable {
  id: Generated<number>;
  invoice_id: string;
  from_state: InvoiceState | null;
  to_state: InvoiceState;
  intervention_type: InterventionType | null;
  reason: string;
  created_at: number;
}

interface AddressCountersTable {
  scope: string;
  next_index: number;
}

interface MerchantXpubsTable {
  account: string;
  family: string;
  xpub: Sealed;
  created_at: number;
}

interface ChainBlocksTable {
  chain: string;
  number: number;
  hash: string;
  parent_hash: string;
}

export interface WebhookSubscriptionsTable {
  id: Generated<number>;
  account: string;
  /** Calypso's subscription id (a UUID), unique per account. */
  request_id: string;
  url: string;
  /** JSON array of event types. */
  event_types: string;
  public_key: string;
  secret_key: Sealed;
  /** The secret before the last rotation; still signs (webhook-signature) until previous_secret_until. */
  previous_secret_key: Sealed | null;
  previous_secret_until: number | null;
  created_at: number;
  deleted_at: number | null;
  /** Failed attempts since the last 2xx, and when the first of them was. */
  consecutive_failures: number;
  failing_since: number | null;
  /** Set while the subscription is marked as failing (blockedByErrorCount); cleared by the next 2xx. */
  blocked_at: number | null;
}

interface WebhookEventsTable {
  id: Generated<number>;
  invoice_id: string;
  account: string;
  event_type: WebhookEventType;
  level: WebhookLevel;
  /** The event's `data`, exact JSON (amounts as written by stringifyExact). */
  data: string;
  created_at: number;
}

interface WebhookDeliveriesTable {
  /** Also the webhook's `id` and its webhook-id header. */
  id: Generated<number>;
  event_id: number;
  subscription_id: number;
  invoice_id: string;
  status: DeliveryStatus;
  attempts: number;
  /** Attempts since the delivery was (re)queued; the retry schedule counts these. */
  round_attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  delivered_at: number | null;
  created_at: number;
  /** PostgreSQL: the instance sending it holds it until then (epoch ms); null when nobody does. */
  claimed_until: number | null;
}

interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  subscription_id: number;
  started_at: number;
  duration_ms: number;
  ok: number;
  status_code: number | null;
  error: string | null;
  response_prefix: string | null;
}

/** Each accepted request signature, until its timestamp leaves the window (replay protection). */
interface SignedRequestsTable {
  sign: string;
  /** The route that accepted it: "POST /invoice/single/create". */
  route: string;
  expires_at: number;
}

export interface Database {
  merchants: MerchantsTable;
  api_keys: ApiKeysTable;
  invoices: InvoicesTable;
  payments: PaymentsTable;
  chain_tips: ChainTipsTable;
  invoice_versions: InvoiceVersionsTable;
  status_history: StatusHistoryTable;
  address_counters: AddressCountersTable;
  merchant_xpubs: MerchantXpubsTable;
  chain_blocks: ChainBlocksTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  signed_requests: SignedRequestsTable;
  quotes: QuotesTable;
  widgets: WidgetsTable;
  widget_quotes: WidgetQuotesTable;
}

export type Db = Kysely<Database>;
