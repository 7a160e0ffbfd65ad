/**
 * docs/webhooks.md gives test vectors for a merchant's own verifier. They
 * are computed here from the page's own example body and secret, so a change
 * to either cannot leave the page wrong.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calypsoSign, standardSignature } from '../contract/signatures';
import { webhookEvent } from '../contract/webhook-events';
import { readWire } from '../contract/wire-json';
import { verifyWebhook } from './webhooks';

const page = readFileSync(new URL('../docs/webhooks.md', import.meta.url), 'utf8');
const example = /## The body\n\n(?:<!-- snippet: [\w-]+ -->\n)?```json\n([\s\S]*?)\n```/.exec(page)![1]!;
const body = JSON.stringify(JSON.parse(example));
const secret = /`(whsec_[A-Za-z0-9+/=]+)`:\n\n<!-- test-vector -->/.exec(page)![1]!;
const vector = (header: string) => new RegExp(`\\| \`${header}\` \\| \`([^\`]+)\` \\|`).exec(page.slice(page.indexOf('<!-- test-vector -->')))![1]!;

describe('docs/webhooks.md', () => {
  it('shows an example body that is a valid webhook event', () => {
    expect(webhookEvent.safeParse(readWire(body)).success).toBe(true);
  });

  it('gives the Sign and webhook-signature of that body under that secret', () => {
    expect(vector('Sign')).toBe(calypsoSign(secret, body));
    expect(vector('webhook-signature')).toBe(standardSignature(secret, vector('webhook-id'), Number(vector('webhook-timestamp')), body));
  });

  it('gives vectors that verifyWebhook accepts at their timestamp', () => {
    const headers = { 'webhook-id': vector('webhook-id'), 'webhook-timestamp': vector('webhook-timestamp'), 'webhook-signature': vector('webhook-signature') };
    expect(verifyWebhook(body, headers, secret, { now: () => Number(vector('webhook-timestamp')) * 1000 })).toMatchObject({ ok: true });
  });
});
