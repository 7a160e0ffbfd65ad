import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { calypsoSign, signatureHeaders, standardSignature } from './signatures';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = '{"requestId":"r","id":7,"data":{"amount":0.01}}';

describe('signatureHeaders', () => {
  it('signs the raw body with HMAC-SHA512 keyed by the whole secretKey string (Calypso Sign)', () => {
    const headers = signatureHeaders({ publicKey: 'whpk_1', secretKey: secret, id: '7', timestampMs: Date.now(), body });
    expect(headers.Key).toBe('whpk_1');
    expect(headers.Sign).toBe(createHmac('sha512', secret).update(body).digest('hex'));
    expect(headers.Sign).toMatch(/^[0-9a-f]{128}$/);
  });

  it('produces a webhook-signature the standardwebhooks library accepts with the same secret', () => {
    const headers = signatureHeaders({ publicKey: 'whpk_1', secretKey: secret, id: '7', timestampMs: Date.now(), body });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('matches the library’s own signature byte for byte', () => {
    const at = new Date('2026-11-24T12:00:00.000Z');
    expect(standardSignature(secret, 'msg_1', at.getTime() / 1000, body)).toBe(new Webhook(secret).sign('msg_1', at, body));
  });

  it('adds the previous secret’s signature during a rotation, so either secret verifies', () => {
    const previous = `whsec_${randomBytes(32).toString('base64')}`;
    const headers = signatureHeaders({ publicKey: 'k', secretKey: secret, previousSecretKey: previous, id: '9', timestampMs: Date.now(), body });
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(secret).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
    // Calypso's Sign has room for one signature: the current secret's.
    expect(headers.Sign).toBe(calypsoSign(secret, body));
  });

  it('signs bytes and strings alike', () => {
    expect(calypsoSign(secret, new TextEncoder().encode(body))).toBe(calypsoSign(secret, body));
    expect(standardSignature(secret, '1', 5, Buffer.from(body))).toBe(standardSignature(secret, '1', 5, body));
  });
});
