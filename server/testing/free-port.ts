import { createServer } from 'node:net';

/** Listens on `port` of 127.0.0.1 (0: the OS picks one) and closes again; resolves with the port. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

/** A port nobody listens on right now (the OS picks it), for tests, benchmarks and scripts. */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/** Fails with a message naming `what` when something already listens on `port`. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await listenOnce(port).catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'EADDRINUSE' ? `port ${port} for ${what} is already in use; stop what runs there or choose another port` : err.message);
  });
}
