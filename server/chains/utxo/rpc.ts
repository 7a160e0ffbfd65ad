/**
 * A small client for Bitcoin Core's JSON-RPC (also Litecoin Core's: the same
 * RPC), over fetch. Answers are parsed with the exact-number parser, so an
 * output's `value` reaches the code as its decimal text, then bigint base
 * units: 0.1 + 0.2 never happens to money here.
 *
 *   const rpc = new BitcoinRpc('http://user:pass@127.0.0.1:8332');
 *   const block = await rpc.getBlock(await rpc.getBlockHash(840_000));
 *
 * The credentials in the URL become a Basic Authorization header; `endpoint`
 * is the URL without them, the only form that appears in errors.
 */
import type { z } from 'zod';
import { JsonSyntaxError, parseJsonKeepingNumbers } from '../../../contract/lossless-json';
import { blockSchema, blockchainInfoSchema, hashSchema, headerSchema, heightSchema, mempoolSchema, txSchema, EXACT_KEYS, type Block, type BlockchainInfo, type BlockHeader, type Tx } from './rpc-schema';

/** Codes of Core's rpc/protocol.h that callers act on. */
export const RPC_INVALID_ADDRESS_OR_KEY = -5;
export const RPC_INVALID_PARAMETER = -8;
export const RPC_IN_WARMUP = -28;
export const RPC_METHOD_NOT_FOUND = -32601;

