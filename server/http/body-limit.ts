/**
 * Hono's bodyLimit, without turning every request into a web Request: its
 * first step reads `c.req.raw.body`, which makes @hono/node-server build an
 * undici Request and a web stream over the socket, about a tenth of what a
 * signed invoice creation cost. A body with a Content-Length (and no
 * Transfer-Encoding) is checked on the header alone, as Hono's does, and then
 * read straight from Node's request (Node's parser stops at that length);
 * only a chunked body goes through Hono's, which counts the bytes as they
 * stream in.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';

type Options = Required<Parameters<typeof honoBodyLimit>[0]>;

export function bodyLimit(options: Options): MiddlewareHandler {
  const streaming = honoBodyLimit(options);
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streaming(c, next);
    if (Number.parseInt(length, 10) > options.maxSize) return options.onError(c);
    await next();
  };
}
