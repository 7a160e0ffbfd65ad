/**
 * payframe/client — everything a merchant's backend needs to talk to
 * Payframe: the typed API client, webhook verification, and signed test
 * webhooks for testing a receiver. Node only (it signs with node:crypto);
 * it holds no server code.
 */
export { createClient, PayframeApiError, type Client, type ClientOptions, type SignedRequest } from './client';
export {
  parseWebhook,
  signTestWebhook,
  verifyWebhook,
  WebhookVerificationError,
  WEBHOOK_TOLERANCE_MS,
  type TestWebhookOptions,
  type VerifyOptions,
  type WebhookFailure,
  type WebhookVerification,
} from './webhooks';
export type { InvoiceDto, CreateSingleInvoice } from '../contract/invoice';
export type { SubscriptionDto, DeliveryDto } from '../contract/subscription';
export type { WebhookEvent, EventData } from '../contract/webhook-events';
export type { CheckoutView } from '../contract/checkout';
export type { ErrorBody, ErrorCode } from '../contract/errors';
export { WEBHOOK_EVENT_TYPES, INVOICE_STATES, type WebhookEventType, type InvoiceState } from '../contract/enums';
