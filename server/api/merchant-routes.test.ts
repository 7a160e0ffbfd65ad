import { calypsoSign } from '../../contract/signatures';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { NewMerchant } from '../merchants/merchants';
import { harnessPerTest, type InvoiceResponse, START } from '../testing/harness';

/**
 * Calypso's published InvoiceDTO, written out here rather than imported from
 * dto.ts, so a change to our schema cannot silently change what we test against.
 */
const calypsoInvoiceDto = z.object({
  id: z.string(),
  invoiceAddress: z.string(),
  type: z.literal('SINGLE'),
  amount: z.number(),
  fee: z.number(),
  totalDebitAmount: z.number(),
  currency: z.string(),
  state: z.enum(['PENDING_PAYMENT', 'MEM_POOL_FOUND', 'PENDING_COMPLIANCE_CHECK', 'DECLINED', 'PAID', 'PENDING_INTERVENTION', 'COMPLETED', 'ARCHIVED']),
  lastDepositHash: z.string().optional(),
  description: z.string(),
  createdDate: z.iso.datetime(),
  idempotencyKey: z.string(),
  expiration: z.iso.datetime(),
  interventionType: z.enum(['UNDERPAY', 'OVERPAY']).optional(),
  isInterventionResolved: z.boolean(),
  returnUrl: z.string().optional(),
  logoUrl: z.string().optional(),
  supportUrl: z.string().optional(),
  externalId: z.string().optional(),
});

const CREATE = '/api/v1/invoice/single/create';
const GET = '/api/v1/invoice';
const LIST = '/api/v1/invoice/list';
const ARCHIVE = '/api/v1/invoice/archive';
const RESOLVE = '/api/v1/invoice/intervention/resolve';

interface ErrorBody {
  traceId: string;
  errorCode: string;
  message: string;
}

interface ListBody {
  items: InvoiceResponse[];
  nextCursor: string | null;
}


const h = harnessPerTest();

async function ok<T = InvoiceResponse>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(200);
  return JSON.parse(text) as T;
}

async function fails(res: Response | Promise<Response>, status: number, errorCode: string): Promise<ErrorBody> {
  const r = await res;
  const body = (await r.json()) as ErrorBody;
  expect({ status: r.status, errorCode: body.errorCode }).toEqual({ status, errorCode });
  return body;
}

const create = (payload: Record<string, unknown>, merchant?: NewMerchant) =>
  h.call(CREATE, { amount: 0.01, currency: 'ETH', description: 'Order 1', ...payload }, { merchant });