/** The node answered the call with a JSON-RPC error (no such transaction, height out of range…). */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method} failed: ${message} (RPC error ${code})`);
    this.name = 'RpcError';
  }
}

/** No usable answer: the node is unreachable, too slow, refused the credentials, or answered something that is not the expected JSON-RPC. Worth a retry later. */
export class RpcUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RpcUnavailableError';
  }
}

interface Envelope {
  id: unknown;
  result: unknown;
  error: { code: number; message: string } | null;
}

export interface RpcOptions {
  /** Per call, including reading the answer (a verbosity-2 block can be megabytes). Default 30 s. */
  timeoutMs?: number;
}

export class BitcoinRpc {
  /** The URL without credentials: safe to show. */
  readonly endpoint: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;
  private nextId = 1;

  constructor(url: string, options: RpcOptions = {}) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`the node's RPC URL must be http:// or https://, not ${parsed.protocol}`);
    if (parsed.username || parsed.password) {
      const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
      this.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    this.endpoint = parsed.toString();
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** One call; the result as parsed JSON with every `value` kept as a JsonNumber. */
  async call(method: string, params: readonly unknown[] = []): Promise<unknown> {
    const id = this.nextId++;
    const answer = await this.post(method, { jsonrpc: '1.0', id, method, params });
    return this.unwrap(method, id, answer);
  }

  /**
   * Many calls of one method in one request (JSON-RPC batch): what polling a
   * mempool of hundreds of transactions needs instead of hundreds of round
   * trips. Each answer is its result or the RpcError it failed with.
   */
  async batch(method: string, paramsList: readonly (readonly unknown[])[]): Promise<(unknown | RpcError)[]> {
    if (paramsList.length === 0) return [];
    const first = this.nextId;
    this.nextId += paramsList.length;
    const answer = await this.post(method, paramsList.map((params, i) => ({ jsonrpc: '1.0', id: first + i, method, params })));
    if (!Array.isArray(answer)) throw new RpcUnavailableError(`${this.endpoint} answered a batch of ${method} with something other than a list`);
    const byId = new Map(answer.map((a) => [(a as Envelope).id, a]));
    return paramsList.map((_, i) => {
      try {
        return this.unwrap(method, first + i, byId.get(first + i));
      } catch (err) {
        if (err instanceof RpcError) return err;
        throw err;
      }
    });
  }

  getBlockchainInfo(): Promise<BlockchainInfo> {
    return this.typed(blockchainInfoSchema, 'getblockchaininfo', []);
  }

  getBlockCount(): Promise<number> {
    return this.typed(heightSchema, 'getblockcount', []);
  }

  getBlockHash(height: number): Promise<string> {
    return this.typed(hashSchema, 'getblockhash', [height]);
  }

  getBestBlockHash(): Promise<string> {
    return this.typed(hashSchema, 'getbestblockhash', []);
  }

  /** The block's hash at `height` on the node's best chain; undefined above its head (a reorg may have shortened it). */
  async blockHashAt(height: number): Promise<string | undefined> {
    try {
      return await this.getBlockHash(height);
    } catch (err) {
      if (err instanceof RpcError && err.code === RPC_INVALID_PARAMETER) return undefined;
      throw err;
    }
  }

  getBlockHeader(hash: string): Promise<BlockHeader> {
    return this.typed(headerSchema, 'getblockheader', [hash, true]);
  }

  /** The block with its transactions decoded (verbosity 2). */
  getBlock(hash: string): Promise<Block> {
    return this.typed(blockSchema, 'getblock', [hash, 2]);
  }

  /** The txids in the node's mempool. */
  getRawMempool(): Promise<string[]> {
    return this.typed(mempoolSchema, 'getrawmempool', [false]);
  }

  /**
   * A decoded transaction. Finds a confirmed transaction only with
   * -txindex; without it, only mempool ones (not even the wallet's own).
   */
  getRawTransaction(txid: string): Promise<Tx> {
    return this.typed(txSchema, 'getrawtransaction', [txid, true]);
  }

  /**
   * Decoded transactions in one batch, in the order asked; undefined for a
   * txid the node does not have (it left the mempool since, or, without
   * -txindex, it is in a block). Any other error is thrown.
   */
  async getRawTransactions(txids: readonly string[]): Promise<(Tx | undefined)[]> {
    const answers = await this.batch('getrawtransaction', txids.map((txid) => [txid, true]));
    return answers.map((a) => {
      if (a instanceof RpcError) {
        if (a.code === RPC_INVALID_ADDRESS_OR_KEY) return undefined;
        throw a;
      }
      return this.validate(txSchema, 'getrawtransaction', a);
    });
  }

  private async typed<S extends z.ZodType>(schema: S, method: string, params: readonly unknown[]): Promise<z.output<S>> {
    return this.validate(schema, method, await this.call(method, params));
  }

  private validate<S extends z.ZodType>(schema: S, method: string, result: unknown): z.output<S> {
    const parsed = schema.safeParse(result);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RpcUnavailableError(`${this.endpoint} answered ${method} in an unexpected shape: ${issue?.path.join('.') || '(top)'} ${issue?.message ?? ''}`);
    }
    return parsed.data;
  }

  private async post(method: string, body: unknown): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    let status: number;
    let text: string;
    try {
      const res = await fetch(this.endpoint, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
      const why = timedOut ? `did not answer ${method} within ${this.timeoutMs} ms` : `could not be reached for ${method} (${(err as Error).cause ?? (err as Error).message})`;
      throw new RpcUnavailableError(`the node at ${this.endpoint} ${why}`, { cause: err });
    }
    if (status === 401 || status === 403) {
      throw new RpcUnavailableError(`the node at ${this.endpoint} refused the credentials (HTTP ${status}); check the user and password in the chain's rpcUrl`);
    }
    try {
      return parseJsonKeepingNumbers(text, EXACT_KEYS);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      // Core answers an overloaded work queue with HTTP 503 and a plain-text body.
      throw new RpcUnavailableError(`the node at ${this.endpoint} answered ${method} with HTTP ${status} and no JSON: ${text.slice(0, 200)}`);
    }
  }

  /** Core answers errors with HTTP 404/500 and a JSON-RPC body; the body decides. */
  private unwrap(method: string, id: number, answer: unknown): unknown {
    const envelope = answer as Envelope | undefined;
    if (typeof envelope !== 'object' || envelope === null || !('result' in envelope) || envelope.id !== id) {
      throw new RpcUnavailableError(`the node at ${this.endpoint} answered ${method} without a JSON-RPC answer for request ${id}`);
    }
    if (envelope.error) throw new RpcError(method, Number(envelope.error.code), String(envelope.error.message));
    return envelope.result;
  }
}
