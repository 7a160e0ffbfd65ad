import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeaders } from '../contract/signatures';
import type { WebhookEvent } from '../contract/webhook-events';
import { readWire } from '../contract/wire-json';
import { FakeClock, createHarness } from '../server/testing/harness';
import { renderBody } from '../server/webhooks/payload';
import { startReceiver } from '../server/webhooks/test-receiver';
import { WebhookVerificationError, parseWebhook, signTestWebhook, verifyWebhook } from './webhooks';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const data = JSON.stringify({
  type: 'INVOICE_PAID',
  parentExternalId: 'inv_1',
  idempotencyKey: 'k',
  externalId: 'order-7',
  invoiceType: 'SINGLE',
  state: 'PAID',
  interventionReason: null,
  isInterventionResolved: false,
  currency: 'ETH',
  network: 'ethereum',
  invoiceAddress: '0x0000000000000000000000000000000000000001',
  amountPaid: 0.01,
  lastDepositHash: '0xab',
  confirmations: 1,
  createdDate: '2026-11-24T11:00:00.000Z',
  expiration: '2026-11-25T11:00:00.000Z',
  version: 3,
  amount: 0.01,
  realAmount: 0.01,
  description: 'Order 7',
  fiatAmount: null,
  fiatCurrency: null,
});
const body = renderBody({ requestId: 'req-1', deliveryId: 42, createdAt: NOW, level: 'SUCCESS', eventType: 'INVOICE_PAID', data });
const signed = (over: { timestampMs?: number; id?: string } = {}) =>
  signatureHeaders({ publicKey: 'whpk_1', secretKey: secret, id: over.id ?? '42', timestampMs: over.timestampMs ?? NOW, body });
const now = () => NOW;