const countInvoices = async () => (await h.db.selectFrom('invoices').select(h.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
const addressCounters = () => h.db.selectFrom('address_counters').selectAll().execute();

/** Pays `amount` of the invoice and mines the payment into a block. */
async function payAndMine(invoice: InvoiceResponse, amount: string): Promise<void> {
  await h.pay(invoice.invoiceAddress, amount);
  await h.mine();
}

describe('POST /api/v1/invoice/single/create with a client written for Calypso', () => {
  /** What a Calypso SDK sends: pretty-printed JSON, Sign over exactly those bytes. */
  function calypsoRequest(path: string, payload: unknown) {
    const body = JSON.stringify({ timestamp: h.clock.now(), account: h.merchant.account, payload }, null, 2);
    const sign = calypsoSign(h.merchant.secret, body);
    return { body, request: h.app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Key: h.merchant.key, Sign: sign }, body }) };
  }

  it('creates an invoice and fetches it by id and by idempotencyKey, each answer a valid Calypso InvoiceDTO', async () => {
    const sent = calypsoRequest(CREATE, { amount: 0.001, currency: 'ETH', description: 'Calypso order 7', idempotencyKey: 'calypso-7' });
    expect(sent.body).toContain('\n  "payload": {\n    "amount": 0.001,');

    const res = await sent.request;
    const raw = await res.text();
    expect(res.status, raw).toBe(200);
    expect(raw).toContain('"amount":0.001');
    expect(raw).toContain('"totalDebitAmount":0.001');
    const created = calypsoInvoiceDto.parse(JSON.parse(raw));
    expect(created).toMatchObject({
      amount: 0.001,
      fee: 0,
      totalDebitAmount: 0.001,
      currency: 'ETH',
      state: 'PENDING_PAYMENT',
      description: 'Calypso order 7',
      idempotencyKey: 'calypso-7',
      isInterventionResolved: false,
      createdDate: new Date(START).toISOString(),
    });
    expect(created.invoiceAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);

    const byId = calypsoInvoiceDto.parse(await ok(calypsoRequest(GET, { id: created.id }).request));
    const byKey = calypsoInvoiceDto.parse(await ok(calypsoRequest(GET, { idempotencyKey: 'calypso-7' }).request));
    expect(byId).toEqual(created);
    expect(byKey).toEqual(created);
  });

  it('answers a valid Calypso InvoiceDTO in every intervention and when completed, Payframe-only reasons in interventionReason', async () => {
    const invoice = async (amount: string, drive: (inv: InvoiceResponse) => Promise<void>) => {
      const inv = await ok(create({ amount }));
      await drive(inv);
      const raw = await ok<Record<string, unknown>>(calypsoRequest(GET, { id: inv.id }).request);
      return { ...calypsoInvoiceDto.parse(raw), interventionReason: raw.interventionReason };
    };
    const underpaid = await invoice('0.01', (inv) => payAndMine(inv, '0.005'));
    const overpaid = await invoice('0.01', (inv) => payAndMine(inv, '0.02'));
    const twoSenders = await invoice('0.01', async (inv) => {
      await h.pay(inv.invoiceAddress, '0.005');
      await h.pay(inv.invoiceAddress, '0.005', { from: '0x000000000000000000000000000000000000dEaD' });
      await h.mine();
    });
    const completed = await invoice('0.01', async (inv) => {
      await payAndMine(inv, '0.01');
      await h.mine(2);
    });
    const late = await invoice('0.01', async (inv) => {
      h.clock.advance(24 * 60 * 60 * 1000 + 1000);
      await h.engine.expireDue();
      await payAndMine(inv, '0.01');
    });
    expect([underpaid, overpaid, twoSenders, late].map((i) => i.state)).toEqual(Array(4).fill('PENDING_INTERVENTION'));
    expect(underpaid).toMatchObject({ interventionType: 'UNDERPAY', interventionReason: 'UNDERPAY' });
    expect(overpaid).toMatchObject({ interventionType: 'OVERPAY', interventionReason: 'OVERPAY' });
    expect(twoSenders.interventionType).toBeUndefined();
    expect(twoSenders.interventionReason).toBe('MULTIPLE_SENDERS');
    expect(late.interventionType).toBeUndefined();
    expect(late.interventionReason).toBe('LATE_PAYMENT');
    expect(completed).toMatchObject({ state: 'COMPLETED', isInterventionResolved: false, lastDepositHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(completed.interventionReason).toBeUndefined();
  });

  it('writes a decimal-string amount back exactly as a JSON number', async () => {
    const res = await h.call(CREATE, { amount: '123456789.12345678', currency: 'ETH', description: 'Big order' }, { pretty: true });
    const raw = await res.text();
    expect(res.status, raw).toBe(200);
    expect(raw).toContain('"amount":123456789.12345678,');
    const { id } = JSON.parse(raw) as { id: string };

    const again = await (await h.call(GET, { id })).text();
    expect(again).toContain('"amount":123456789.12345678,');
    expect(again).toContain('"totalDebitAmount":123456789.12345678,');
  });
});

describe('POST /api/v1/invoice/single/create', () => {
  it('returns the same invoice when the same idempotencyKey comes with the same payload', async () => {
    const first = await ok(create({ idempotencyKey: 'order-1' }));
    const second = await ok(create({ idempotencyKey: 'order-1' }));

    expect(second.id).toBe(first.id);
    expect(second.invoiceAddress).toBe(first.invoiceAddress);
    expect(await countInvoices()).toBe(1);
  });

  it('returns 409 when the idempotency key is reused with another amount, and creates nothing', async () => {
    const first = await ok(create({ idempotencyKey: 'order-1' }));
    const countersBefore = await addressCounters();

    const err = await fails(create({ idempotencyKey: 'order-1', amount: 0.02 }), 409, 'IDEMPOTENCY_CONFLICT');

    expect(err.message).toContain('payload.idempotencyKey');
    expect(await countInvoices()).toBe(1);
    expect(await addressCounters()).toEqual(countersBefore);
    expect((await ok(h.call(GET, { idempotencyKey: 'order-1' }))).amount).toBe(first.amount);
  });

  it('creates exactly one invoice for 20 concurrent identical requests', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => ok(create({ idempotencyKey: 'burst' }))));

    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.invoiceAddress)).size).toBe(1);
    expect(await countInvoices()).toBe(1);
  });

  it('lets different merchants use the same idempotencyKey independently', async () => {
    const other = await h.newMerchant();
    const mine = await ok(create({ idempotencyKey: 'shared-key' }));
    const theirs = await ok(create({ idempotencyKey: 'shared-key', amount: 5 }, other));

    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.invoiceAddress).not.toBe(mine.invoiceAddress);
    expect(theirs.amount).toBe(5);
    expect((await ok(h.call(GET, { idempotencyKey: 'shared-key' }))).id).toBe(mine.id);
    expect((await ok(h.call(GET, { idempotencyKey: 'shared-key' }, { merchant: other }))).id).toBe(theirs.id);
  });

  it('generates an idempotencyKey when none is given, and the invoice can be fetched by it', async () => {
    const a = await ok(create({}));
    const b = await ok(create({}));

    expect(a.idempotencyKey).toMatch(/\S{16,}/);
    expect(b.idempotencyKey).not.toBe(a.idempotencyKey);
    expect(b.id).not.toBe(a.id);
    expect((await ok(h.call(GET, { idempotencyKey: a.idempotencyKey }))).id).toBe(a.id);
  });

  it('gives every invoice its own address', async () => {
    const invoices: InvoiceResponse[] = [];
    for (let i = 0; i < 20; i++) invoices.push(await h.createInvoice({ description: `Order ${i}` }));

    const addresses = invoices.map((i) => i.invoiceAddress.toLowerCase());
    expect(new Set(addresses).size).toBe(20);
    for (const address of addresses) expect(address).toMatch(/^0x[0-9a-f]{40}$/);
  });

  it('accepts expiration as an ISO date-time and reflects it in expiration', async () => {
    const invoice = await ok(create({ expiration: '2026-11-24T15:30:00+02:00' }));

    expect(invoice.expiration).toBe('2026-11-24T13:30:00.000Z');
  });

  it('accepts Calypso’s own zone-less form, to the microsecond, as UTC, and still answers with Z', async () => {
    const invoice = await ok(create({ expiration: '2026-11-24T15:30:00.200475' }));

    expect(invoice.expiration).toBe('2026-11-24T15:30:00.200Z');
  });

  it('refuses a zone-less expiration that is not a real date, naming the field', async () => {
    const res = await create({ expiration: '2026-11-24T25:30:00' });
    expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 400, body: { errorCode: 'VALIDATION_FAILED', message: expect.stringContaining('payload.expiration') } });
  });

  it('accepts expiration as epoch milliseconds and reflects it in expiration', async () => {
    const invoice = await ok(create({ expiration: START + 2 * 60 * 60 * 1000 }));

    expect(invoice.expiration).toBe('2026-11-24T14:00:00.000Z');
  });

  it('expires an invoice after one day when no expiration is given', async () => {
    const invoice = await ok(create({}));

    expect(invoice.expiration).toBe('2026-11-25T12:00:00.000Z');
  });
});

