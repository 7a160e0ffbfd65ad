/**
 * Many SSE streams for little client work: each stream is one raw TCP socket
 * that sends a GET and then only looks for a marker string in what arrives
 * (a state name, say), stamping the moment it is seen. No HTTP parser, no
 * web streams, no event parsing: with 10,000 streams the client must cost
 * far less than the servers it measures, and it costs both servers alike.
 */
import { connect, type Socket } from 'node:net';
import { mapLimit } from './stats';

export interface SseSocket {
  /**
   * Resolves with performance.now() when `marker` arrives in data received
   * after this call. Call it before causing the event.
   */
  next(marker: string, timeoutMs: number): Promise<number>;
  close(): void;
}

interface Watch {
  marker: string;
  resolve(at: number): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** Opens a stream and resolves once `firstMarker` (what the first event carries) arrived. */
function openOne(baseUrl: URL, path: string, firstMarker: string, timeoutMs: number): Promise<SseSocket> {
  const socket: Socket = connect(Number(baseUrl.port), baseUrl.hostname);
  socket.setEncoding('latin1');
  let watch: Watch | undefined;
  // What the last chunk ended with: a marker may be split across two reads.
  let tail = '';
  let statusChecked = false;
  const fail = (err: Error) => {
    if (!watch) return;
    clearTimeout(watch.timer);
    watch.reject(err);
    watch = undefined;
  };
  socket.on('data', (chunk: string) => {
    if (!statusChecked) {
      statusChecked = true;
      if (!chunk.startsWith('HTTP/1.1 200')) fail(new Error(`GET ${path} answered ${chunk.slice(0, chunk.indexOf('\r'))}`));
    }
    const text = tail + chunk;
    if (watch && text.includes(watch.marker)) {
      const done = watch;
      watch = undefined;
      clearTimeout(done.timer);
      done.resolve(performance.now());
    }
    tail = text.slice(-64);
  });
  socket.on('error', (err) => fail(err));
  socket.on('close', () => fail(new Error(`the stream ${path} closed`)));
  const stream: SseSocket = {
    next(marker, ms) {
      if (watch) throw new Error('one marker at a time per stream');
      tail = '';
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => fail(new Error(`no "${marker}" on ${path} within ${ms} ms`)), ms);
        watch = { marker, resolve, reject, timer };
      });
    },
    close() {
      // A reset leaves no TIME_WAIT behind: 10,000 streams a round would otherwise run out of local ports.
      socket.resetAndDestroy();
    },
  };
  const opened = stream.next(firstMarker, timeoutMs);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${baseUrl.host}\r\nAccept: text/event-stream\r\n\r\n`);
  return opened.then(
    () => stream,
    (err: unknown) => {
      stream.close();
      throw err;
    },
  );
}

/**
 * Opens one stream per path, `concurrency` connecting at a time (a burst of
 * 10,000 connects would overflow the server's listen backlog), each ready
 * once its first event arrived.
 */
export async function openStreams(baseUrl: string, paths: readonly string[], firstMarker: string, timeoutMs: number, concurrency = 100): Promise<SseSocket[]> {
  const url = new URL(baseUrl);
  const opened: SseSocket[] = [];
  try {
    return await mapLimit(paths, concurrency, async (path) => {
      const stream = await openOne(url, path, firstMarker, timeoutMs);
      opened.push(stream);
      return stream;
    });
  } catch (err) {
    for (const s of opened) s.close();
    throw err;
  }
}
