/**
 * `invoice create`: an invoice made as a merchant's backend makes one —
 * signed with the merchant's API key through `payframe/client` and sent to
 * the running server's API — so a newcomer can try Payframe without writing
 * a signing script (README's "Try it").
 */
import { createClient, PayframeApiError } from '../../client/client';
import { merchantCredentials } from '../merchants/merchants';
import { USAGE_ERROR, type CliDeps } from './commands';

export interface InvoiceCreateOptions {
  account?: string;
  amount?: string;
  currency?: string;
  description?: string;
  idempotencyKey?: string;
  json?: boolean;
}

export async function invoiceCreate(
  { db, secrets, output, clock }: CliDeps,
  api: { url: string; fetch?: (input: string, init: RequestInit) => Promise<Response> },
  opts: InvoiceCreateOptions,
): Promise<number> {
  const account = (opts.account ?? '').toLowerCase();
  if (!opts.amount || !opts.currency) {
    output.err('--amount and --currency are required, e.g. --amount 0.01 --currency ETH');
    return USAGE_ERROR;
  }
  const credentials = await merchantCredentials(db, secrets, account);
  if (!credentials) {
    output.err(`--account: no merchant ${account || '(missing)'} (create one with: npm run cli -- merchant create)`);
    return USAGE_ERROR;
  }
  const client = createClient({ baseUrl: api.url, ...credentials, fetch: api.fetch, now: clock.now });
  try {
    const invoice = await client.createInvoice({
      amount: opts.amount,
      currency: opts.currency,
      description: opts.description ?? 'Invoice from the command line',
      idempotencyKey: opts.idempotencyKey,
    });
    if (opts.json) output.out(JSON.stringify(invoice));
    else output.out(`invoice ${invoice.id}\npay at  ${invoice.paymentUrl}\nsend    ${invoice.amount} ${invoice.currency} to ${invoice.invoiceAddress} (${invoice.network})`);
    return 0;
  } catch (err) {
    // The API's own message names what to fix (the amount's precision, an unknown currency, a missing xpub).
    if (err instanceof PayframeApiError) output.err(`Payframe answered ${err.status} ${err.errorCode}: ${err.message}`);
    else output.err(`cannot reach Payframe at ${api.url} (${err instanceof Error ? err.message : String(err)}); is it running (npm start)?`);
    return 1;
  }
}