describe('POST /api/v1/invoice', () => {
  it("answers 404 for another merchant's invoice, by id and by idempotencyKey", async () => {
    const other = await h.newMerchant();
    const theirs = await ok(create({ idempotencyKey: 'theirs' }, other));

    await fails(h.call(GET, { id: theirs.id }), 404, 'NOT_FOUND');
    await fails(h.call(GET, { idempotencyKey: 'theirs' }), 404, 'NOT_FOUND');
  });
});

describe('POST /api/v1/invoice/list', () => {
  it('filters by state', async () => {
    const [a, b, c] = [await h.createInvoice(), await h.createInvoice(), await h.createInvoice()];
    await ok(h.call(ARCHIVE, { id: b.id }));

    const archived = await ok<ListBody>(h.call(LIST, { state: 'ARCHIVED' }));
    const pending = await ok<ListBody>(h.call(LIST, { state: 'PENDING_PAYMENT' }));

    expect(archived.items.map((i) => i.id)).toEqual([b.id]);
    expect(pending.items.map((i) => i.id).sort()).toEqual([a.id, c.id].sort());
    expect(pending.items.every((i) => i.state === 'PENDING_PAYMENT')).toBe(true);
  });

  it('returns every invoice exactly once, newest first, across cursor pages', async () => {
    const created: InvoiceResponse[] = [];
    for (let i = 0; i < 11; i++) {
      // Pairs share a creation time, so the order within a millisecond is exercised too.
      if (i % 2 === 0) h.clock.advance(1000);
      created.push(await h.createInvoice({ description: `Order ${i}` }));
    }
    const expected = [...created]
      .sort((x, y) => Date.parse(String(y.createdDate)) - Date.parse(String(x.createdDate)) || (y.id < x.id ? -1 : 1))
      .map((i) => i.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ListBody = await ok<ListBody>(h.call(LIST, { limit: 3, ...(cursor ? { cursor } : {}) }));
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);

    expect(pages).toBe(4);
    expect(seen).toEqual(expected);
    expect(Date.parse(String(created.at(-1)?.createdDate))).toBeGreaterThan(Date.parse(String(created[0]?.createdDate)));
  });

  it('returns 20 invoices by default, up to 100 when asked, and refuses a limit outside 1..100', async () => {
    for (let i = 0; i < 25; i++) await h.createInvoice({ description: `Order ${i}` });

    const byDefault = await ok<ListBody>(h.call(LIST, {}));
    const one = await ok<ListBody>(h.call(LIST, { limit: 1 }));
    const hundred = await ok<ListBody>(h.call(LIST, { limit: 100 }));

    expect(byDefault.items).toHaveLength(20);
    expect(byDefault.nextCursor).not.toBeNull();
    expect(one.items).toHaveLength(1);
    expect(hundred.items).toHaveLength(25);
    expect(hundred.nextCursor).toBeNull();
    await fails(h.call(LIST, { limit: 101 }), 400, 'VALIDATION_FAILED');
    await fails(h.call(LIST, { limit: 0 }), 400, 'VALIDATION_FAILED');
  });

  it("never shows another merchant's invoices", async () => {
    const other = await h.newMerchant();
    const mine = await h.createInvoice();
    const theirs = await ok(create({}, other));

    const myList = await ok<ListBody>(h.call(LIST, {}));
    const theirList = await ok<ListBody>(h.call(LIST, {}, { merchant: other }));

    expect(myList.items.map((i) => i.id)).toEqual([mine.id]);
    expect(theirList.items.map((i) => i.id)).toEqual([theirs.id]);
  });

  it('lists with no payload at all, as Calypso clients call it', async () => {
    const inv = await h.createInvoice();
    const body = JSON.stringify({ timestamp: h.clock.now(), account: h.merchant.account });
    const sign = calypsoSign(h.merchant.secret, body);
    const res = await h.app.request(LIST, { method: 'POST', headers: { Key: h.merchant.key, Sign: sign }, body });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ListBody).items.map((i) => i.id)).toEqual([inv.id]);
  });
});

