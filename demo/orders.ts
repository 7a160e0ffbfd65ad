/**
 * The shop's orders, kept in memory (the demo forgets them at a restart).
 * An order becomes paid (or unpaid again, after a reorg) only through
 * `apply`, which the webhook receiver calls with events it has verified:
 * never from the buyer's browser, and never from asking Payframe's API.
 */
import type { WebhookEvent } from 'payframe/client';
import type { Product } from './catalog';

interface OrderEvent {
  /** The webhook's id: the same on every retry and redelivery of one event. */
  id: number;
  eventType: WebhookEvent['eventType'];
  /** The invoice's state at the event. */
  state: WebhookEvent['data']['state'];
  date: string;
}

export interface Order {
  id: string;
  product: Product;
  /** The invoice the order was created with; empty for a widget order, whose invoices the buyer creates by picking coins. */
  invoiceId: string;
  /** Sold through a payment widget: any invoice with the order's externalId pays it (only this merchant can set one). */
  widget?: boolean;
  /** A payment is in the mempool (INVOICE_MEMPOOL_FOUND): shown as "payment seen" while the order is not paid. */
  paymentSeen: boolean;
  paid: boolean;
  /** The payment reached the chain's final depth. */
  completed: boolean;
  events: OrderEvent[];
}

/** What `apply` did with an event; the receiver answers 2xx in every case, so Payframe stops sending it. */
export type Applied = 'applied' | 'duplicate' | 'not_ours';

export function createOrderBook() {
  const orders = new Map<string, Order>();
  const seen = new Set<number>();

  return {
    add(order: Pick<Order, 'id' | 'product' | 'invoiceId' | 'widget'>): Order {
      const created: Order = { ...order, paymentSeen: false, paid: false, completed: false, events: [] };
      orders.set(order.id, created);
      return created;
    },

    get: (id: string): Order | undefined => orders.get(id),

    /** Applies a verified webhook event once: deliveries are at least once, so a retried event must change nothing. */
    apply(event: WebhookEvent): Applied {
      if (seen.has(event.id)) return 'duplicate';
      seen.add(event.id);
      const order = orders.get(event.data.externalId);
      // The externalId is ours, but the same merchant account also makes invoices outside this shop (the browser tests do):
      // only the invoice this order was created with can pay it.
      if (!order || (!order.widget && order.invoiceId !== event.data.parentExternalId)) return 'not_ours';
      order.events.push({ id: event.id, eventType: event.eventType, state: event.data.state, date: event.createdDate });
      switch (event.eventType) {
        case 'INVOICE_MEMPOOL_FOUND':
          order.paymentSeen = true;
          break;
        case 'INVOICE_PAID':
          order.paid = true;
          break;
        case 'INVOICE_TRANSLATION_TO_ACCOUNT_COMPLETED':
          order.paid = true;
          order.completed = true;
          break;
        // A reorg took the payment out of its block: unpaid until INVOICE_PAID comes again (still seen while it waits in the mempool).
        case 'INVOICE_PAYMENT_REVERSED':
          order.paid = false;
          order.paymentSeen = event.data.state === 'MEM_POOL_FOUND';
          break;
      }
      return 'applied';
    },
  };
}

export type OrderBook = ReturnType<typeof createOrderBook>;
