/**
 * A local webhook receiver for tests and the benchmark: a node:http server
 * on 127.0.0.1 that records every request and answers as it is told.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GENEROUS_MS } from '../testing/wait-for';

export interface ReceivedRequest {
  /** 1 for the first request this receiver got. */
  n: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status it was answered with; 0 while a request told to 'hang' is held open. */
  status: number;
}

/** Decides the answer: a status (with an optional body), or 'hang' to never answer. */
export type Responder = (req: ReceivedRequest) => number | { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export interface Receiver {
  url: string;
  port: number;
  received: ReceivedRequest[];
  respond: Responder;
  /** Resolves when `predicate` holds for the requests received so far; fails after a generous `timeoutMs`. */
  waitFor(predicate: (received: ReceivedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(opts: { port?: number; respond?: Responder } = {}): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const waiters = new Set<() => void>();
  let count = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      const entry: ReceivedRequest = { n: ++count, path: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8'), status: 0 };
      const answer = receiver.respond(entry);
      // A hanging request is recorded too (status 0): a test must see that a delivery is in flight.
      received.push(entry);
      if (answer === 'hang') hanging.add(res);
      else {
        const { status, body = '', headers: extra = {} } = typeof answer === 'number' ? { status: answer } : answer;
        entry.status = status;
        res.writeHead(status, { 'content-type': 'text/plain', ...extra }).end(body);
      }
      for (const wake of waiters) wake();
    });
  };
  const server: Server = createServer(handle);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/payframe`,
    port,
    received,
    respond: opts.respond ?? (() => 204),
    waitFor(predicate, timeoutMs = GENEROUS_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`receiver: condition not met within ${timeoutMs} ms; ${received.length} requests received`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}