describe('POST /api/v1/invoice/archive', () => {
  it('archives a PENDING_PAYMENT invoice', async () => {
    const invoice = await h.createInvoice();

    const archived = await ok(h.call(ARCHIVE, { id: invoice.id }));

    expect(archived.state).toBe('ARCHIVED');
    expect((await ok(h.call(GET, { id: invoice.id }))).state).toBe('ARCHIVED');
  });

  it('returns 409 INVALID_STATE for a paid invoice and leaves it paid', async () => {
    const invoice = await h.createInvoice({ amount: '0.01' });
    await payAndMine(invoice, '0.01');
    expect((await ok(h.call(GET, { id: invoice.id }))).state).toBe('PAID');

    await fails(h.call(ARCHIVE, { id: invoice.id }), 409, 'INVALID_STATE');

    expect((await ok(h.call(GET, { id: invoice.id }))).state).toBe('PAID');
  });

  it("answers 404 for another merchant's invoice and leaves it open", async () => {
    const other = await h.newMerchant();
    const theirs = await ok(create({}, other));

    await fails(h.call(ARCHIVE, { id: theirs.id }), 404, 'NOT_FOUND');

    expect((await ok(h.call(GET, { id: theirs.id }, { merchant: other }))).state).toBe('PENDING_PAYMENT');
  });
});

