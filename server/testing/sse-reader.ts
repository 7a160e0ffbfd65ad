/** Reads a checkout's event stream in tests: SSE frames as they arrive, invoice events checked against the contract. */
import { checkoutView as checkoutViewSchema, type CheckoutView } from '../../contract/checkout';

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads SSE frames from a streaming response body. */
export function sseReader(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let ended = false;
  return {
    get ended() {
      return ended;
    },
    async next(): Promise<SseEvent | undefined> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const ev: SseEvent = {};
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) ev.comment = line.slice(1).trim();
            const m = /^(id|event|data): ?(.*)$/.exec(line);
            if (m) ev[m[1] as 'id' | 'event' | 'data'] = m[2];
          }
          return ev;
        }
        const { value, done } = await reader.read();
        if (done) {
          ended = true;
          return undefined;
        }
        buffer += value;
      }
    },
    async nextInvoice(): Promise<CheckoutView | undefined> {
      for (;;) {
        const ev = await this.next();
        if (!ev) return undefined;
        if (ev.event === 'invoice') return checkoutViewSchema.parse(JSON.parse(ev.data!));
      }
    },
    cancel: () => reader.cancel(),
  };
}