describe('verifyWebhook', () => {
  it('accepts a Payframe webhook by its Standard Webhooks signature and parses the event', () => {
    const result = verifyWebhook(body, signed(), secret, { now });
    expect(result).toMatchObject({ ok: true, scheme: 'standard-webhooks', event: { id: 42, requestId: 'req-1', eventType: 'INVOICE_PAID', data: { externalId: 'order-7' } } });
  });

  it('takes the body as bytes and the headers as a Headers object', () => {
    const result = verifyWebhook(new TextEncoder().encode(body), new Headers(signed()), secret, { now });
    expect(result.ok).toBe(true);
  });

  it('refuses Calypso’s Sign alone unless the caller allows untimestamped requests', () => {
    const { Key, Sign } = signed();
    expect(verifyWebhook(body, { Key, Sign }, secret, { now })).toMatchObject({ ok: false, reason: 'missing_headers' });
    const calypso = { now, allowUntimestamped: true };
    expect(verifyWebhook(body, { Key, Sign }, secret, calypso)).toMatchObject({ ok: true, scheme: 'calypso' });
    expect(verifyWebhook(body, { Key, Sign: Sign!.toUpperCase() }, secret, calypso).ok).toBe(true);
  });

  it('refuses a body changed after signing, under either scheme', () => {
    const changed = body.replace('"amount":0.01', '"amount":0.02');
    expect(verifyWebhook(changed, signed(), secret, { now })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
    expect(verifyWebhook(changed, { Sign: signed().Sign }, secret, { now, allowUntimestamped: true })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses another secret', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(verifyWebhook(body, signed(), other, { now })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses a timestamp more than 5 minutes old or ahead (a replay), and does not fall back to Sign then', () => {
    expect(verifyWebhook(body, signed({ timestampMs: NOW - 5 * 60_000 - 1000 }), secret, { now })).toMatchObject({ reason: 'timestamp_out_of_tolerance' });
    expect(verifyWebhook(body, signed({ timestampMs: NOW + 5 * 60_000 + 1000 }), secret, { now })).toMatchObject({ reason: 'timestamp_out_of_tolerance' });
    expect(verifyWebhook(body, signed({ timestampMs: NOW - 4 * 60_000 }), secret, { now }).ok).toBe(true);
  });

  it('refuses a webhook-id that differs from the body’s id', () => {
    expect(verifyWebhook(body, signed({ id: '43' }), secret, { now })).toMatchObject({ ok: false, reason: 'invalid_payload' });
  });

  it.each([
    [{}, 'missing_headers'],
    [{ 'webhook-id': '42', 'webhook-timestamp': 'soon', 'webhook-signature': 'v1,x' }, 'invalid_timestamp'],
  ])('names what is wrong: %j', (headers, reason) => {
    expect(verifyWebhook(body, headers, secret, { now })).toMatchObject({ ok: false, reason });
  });

  it('refuses a correctly signed body that is not a webhook event', () => {
    const other = '{"hello":"world"}';
    const headers = signatureHeaders({ publicKey: 'k', secretKey: secret, id: '1', timestampMs: NOW, body: other });
    expect(verifyWebhook(other, headers, secret, { now })).toMatchObject({ ok: false, reason: 'invalid_payload' });
  });
});

describe('parseWebhook', () => {
  it('returns the event or throws a WebhookVerificationError with the reason', () => {
    expect(parseWebhook(body, signed(), secret, { now }).id).toBe(42);
    try {
      parseWebhook(body, {}, secret, { now });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WebhookVerificationError);
      expect(err).toMatchObject({ name: 'WebhookVerificationError', reason: 'missing_headers' });
    }
  });
});

describe('verifyWebhook on a real delivery', () => {
  it('refuses the delivery replayed with only Key and Sign (its webhook-* headers stripped)', async () => {
    const h = await createHarness({ clock: new FakeClock(Date.now()) });
    const receiver = await startReceiver();
    try {
      const res = await h.call('/api/v1/subscription/webhook/create', { url: receiver.url, notificationEventTypes: ['INVOICE_CREATE_INVOICE'] });
      const { secretKey } = (await res.json()) as { secretKey: string };
      await h.createInvoice();
      await h.webhooks.runDue();
      const [delivery] = receiver.received;
      expect(verifyWebhook(delivery!.body, delivery!.headers, secretKey)).toMatchObject({ ok: true, scheme: 'standard-webhooks' });

      const replay = { key: delivery!.headers.key, sign: delivery!.headers.sign };
      expect(verifyWebhook(delivery!.body, replay, secretKey)).toMatchObject({ ok: false, reason: 'missing_headers' });
      expect(verifyWebhook(delivery!.body, replay, secretKey, { allowUntimestamped: true })).toMatchObject({ ok: true, scheme: 'calypso' });
    } finally {
      await receiver.close();
      await h.destroy();
    }
  });
});

describe('signTestWebhook', () => {
  const paid = readWire(body) as Extract<WebhookEvent, { eventType: 'INVOICE_PAID' }>;
  const event: WebhookEvent = { ...paid, data: { ...paid.data, amount: '0.123456789012345678' } };

  it('signs an event the way Payframe does, so a receiver’s verifyWebhook accepts it', () => {
    const { body: sent, headers } = signTestWebhook(event, { secret, timestampMs: NOW });
    const result = verifyWebhook(sent, headers, secret, { now });
    expect(result).toMatchObject({ ok: true, scheme: 'standard-webhooks', event: { id: 42, eventType: 'INVOICE_PAID' } });
    // Amounts go out as JSON numbers and come back as their exact text.
    expect(sent).toContain('"amount":0.123456789012345678');
    expect(result.ok && result.event.data).toMatchObject({ amount: '0.123456789012345678' });
  });

  it('is refused with another secret', () => {
    const { body: sent, headers } = signTestWebhook(event, { secret, timestampMs: NOW });
    expect(verifyWebhook(sent, headers, `whsec_${randomBytes(32).toString('base64')}`, { now })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });
});
