import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { probePort } from '../../testing/probe-port';
import { litecoindPerFile } from '../../testing/litecoind';
import { BitcoinRpc, RpcError, RpcUnavailableError, RPC_INVALID_ADDRESS_OR_KEY, RPC_INVALID_PARAMETER, RPC_METHOD_NOT_FOUND } from './rpc';

const node = litecoindPerFile();

/** An HTTP server on loopback that answers every request with `reply` (or never, without one). */
async function serve(reply?: (res: import('node:http').ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    reply?.(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://user:secret-password@127.0.0.1:${(server.address() as { port: number }).port}/`, server };
}

describe('BitcoinRpc against litecoind', () => {
  it('reads the chain state with typed methods that agree with each other', async () => {
    const rpc = node.client;
    const info = await rpc.getBlockchainInfo();
    expect(info).toMatchObject({ chain: 'regtest', pruned: false });
    expect(await rpc.getBlockCount()).toBe(info.blocks);
    expect(await rpc.getBestBlockHash()).toBe(info.bestblockhash);
    expect(await rpc.getBlockHash(info.blocks)).toBe(info.bestblockhash);
    const block = await rpc.getBlock(info.bestblockhash);
    expect(block).toMatchObject({ hash: info.bestblockhash, height: info.blocks, confirmations: 1, previousblockhash: await rpc.getBlockHash(info.blocks - 1) });
  });

  it('keeps the credentials out of the endpoint it shows', () => {
    const password = new URL(node.rpcUrl).password;
    expect(node.client.endpoint).not.toContain(password);
    expect(node.client.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('throws RpcError with the node\'s code for a height out of range', async () => {
    const height = await node.client.getBlockCount();
    const err = await node.client.getBlockHash(height + 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: RPC_INVALID_PARAMETER, method: 'getblockhash', message: 'getblockhash failed: Block height out of range (RPC error -8)' });
  });

  it('throws RpcError for an unknown transaction and an unknown method (HTTP 404 from Core)', async () => {
    await expect(node.client.getRawTransaction('00'.repeat(32))).rejects.toMatchObject({ name: 'RpcError', code: RPC_INVALID_ADDRESS_OR_KEY });
    await expect(node.client.call('nosuchmethod')).rejects.toMatchObject({ name: 'RpcError', code: RPC_METHOD_NOT_FOUND });
  });

  it('finds wallet payments in the mempool one by one and in one batch, undefined for an unknown txid', async () => {
    const txids = [await node.send(await node.newAddress(), '0.1'), await node.send(await node.newAddress(), '0.2')];
    expect(await node.client.getRawMempool()).toEqual(expect.arrayContaining(txids));
    const single = await node.client.getRawTransaction(txids[0]!);
    const unknown = 'ab'.repeat(32);
    const batch = await node.client.getRawTransactions([txids[0]!, unknown, txids[1]!]);
    expect(batch.map((t) => t?.txid)).toEqual([txids[0], undefined, txids[1]]);
    expect(batch[0]).toEqual(single);
    await node.mine();
  });

  it('answers a batch with the RpcError of each failed call in place', async () => {
    const [ok, failed] = await node.client.batch('getblockhash', [[0], [1_000_000]]);
    expect(ok).toMatch(/^[0-9a-f]{64}$/);
    expect(failed).toBeInstanceOf(RpcError);
    expect(await node.client.batch('getblockhash', [])).toEqual([]);
  });

  it('refuses wrong credentials with RpcUnavailableError that does not quote them', async () => {
    const wrong = new URL(node.rpcUrl);
    wrong.password = 'not-the-password';
    const err = await new BitcoinRpc(wrong.toString()).getBlockCount().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcUnavailableError);
    expect((err as Error).message).toMatch(/refused the credentials \(HTTP 401\)/);
    expect((err as Error).message).not.toContain('not-the-password');
  });
});

describe('BitcoinRpc without a working node', () => {
  it('gives up after its timeout with RpcUnavailableError naming the method', async () => {
    const { url, server } = await serve();
    try {
      const err = await new BitcoinRpc(url, { timeoutMs: 200 }).getBlockCount().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcUnavailableError);
      expect((err as Error).message).toMatch(/did not answer getblockcount within 200 ms/);
      expect((err as Error).message).not.toContain('secret-password');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reports a node that cannot be reached', async () => {
    // A port just closed: nothing answers there.
    const port = await probePort();
    const err = await new BitcoinRpc(`http://u:p@127.0.0.1:${port}`).getBlockCount().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcUnavailableError);
    expect((err as Error).message).toMatch(/could not be reached for getblockcount/);
  });

  it('reports an answer that is not JSON, as Core sends when its work queue is full', async () => {
    const { url, server } = await serve((res) => res.writeHead(503).end('Work queue depth exceeded'));
    try {
      await expect(new BitcoinRpc(url).getBlockCount()).rejects.toThrow(/HTTP 503 and no JSON: Work queue depth exceeded/);
    } finally {
      server.close();
    }
  });

  it('reports an answer of the wrong shape, naming the field', async () => {
    const { url, server } = await serve((res) => res.writeHead(200).end('{"result": {"chain": "regtest"}, "error": null, "id": 1}'));
    try {
      await expect(new BitcoinRpc(url).getBlockchainInfo()).rejects.toThrow(/answered getblockchaininfo in an unexpected shape: blocks/);
    } finally {
      server.close();
    }
  });

  it('sends the URL\'s user and password as Basic authorization, decoded', async () => {
    let authorization: string | undefined;
    const server = createServer((req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(200).end('{"result": 7, "error": null, "id": 1}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      expect(await new BitcoinRpc(`http://us%40er:p%3Ass@127.0.0.1:${port}`).getBlockCount()).toBe(7);
      expect(authorization).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
    } finally {
      server.close();
    }
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new BitcoinRpc('ws://127.0.0.1:1')).toThrow(/must be http:\/\/ or https:\/\//);
  });
});
