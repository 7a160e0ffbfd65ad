import { createServer } from 'node:net';

/**
 * A port nobody listens on right now. Only for a child process that cannot
 * bind port 0 and say which port it got (litecoind's RPC server): everything
 * of ours listens on port 0 and reads the port back. Between this probe and
 * the child's bind another process could take the port; the child then fails
 * to start and says so.
 */
export function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
