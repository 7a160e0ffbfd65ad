/**
 * How a merchant's backend talks to Payframe: every call is a POST with the
 * body `{timestamp, account, payload}`, signed with HMAC-SHA512 of the exact
 * bytes sent (headers Key and Sign). The secret stays on this server; the
 * shop's browser pages never see it.
 */
import { createHash, createHmac } from 'node:crypto';
import type { CheckoutView } from '../server/checkout/view';

export interface MerchantCredentials {
  account: string;
  key: string;
  secret: string;
}

/** The fields of Payframe's InvoiceDTO the shop uses. */
export interface Invoice {
  id: string;
  state: string;
  paymentUrl: string;
  invoiceAddress: string;
}

export interface NewInvoice {
  amount: string;
  currency: string;
  description: string;
  idempotencyKey?: string;
  externalId?: string;
  /** ISO-8601; at most a day ahead (Payframe's default is 24 h). */
  expiration?: string;
  returnUrl?: string;
  supportUrl?: string;
  logoUrl?: string;
}

/** The events the shop fulfils from (PAID, COMPLETED), takes a payment back on (REVERSED), and those it shows on the order page. */
export const SHOP_WEBHOOK_EVENTS = [
  'INVOICE_MEMPOOL_FOUND',
  'INVOICE_PAID',
  'INVOICE_PAYMENT_REVERSED',
  'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED',
  'INVOICE_PENDING_INTERVENTION',
  'INVOICE_EXPIRED',
  'INVOICE_ARCHIVED',
] as const;

/** The fields of a webhook subscription the shop uses. */
export interface WebhookSubscription {
  requestId: string;
  url: string;
  /** Signs every delivery; keep it on the server. */
  secretKey: string;
}

export class PayframeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createPayframeClient(opts: { apiUrl: string; credentials: MerchantCredentials; fetch?: typeof fetch }) {
  const { apiUrl, credentials } = opts;
  const doFetch = opts.fetch ?? fetch;

  async function post<T>(path: string, body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<T> {
    const res = await doFetch(`${apiUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await res.text();
    if (!res.ok) throw new PayframeError(res.status, `Payframe ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  function signed<T>(path: string, payload: unknown, method = 'POST'): Promise<T> {
    const body = JSON.stringify({ timestamp: Date.now(), account: credentials.account, payload });
    const sign = createHmac('sha512', credentials.secret).update(body).digest('hex');
    return post<T>(`/api/v1${path}`, body, { Key: credentials.key, Sign: sign }, method);
  }

  return {
    createInvoice: (invoice: NewInvoice) => signed<Invoice>('/invoice/single/create', invoice),
    getInvoice: (id: string) => signed<Invoice>('/invoice', { id }),

    /**
     * Subscribes `url` to the shop's events, safe to call at every start: the
     * same requestId and url answer the same subscription, keys included.
     * The requestId is `name` plus a digest of the event list, so a shop
     * that now wants other events gets a new subscription (Payframe refuses
     * to change one under the same name), and the old subscription to this
     * url is deleted: its secret is not the one the shop now verifies with.
     * @example const { secretKey } = await payframe.subscribeWebhooks('https://shop.example/payframe/webhooks', 'shop-main');
     */
    async subscribeWebhooks(url: string, name: string): Promise<WebhookSubscription> {
      const requestId = `${name}-${createHash('sha256').update(SHOP_WEBHOOK_EVENTS.join(',')).digest('hex').slice(0, 8)}`;
      const { subscriptions } = await signed<{ subscriptions: WebhookSubscription[] }>('/subscription/webhook', {});
      for (const old of subscriptions) {
        if (old.url === url && old.requestId !== requestId) await signed('/subscription/webhook', { requestId: old.requestId }, 'DELETE');
      }
      return signed<WebhookSubscription>('/subscription/webhook/create', { requestId, url, notificationEventTypes: SHOP_WEBHOOK_EVENTS });
    },

    /** The buyer's view, public: exact decimal strings for the sandbox buttons' arithmetic. */
    async checkoutView(id: string): Promise<CheckoutView> {
      const res = await doFetch(`${apiUrl}/api/checkout/${encodeURIComponent(id)}`);
      if (!res.ok) throw new PayframeError(res.status, `Payframe has no invoice ${id}`);
      return (await res.json()) as CheckoutView;
    },
    sandboxPay: (p: { address: string; currency: string; amount: string; from?: string | undefined }) =>
      post<{ txHash: string }>('/api/sandbox/payments', JSON.stringify(p)),
    sandboxMine: (blocks: number) => post<{ height: number }>('/api/sandbox/mine', JSON.stringify({ blocks })),
  };
}

export type PayframeClient = ReturnType<typeof createPayframeClient>;
