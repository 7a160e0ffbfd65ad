/**
 * A minimal merchant client: the signed envelope of DESIGN.md ("Merchant
 * API"), HMAC-SHA512 over the exact body bytes sent.
 */
import { createHmac } from 'node:crypto';
import type { MerchantCredentials } from './server';

export interface SignedBody {
  body: string;
  headers: Record<string, string>;
}

/** Builds a fresh body (current timestamp) and the headers that sign it. */
export function signedBody(creds: MerchantCredentials, payload: Record<string, unknown>): SignedBody {
  const body = JSON.stringify({ timestamp: Date.now(), account: creds.account, payload });
  const sign = createHmac('sha512', creds.secret).update(body).digest('hex');
  return { body, headers: { 'content-type': 'application/json', Key: creds.key, Sign: sign } };
}

export const BENCH_INVOICE = { amount: 0.001, currency: 'ETH', description: 'bench' } as const;

export interface CreatedInvoice {
  id: string;
  invoiceAddress: string;
  state: string;
}

export async function createInvoice(baseUrl: string, creds: MerchantCredentials): Promise<CreatedInvoice> {
  const { body, headers } = signedBody(creds, BENCH_INVOICE);
  const res = await fetch(`${baseUrl}/api/v1/invoice/single/create`, { method: 'POST', body, headers });
  if (res.status !== 200) throw new Error(`POST /api/v1/invoice/single/create answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as CreatedInvoice;
}

/** POSTs JSON to an unsigned endpoint (the sandbox controls) and fails on anything but 200. */
export async function postJson(baseUrl: string, path: string, payload: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  if (res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
