/**
 * A process's port, opened before anything else starts: a taken one is refused at once, and with port 0
 * (tests, benchmarks) the port the system picked is known before anything that needs it is built. Until
 * `app()` has something to answer with, every request gets a 503 saying what is starting.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Fetch = (req: Request, env: unknown) => Response | Promise<Response>;

export interface ListenOptions {
  host: string;
  port: number;
  /** What listens, in messages: "Payframe", "the demo shop". */
  name: string;
  /** The environment variable that sets the port, named when it is taken. */
  portVariable: string;
  /** The handler once it exists; undefined while starting. */
  app: () => Fetch | undefined;
}

/** Listens, or says in one line why it cannot and exits with 2. */
export async function listenFirst(o: ListenOptions): Promise<{ server: Server; address: string; port: number }> {
  const server = createAdaptorServer({
    fetch: (req: Request, env: unknown) => o.app()?.(req, env) ?? new Response(`${o.name} is starting`, { status: 503 }),
    hostname: o.host,
  }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    console.error(
      code === 'EADDRINUSE'
        ? `port ${o.port} for ${o.name} (${o.portVariable}) is already in use; stop what runs there or choose another port`
        : `${o.name} cannot listen on ${o.host}:${o.port}: ${message}`,
    );
    process.exit(2);
  }
  const { address, port } = server.address() as AddressInfo;
  return { server, address, port };
}
