/**
 * The merchant API, route by route: Calypso's signed envelope around each
 * payload. The server mounts these routes, the OpenAPI document describes
 * them and the typed client calls them, all from this one table.
 *
 * `replay` says what happens when the same signed bytes arrive again within
 * the timestamp window (Calypso signs only the body, so a captured request
 * could otherwise be sent again, or to another route):
 * - `never`: refused (401 REPLAYED_REQUEST): the route changes something.
 * - `retry`: answered again: a read, which an honest client may repeat.
 * - `with-idempotency-key`: answered again only when the payload carries an
 *   idempotencyKey (the same invoice comes back); refused without one.
 * Bytes first accepted by one route are refused by every other.
 */
import { z } from 'zod';
import { account } from './common';
import type { ErrorCode } from './errors';
import { merchantProfile, updateProfile } from './merchant-profile';
import { createSingleFiatWidget, widgetDto, widgetLookup } from './widget';
import { createSingleFiatInvoice, createSingleInvoice, invoiceById, invoiceDto, invoiceLookup, invoicePage, listInvoices, resolveIntervention } from './invoice';
import {
  createSubscription,
  deleted,
  deliveryDto,
  deliveryPage,
  listDeliveries,
  noPayload,
  redeliver,
  subscriptionByRequestId,
  subscriptionDto,
  subscriptionList,
} from './subscription';

type ReplayPolicy = 'never' | 'retry' | 'with-idempotency-key';

export interface MerchantRoute {
  method: 'POST' | 'DELETE';
  /** Below /api/v1. */
  path: `/${string}`;
  summary: string;
  payload: z.ZodType;
  response: z.ZodType;
  replay: ReplayPolicy;
  /** Calypso has this route; otherwise it is Payframe's own. */
  calypso: boolean;
  /** Error codes this route may answer besides those of every signed route. */
  errors?: readonly ErrorCode[];
}

const route = <P extends z.ZodType, R extends z.ZodType>(r: Omit<MerchantRoute, 'payload' | 'response'> & { payload: P; response: R }) => r;

