/**
 * One id per request: the X-Request-Id header, the error body's traceId and
 * every log line about the request. An id a proxy in front already gave the
 * request is kept when it is a plain token (as Hono's requestId keeps it).
 *
 * Unlike Hono's requestId, on @hono/node-server the header goes straight onto
 * Node's response (`setHeader`; `writeHead` merges it with the response's own).
 * Set through Hono's context it would give every response a web `Headers`
 * object, which the adapter then copies back into Node's form: on a small GET
 * that was a fair share of the server's time.
 */
import type { MiddlewareHandler } from 'hono';
import { randomUUID } from 'node:crypto';
import { nodeResponseOf } from './node-event-stream';

const HEADER = 'X-Request-Id';
const TOKEN = /^[\w\-=]{1,255}$/;

export const requestId: MiddlewareHandler = async (c, next) => {
  const given = c.req.header(HEADER);
  const id = given !== undefined && TOKEN.test(given) ? given : randomUUID();
  c.set('requestId', id);
  const outgoing = nodeResponseOf(c);
  if (outgoing) {
    outgoing.setHeader(HEADER, id);
    return next();
  }
  await next();
  c.header(HEADER, id);
};
