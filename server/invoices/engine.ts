/**
 * The invoice engine, the one place invoices change. It composes its jobs:
 * `apply` (the transaction every change goes through), creating an invoice,
 * the sink chains report to, and expiry; and it answers the lookups the
 * merchant API needs.
 */
import type { ChainAdapter } from '../chains/adapter';
import type { Resolution } from '../../contract/enums';
import type { Clock } from '../clock';
import type { Db, InvoicesTable } from '../db/schema';
import { DomainError } from '../domain-error';
import type { Bus } from '../events/bus';
import type { Logger } from '../logger';
import type { Currency, CurrencyTable } from '../money/currencies';
import { createApply } from './apply';
import { createChainSink } from './chain-sink';
import { createInvoice, type NewInvoice } from './create-invoice';
import { expireDue } from './expiry';
import { quote, requoteDue, type FiatPrice } from './quote';
import type { Rates } from '../rates/rates';
import type { InvoiceEvent } from './state-machine';

export interface EngineDeps {
  db: Db;
  clock: Clock;
  chains: readonly ChainAdapter[];
  currencies: CurrencyTable;
  bus: Bus;
  log: Logger;
  rates: Rates;
  /** How long a fiat invoice's quote holds. */
  quoteLockMs: number;
  /** This instance, named in the notifications of its changes to the others (cluster/invoice-changes.ts). */
  instanceId: string;
}

export type Engine = ReturnType<typeof createEngine>;

export function createEngine({ db, clock, chains, currencies, bus, log, rates, quoteLockMs, instanceId }: EngineDeps) {
  const chainById = new Map(chains.map((c) => [c.id, c]));

  function chainOf(row: Pick<InvoicesTable, 'chain'>): ChainAdapter {
    const chain = chainById.get(row.chain);
    if (!chain) throw new Error(`invoice on chain "${row.chain}", which is not configured`);
    return chain;
  }

  function currencyOf(row: Pick<InvoicesTable, 'currency'>): Currency {
    const currency = currencies.find(row.currency);
    if (!currency) throw new Error(`invoice in unknown currency "${row.currency}"`);
    return currency;
  }

  const { apply, applyMany } = createApply({ db, clock, bus, log, currencyOf, chainOf, instanceId });
  const quoteDeps = { db, clock, log, rates, lockMs: quoteLockMs, apply, currencyOf };

  async function findOwned(account: string, id: string): Promise<InvoicesTable> {
    const row = await db.selectFrom('invoices').selectAll().where('id', '=', id).where('account', '=', account).executeTakeFirst();
    if (!row) throw new DomainError('NOT_FOUND', 'no invoice with this id', 'id');
    return row;
  }

  /** A merchant's decision: refused by the state machine, it is a 409. */
  async function decide(account: string, id: string, event: InvoiceEvent, reason: string): Promise<InvoicesTable> {
    await findOwned(account, id);
    const result = await apply(id, event, reason);
    if (!result.ok) throw new DomainError('INVALID_STATE', result.reason);
    return result.invoice;
  }

  return {
    sink: createChainSink({ db, clock, log, apply, applyMany, quoteDeps }),
    currencies,
    createInvoice: (account: string, input: NewInvoice) => createInvoice({ db, clock, bus, chains, instanceId }, account, input),
    /** A quote of `price` in `coin` at the current rate (quote.ts); RATE_UNAVAILABLE without one. */
    quote: (price: FiatPrice, coin: Currency) => quote(quoteDeps, price, coin),
    /** Quotes again the open fiat invoices whose quote expired with nothing received (quote.ts); returns how many. */
    requoteDue: () => requoteDue(quoteDeps),
    findOwned,
    currencyOf,

    async findByIdempotencyKey(account: string, key: string): Promise<InvoicesTable> {
      const row = await db
        .selectFrom('invoices')
        .selectAll()
        .where('account', '=', account)
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      if (!row) throw new DomainError('NOT_FOUND', 'no invoice with this idempotency key', 'idempotencyKey');
      return row;
    },

    archive: (account: string, id: string) => decide(account, id, { type: 'ARCHIVE' }, 'archived by merchant'),
    resolve: (account: string, id: string, action: Resolution) =>
      decide(account, id, { type: 'RESOLVE', action }, `intervention resolved: ${action}`),

    /**
     * Archives the invoices whose time is up (see expiry.ts); returns how many. Only those of chains this
     * instance watches (`watching`; several instances: the chains it leads): only their scan says how far it got.
     */
    expireDue: (watching: (chain: string) => boolean = () => true) =>
      expireDue({ db, clock, apply, scannedThrough: (chain) => (watching(chain) ? (chainById.get(chain)?.scannedThrough?.() ?? Infinity) : 0) }),

    async chainHeight(chain: string): Promise<number> {
      const tip = await db.selectFrom('chain_tips').select('height').where('chain', '=', chain).executeTakeFirst();
      return tip?.height ?? 0;
    },
  };
}
