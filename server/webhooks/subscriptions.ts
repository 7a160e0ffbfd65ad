/**
 * Webhook subscriptions, per merchant account, Calypso-shaped: a
 * subscription is named by its `requestId` and has its own key pair
 * (`publicKey` goes out as the Key header, `secretKey` signs).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { WebhookEventType } from '../../contract/enums';
import { SECRET_PREFIX } from '../../contract/signatures';
import type { SubscriptionDto } from '../../contract/subscription';
import type { Db, WebhookSubscriptionsTable } from '../db/schema';
import { DomainError } from '../domain-error';

export const MAX_SUBSCRIPTIONS_PER_ACCOUNT = 10;
/** After a rotation the old secret keeps signing (webhook-signature) this long. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;

function newKeys() {
  return { public_key: `whpk_${randomBytes(16).toString('hex')}`, secret_key: `${SECRET_PREFIX}${randomBytes(32).toString('base64')}` };
}

export function eventTypesOf(row: Pick<WebhookSubscriptionsTable, 'event_types'>): WebhookEventType[] {
  return JSON.parse(row.event_types) as WebhookEventType[];
}

export function subscriptionDto(row: SubscriptionRow): SubscriptionDto {
  return {
    requestId: row.request_id,
    notificationEventTypes: eventTypesOf(row),
    url: row.url,
    publicKey: row.public_key,
    secretKey: row.secret_key,
    createdDate: new Date(row.created_at).toISOString(),
    blockedByErrorCount: row.blocked_at !== null,
    consecutiveFailures: row.consecutive_failures,
    failingSince: row.failing_since === null ? null : new Date(row.failing_since).toISOString(),
  };
}

export async function createSubscription(
  db: Db,
  input: { account: string; requestId?: string | undefined; url: string; eventTypes: WebhookEventType[]; now: number },
): Promise<SubscriptionRow> {
  const requestId = input.requestId ?? randomUUID();
  const eventTypes = JSON.stringify([...new Set(input.eventTypes)].sort());
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('account', '=', input.account)
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (existing) {
      // The same create sent again (a client retrying) answers the same subscription.
      if (existing.deleted_at === null && existing.url === input.url && existing.event_types === eventTypes) return existing;
      throw new DomainError('CONFLICT', 'already used for another (or a deleted) webhook subscription', 'requestId');
    }
    const { count } = await trx
      .selectFrom('webhook_subscriptions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account', '=', input.account)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (count >= MAX_SUBSCRIPTIONS_PER_ACCOUNT) {
      throw new DomainError('LIMIT_REACHED', `an account has at most ${MAX_SUBSCRIPTIONS_PER_ACCOUNT} webhook subscriptions; delete one first`);
    }
    return trx
      .insertInto('webhook_subscriptions')
      .values({
        account: input.account,
        request_id: requestId,
        url: input.url,
        event_types: eventTypes,
        ...newKeys(),
        previous_secret_key: null,
        previous_secret_until: null,
        created_at: input.now,
        deleted_at: null,
        consecutive_failures: 0,
        failing_since: null,
        blocked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function listSubscriptions(db: Db, account: string): Promise<SubscriptionRow[]> {
  return db.selectFrom('webhook_subscriptions').selectAll().where('account', '=', account).where('deleted_at', 'is', null).orderBy('id').execute();
}

export async function findSubscription(db: Db, account: string, requestId: string): Promise<SubscriptionRow> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('account', '=', account)
    .where('request_id', '=', requestId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', 'no webhook subscription with this requestId', 'requestId');
  return row;
}

/** Deletes the subscription; its deliveries not yet made are cancelled (the log keeps them). */
export async function deleteSubscription(db: Db, account: string, requestId: string, now: number): Promise<void> {
  const row = await findSubscription(db, account, requestId);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('webhook_subscriptions').set({ deleted_at: now }).where('id', '=', row.id).execute();
    await trx.updateTable('webhook_deliveries').set({ status: 'CANCELLED' }).where('subscription_id', '=', row.id).where('status', '=', 'PENDING').execute();
  });
}

/**
 * New keys for the subscription. The old secret still signs, as a second
 * webhook-signature entry, for ROTATION_GRACE_MS, so a receiver that
 * verifies with the standard header can switch without losing a delivery.
 */
export async function rotateSubscriptionKeys(db: Db, account: string, requestId: string, now: number): Promise<SubscriptionRow> {
  const row = await findSubscription(db, account, requestId);
  return db
    .updateTable('webhook_subscriptions')
    .set({ ...newKeys(), previous_secret_key: row.secret_key, previous_secret_until: now + ROTATION_GRACE_MS })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Forgets old secrets whose grace period has ended: the database keeps no secret that no longer signs. */
export async function forgetExpiredSecrets(db: Db, now: number): Promise<void> {
  await db
    .updateTable('webhook_subscriptions')
    .set({ previous_secret_key: null, previous_secret_until: null })
    .where('previous_secret_until', '<=', now)
    .execute();
}
