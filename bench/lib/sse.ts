/**
 * Reads a text/event-stream incrementally and stamps each event with the
 * moment its frame was complete, so latency ends when the client could act
 * on the event, not when some later chunk arrived. Frames follow the
 * WHATWG HTML "Server-sent events" parsing rules that matter here: lines
 * `field: value`, a blank line ends the event, `:` lines are comments.
 */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
  /** performance.now() when the frame's final blank line was read. */
  receivedAt: number;
}

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let frame: { id?: string; event?: string; data: string[] } = { data: [] };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const receivedAt = performance.now();
      let newline: number;
      // Lines end in LF or CRLF (a lone CR, which the spec also allows, is not used by Hono).
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (frame.data.length > 0) yield { id: frame.id, event: frame.event ?? 'message', data: frame.data.join('\n'), receivedAt };
          frame = { data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') frame.data.push(value);
        else if (field === 'event') frame.event = value;
        else if (field === 'id') frame.id = value;
      }
    }
  } finally {
    // Closes the connection when the consumer stops early.
    await reader.cancel().catch(() => undefined);
  }
}