export const merchantApi = {
  createInvoice: route({
    method: 'POST',
    path: '/invoice/single/create',
    summary: 'Create a SINGLE invoice: a crypto amount in one currency, paid to a fresh address.',
    payload: createSingleInvoice,
    response: invoiceDto,
    replay: 'with-idempotency-key',
    calypso: true,
  }),
  createFiatInvoice: route({
    method: 'POST',
    path: '/invoice/single-fiat/create',
    summary: 'Create a SINGLE_FIAT invoice: a fiat price paid in one crypto currency, at a quote locked for 15 minutes and renewed while nothing is received.',
    payload: createSingleFiatInvoice,
    response: invoiceDto,
    replay: 'with-idempotency-key',
    calypso: true,
    errors: ['RATE_UNAVAILABLE'],
  }),
  getInvoice: route({
    method: 'POST',
    path: '/invoice',
    summary: 'Get one invoice by id or by idempotencyKey.',
    payload: invoiceLookup,
    response: invoiceDto,
    replay: 'retry',
    calypso: true,
  }),
  listInvoices: route({
    method: 'POST',
    path: '/invoice/list',
    summary: 'List invoices, newest first, optionally by state.',
    payload: listInvoices,
    response: invoicePage,
    replay: 'retry',
    calypso: false,
  }),
  archiveInvoice: route({
    method: 'POST',
    path: '/invoice/archive',
    summary: 'Archive an invoice that has received nothing.',
    payload: invoiceById,
    response: invoiceDto,
    replay: 'never',
    calypso: false,
  }),
  resolveIntervention: route({
    method: 'POST',
    path: '/invoice/intervention/resolve',
    summary: 'Decide a PENDING_INTERVENTION invoice: ACCEPT (it goes on to PAID/COMPLETED) or REJECT (ARCHIVED; refund outside Payframe).',
    payload: resolveIntervention,
    response: invoiceDto,
    replay: 'never',
    calypso: false,
  }),
  createWidget: route({
    method: 'POST',
    path: '/payment-widget/single-fiat/create',
    summary: 'Create a SINGLE_FIAT payment widget: the buyer picks one of the coins on its page (paymentUrl), and that creates a SINGLE_FIAT invoice.',
    payload: createSingleFiatWidget,
    response: widgetDto,
    replay: 'with-idempotency-key',
    calypso: true,
  }),
  findWidget: route({
    method: 'POST',
    path: '/payment-widget/single-fiat/find',
    summary: 'Get a payment widget by idempotencyKey, with its state and the invoices its buyer created.',
    payload: widgetLookup,
    response: widgetDto,
    replay: 'retry',
    calypso: true,
  }),
  createWebhookSubscription: route({
    method: 'POST',
    path: '/subscription/webhook/create',
    summary: 'Subscribe a URL to webhook events; the answer holds the secret that signs them.',
    payload: createSubscription,
    response: subscriptionDto,
    replay: 'never',
    calypso: true,
  }),
  listWebhookSubscriptions: route({
    method: 'POST',
    path: '/subscription/webhook',
    summary: 'List the webhook subscriptions, secrets included.',
    payload: noPayload,
    response: subscriptionList,
    replay: 'never',
    calypso: true,
  }),
  deleteWebhookSubscription: route({
    method: 'DELETE',
    path: '/subscription/webhook',
    summary: 'Delete a webhook subscription; its undelivered events are cancelled.',
    payload: subscriptionByRequestId,
    response: deleted,
    replay: 'never',
    calypso: true,
  }),
  regenerateWebhookKeys: route({
    method: 'POST',
    path: '/subscription/webhook/regenerate-keys',
    summary: 'New keys for a subscription; the old secret still signs for 24 h.',
    payload: subscriptionByRequestId,
    response: subscriptionDto,
    replay: 'never',
    calypso: false,
  }),
  listWebhookDeliveries: route({
    method: 'POST',
    path: '/subscription/webhook/deliveries',
    summary: 'The delivery log: each event sent to each subscription, with its attempts.',
    payload: listDeliveries,
    response: deliveryPage,
    replay: 'never',
    calypso: false,
  }),
  redeliverWebhook: route({
    method: 'POST',
    path: '/subscription/webhook/redeliver',
    summary: 'Send a delivery again now, with the same id and body.',
    payload: redeliver,
    response: deliveryDto,
    replay: 'never',
    calypso: false,
  }),
  getProfile: route({
    method: 'POST',
    path: '/merchant/profile',
    summary: 'Your profile as buyers see it: the display name in the checkout\'s header and the default appearance of your checkouts.',
    payload: noPayload,
    response: merchantProfile,
    replay: 'retry',
    calypso: false,
  }),
  updateProfile: route({
    method: 'POST',
    path: '/merchant/profile/update',
    summary: 'Set the display name and/or the default appearance (theme and variables) of your checkouts; an appearance whose colours fail WCAG AA contrast is refused.',
    payload: updateProfile,
    response: merchantProfile,
    replay: 'never',
    calypso: false,
  }),
} as const;

export type MerchantApi = typeof merchantApi;
export type RouteName = keyof MerchantApi;

/** The signed envelope around every payload. */
export const envelope = <P extends z.ZodType>(payload: P) =>
  z.object({
    timestamp: z.number().int().meta({ description: 'Now, in epoch milliseconds; within 3 minutes of Payframe\'s clock.' }),
    account,
    /**
     * Ours, optional: the route the request is for (`/invoice/list`). Calypso
     * signs only the body, so its requests name no route; one that does is
     * refused by every other route even if it gets there first.
     */
    path: z.string().max(200).optional(),
    payload,
  });

/** How far the envelope's timestamp may be from the server's clock. */
export const TIMESTAMP_TOLERANCE_MS = 3 * 60 * 1000;
