import type { ServedView } from '../checkout/checked-views';

/**
 * In-process fan-out of committed invoice changes. It only wakes listeners:
 * the change itself is already in `invoice_versions`, which SSE reads, so a
 * listener that misses a wake-up loses nothing.
 */
export interface InvoiceChanged {
  invoiceId: string;
  version: number;
  state: string;
  /**
   * Whether the change put webhook deliveries in the outbox: the delivery worker looks for due ones only
   * then. Unknown (another instance's change, heard through LISTEN/NOTIFY) counts as yes.
   */
  webhooks?: boolean;
  /**
   * The new version's view as written (its stored JSON, and what readers decide with), when this process made
   * the change: the feeds of the invoice's event streams send it as it is, neither reading it back nor checking
   * it against the contract again (checkout/feeds.ts); checkoutView made it.
   */
  view?: ServedView;
}

type Listener = (event: InvoiceChanged) => void;

export class Bus {
  private readonly byInvoice = new Map<string, Set<Listener>>();
  private readonly global = new Set<Listener>();

  publish(event: InvoiceChanged): void {
    for (const l of this.byInvoice.get(event.invoiceId) ?? []) l(event);
    for (const l of this.global) l(event);
  }

  /** Listens to one invoice; returns the function that stops listening. */
  subscribe(invoiceId: string, listener: Listener): () => void {
    let set = this.byInvoice.get(invoiceId);
    if (!set) this.byInvoice.set(invoiceId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byInvoice.delete(invoiceId);
    };
  }

  subscribeAll(listener: Listener): () => void {
    this.global.add(listener);
    return () => this.global.delete(listener);
  }
}
