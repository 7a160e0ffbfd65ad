/**
 * The benchmarks' merchant: the typed client `payframe/client`, which signs
 * every request as a merchant backend does (each with its own timestamp, so
 * no two are the same bytes).
 */
import { createClient, type Client, type SignedRequest } from 'payframe/client';
import { merchantApi } from '../../contract/merchant-api';
import type { MerchantCredentials } from './server';

export const BENCH_INVOICE = { amount: 0.001, currency: 'ETH', description: 'bench' } as const;

export function benchClient(baseUrl: string, creds: MerchantCredentials): Client & { sign(route: typeof merchantApi.createInvoice, payload: unknown): SignedRequest } {
  return createClient({ baseUrl, ...creds });
}

let orders = 0;

/**
 * A fresh signed invoice-creation request, for an order of its own (as a shop's are: each its own description), so
 * its bytes are new at the clock's own millisecond: the same payload again would take the next one (client.ts), and
 * thousands a second would run the timestamps minutes ahead, past what Payframe accepts.
 */
export function signedCreate(client: ReturnType<typeof benchClient>): SignedRequest {
  return client.sign(merchantApi.createInvoice, { ...BENCH_INVOICE, description: `bench order ${++orders}` });
}

/** POSTs JSON to an unsigned endpoint (the sandbox controls) and fails on anything but 200. */
export async function postJson(baseUrl: string, path: string, payload: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  if (res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
