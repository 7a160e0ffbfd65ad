/**
 * An event stream written straight to Node's response, when the app runs on
 * @hono/node-server. Hono's streamSSE goes through a web TransformStream that
 * the adapter then pipes to the socket: per open stream that is a few
 * kilobytes of queues, readers and promises, and with thousands of buyers
 * waiting on a checkout the streams are most of the server's memory. Written
 * here, a stream costs its socket and little more. Elsewhere (app.request()
 * in tests, another runtime) the route uses streamSSE; both write the same
 * frames through the same FrameSink.
 */
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { ServerResponse } from 'node:http';
import type { FrameSink } from '../checkout/event-stream';

/** The Node response behind `c`, when there is one. */
export function nodeResponseOf(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing instanceof ServerResponse ? outgoing : undefined;
}

/**
 * Sends the stream's headers, runs `follow` with a sink on the response and
 * ends the response when it returns. Returns what the handler answers Hono:
 * the response is already being sent.
 */
export function nodeEventStream(outgoing: ServerResponse, headers: Record<string, string>, follow: (sink: FrameSink) => Promise<void>): Response {
  outgoing.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
  outgoing.flushHeaders();
  // One wait for 'drain' shared by every write made meanwhile (frames, heartbeats), not a listener each.
  let drained: Promise<void> | undefined;
  const sink: FrameSink = {
    write(bytes) {
      if (outgoing.destroyed || outgoing.writableEnded) return Promise.resolve();
      // Backpressure: a buyer on a slow link holds only its own stream; what it has not read waits in its buffer.
      if (outgoing.write(bytes) && !drained) return Promise.resolve();
      drained ??= new Promise<void>((resolve) => {
        const done = () => {
          drained = undefined;
          outgoing.off('drain', done).off('close', done);
          resolve();
        };
        outgoing.on('drain', done).on('close', done);
      });
      return drained;
    },
    onAbort: (listener) => void outgoing.once('close', listener),
  };
  void follow(sink).finally(() => outgoing.end());
  return RESPONSE_ALREADY_SENT;
}
