import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { onError } from '../http/errors';
import type { Logger } from '../logger';
import { pageRoutes } from '../pages/page-routes';
import { harnessPerTest, silentLog } from '../testing/harness';
import { fakeAssets } from '../testing/fake-assets';

const assets = fakeAssets({ entry: { script: '/assets/main-1.js', styles: [] }, picker: { script: '/assets/picker-main-1.js', styles: [] } });

describe('a stored checkout view that is not a view', () => {
  let errors: { message: string; fields: string }[];
  let invoiceId: string;
  const log: Logger = { ...silentLog, error: (message, fields) => errors.push({ message, fields: JSON.stringify(fields) }) };
  const corrupt = (view: string) => h.db.updateTable('invoice_versions').set({ view }).where('invoice_id', '=', invoiceId).execute();

  const h = harnessPerTest({ log });
  beforeEach(async () => {
    errors = [];
    invoiceId = (await h.createInvoice()).id;
  });

  /** The error path's 500: a generic body with the trace id, the cause in the log only. */
  const expectLogged500 = async (res: Response) => {
    expect(res.status).toBe(500);
    const body = (await res.json()) as { traceId: string; errorCode: string; message: string };
    expect(body).toMatchObject({ errorCode: 'INTERNAL_ERROR' });
    expect(body.message).not.toContain('stored checkout view');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fields).toContain('stored checkout view');
    expect(errors[0]!.fields).toContain(body.traceId);
  };

  for (const [what, view] of [
    ['not JSON', '{"id":'],
    ['a state outside the contract', JSON.stringify({ id: 'inv_x', version: 1, state: 'LOST', final: false })],
    ['a view without its amount', '{}'],
  ] as const) {
    it(`answers GET /api/checkout/:id with a logged 500 for ${what}`, async () => {
      await corrupt(view);
      await expectLogged500(await h.app.request(`/api/checkout/${invoiceId}`));
    });
  }

  it('answers the event stream with a logged 500 before it starts', async () => {
    await corrupt('null');
    await expectLogged500(await h.app.request(`/api/checkout/${invoiceId}/events`));
  });

  it('ends a running event stream with a log line when a later version it reads is corrupt', async () => {
    const res = await h.app.request(`/api/checkout/${invoiceId}/events`);
    expect(res.status).toBe(200);
    // A version this process did not write (another instance's, heard by LISTEN/NOTIFY without its view): the
    // stream's feed reads it from the database, and what is stored there is not a view.
    await h.db.insertInto('invoice_versions').values({ invoice_id: invoiceId, version: 2, state: 'MEM_POOL_FOUND', view: 'not a view', created_at: h.clock.now() }).execute();
    await h.db.updateTable('invoices').set({ version: 2, state: 'MEM_POOL_FOUND' }).where('id', '=', invoiceId).execute();
    h.bus.publish({ invoiceId, version: 2, state: 'MEM_POOL_FOUND' });
    const text = await res.text();
    expect(text).toContain('id: 1\n');
    expect(text).not.toContain('id: 2\n');
    expect(errors.map((e) => e.message)).toEqual(['checkout event stream failed']);
    expect(errors[0]!.fields).toContain('stored checkout view');
  });

  it('answers the QR code of a corrupt version with a logged 500', async () => {
    await corrupt('[]');
    await expectLogged500(await h.app.request(`/qr/${invoiceId}/1.svg`));
  });

  it('answers the hosted page with a logged 500', async () => {
    await corrupt('{"state":"PAID"}');
    const app = new Hono().route('/', pageRoutes({ db: h.db, clock: h.clock, log, assets: () => assets }));
    app.onError(onError(log));
    await expectLogged500(await app.request(`/pay/${invoiceId}`));
  });
});