describe('POST /api/v1/invoice/intervention/resolve', () => {
  async function underpaid(): Promise<InvoiceResponse> {
    const invoice = await h.createInvoice({ amount: '0.01' });
    await payAndMine(invoice, '0.005');
    const now = await ok(h.call(GET, { id: invoice.id }));
    expect(now).toMatchObject({ state: 'PENDING_INTERVENTION', interventionType: 'UNDERPAY', isInterventionResolved: false });
    return now;
  }

  it('accepts an underpayment: PAID at once, COMPLETED once the payment is final', async () => {
    const invoice = await underpaid();

    const resolved = await ok(h.call(RESOLVE, { id: invoice.id, action: 'ACCEPT' }));

    expect(resolved).toMatchObject({ state: 'PAID', isInterventionResolved: true });
    await h.mine(2);
    expect(await ok(h.call(GET, { id: invoice.id }))).toMatchObject({ state: 'COMPLETED', isInterventionResolved: true });
  });

  it('rejects an underpayment: ARCHIVED', async () => {
    const invoice = await underpaid();

    const resolved = await ok(h.call(RESOLVE, { id: invoice.id, action: 'REJECT' }));

    expect(resolved).toMatchObject({ state: 'ARCHIVED', isInterventionResolved: true });
    await h.mine(3);
    expect((await ok(h.call(GET, { id: invoice.id }))).state).toBe('ARCHIVED');
  });

  it('returns 409 INVALID_STATE for a PENDING_PAYMENT invoice', async () => {
    const invoice = await h.createInvoice();

    await fails(h.call(RESOLVE, { id: invoice.id, action: 'ACCEPT' }), 409, 'INVALID_STATE');

    expect(await ok(h.call(GET, { id: invoice.id }))).toMatchObject({ state: 'PENDING_PAYMENT', isInterventionResolved: false });
  });

  it('returns 409 INVALID_STATE when the intervention is resolved a second time', async () => {
    const invoice = await underpaid();
    await ok(h.call(RESOLVE, { id: invoice.id, action: 'REJECT' }));

    await fails(h.call(RESOLVE, { id: invoice.id, action: 'ACCEPT' }), 409, 'INVALID_STATE');

    expect((await ok(h.call(GET, { id: invoice.id }))).state).toBe('ARCHIVED');
  });
});
