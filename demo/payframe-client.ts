/**
 * How the shop's backend talks to Payframe: through `payframe/client`, the
 * typed merchant client that signs every call (the secret stays on this
 * server; the shop's browser pages never see it), plus the unsigned calls a
 * shop's backend may make too: the buyer's public view, and the sandbox.
 */
import { createHash } from 'node:crypto';
import { createClient, PayframeApiError, type CheckoutView, type WebhookEventType } from 'payframe/client';

export interface MerchantCredentials {
  account: string;
  key: string;
  secret: string;
}

/** The events the shop fulfils from (PAID, COMPLETED), takes a payment back on (REVERSED), and those it shows on the order page. */
const SHOP_WEBHOOK_EVENTS = [
  'INVOICE_MEMPOOL_FOUND',
  'INVOICE_PAID',
  'INVOICE_PAYMENT_REVERSED',
  'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED',
  'INVOICE_PENDING_INTERVENTION',
  'INVOICE_EXPIRED',
  'INVOICE_ARCHIVED',
] as const satisfies readonly WebhookEventType[];

/** An unsigned call that failed (the API's own failures are PayframeApiError). */
export class PayframeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export { PayframeApiError };

export function createPayframeClient(opts: { apiUrl: string; credentials: MerchantCredentials; fetch?: (input: string, init?: RequestInit) => Promise<Response> }) {
  const { apiUrl, credentials } = opts;
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const api = createClient({ baseUrl: apiUrl, ...credentials, fetch: doFetch });

  async function post<T>(path: string, body: unknown): Promise<T> {
    const res = await doFetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new PayframeError(res.status, `Payframe ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  return {
    api,
    createInvoice: api.createInvoice,
    createWidget: api.createWidget,
    getInvoice: (id: string) => api.getInvoice({ id }),

    /**
     * Subscribes `url` to the shop's events, safe to call at every start: the
     * same requestId and url answer the same subscription, keys included.
     * The requestId is `name` plus a digest of the event list, so a shop
     * that now wants other events gets a new subscription (Payframe refuses
     * to change one under the same name), and the old subscription to this
     * url is deleted: its secret is not the one the shop now verifies with.
     * @example const { secretKey } = await payframe.subscribeWebhooks('https://shop.example/payframe/webhooks', 'shop-main');
     */
    async subscribeWebhooks(url: string, name: string) {
      const requestId = `${name}-${createHash('sha256').update(SHOP_WEBHOOK_EVENTS.join(',')).digest('hex').slice(0, 8)}`;
      const { subscriptions } = await api.listWebhookSubscriptions({});
      for (const old of subscriptions) {
        if (old.url === url && old.requestId !== requestId) await api.deleteWebhookSubscription({ requestId: old.requestId });
      }
      return api.createWebhookSubscription({ requestId, url, notificationEventTypes: [...SHOP_WEBHOOK_EVENTS] });
    },

    /** The buyer's view, public: exact decimal strings for the sandbox buttons' arithmetic. */
    async checkoutView(id: string): Promise<CheckoutView> {
      const res = await doFetch(`${apiUrl}/api/checkout/${encodeURIComponent(id)}`);
      if (!res.ok) throw new PayframeError(res.status, `Payframe has no invoice ${id}`);
      return (await res.json()) as CheckoutView;
    },
    sandboxPay: (p: { address: string; currency: string; amount: string; from?: string | undefined }) => post<{ txHash: string }>('/api/sandbox/payments', p),
    /** Sets rates of the sandbox's fixed table (none: just reads it); answers the whole table. */
    sandboxRates: (rates: Record<string, string>) => post<{ rates: Record<string, string> }>('/api/sandbox/rates', { rates }),
    sandboxMine: (blocks: number) => post<{ height: number }>('/api/sandbox/mine', { blocks }),
  };
}

export type PayframeClient = ReturnType<typeof createPayframeClient>;
