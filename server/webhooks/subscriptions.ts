/**
 * Webhook subscriptions, per merchant account, Calypso-shaped: a
 * subscription is named by its `requestId` and has its own key pair
 * (`publicKey` goes out as the Key header, `secretKey` signs). The secrets
 * are stored sealed (secrets/columns.ts); the merchant is shown its
 * secretKey, as Calypso does, so the functions below answer it opened.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { WebhookEventType } from '../../contract/enums';
import { SECRET_PREFIX } from '../../contract/signatures';
import type { SubscriptionDto } from '../../contract/subscription';
import { onPostgres } from '../db/dialect';
import type { Db, WebhookSubscriptionsTable } from '../db/schema';
import { DomainError } from '../domain-error';
import { secretContext } from '../secrets/columns';
import type { SecretBox } from '../secrets/secret-box';

export const MAX_SUBSCRIPTIONS_PER_ACCOUNT = 10;
/** After a rotation the old secret keeps signing (webhook-signature) this long. */
const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;
/** A subscription as the merchant sees it: its secret opened, the rotated-out one left out. */
export type Subscription = Omit<SubscriptionRow, 'secret_key' | 'previous_secret_key'> & { secret_key: string };

function newKeys(secrets: SecretBox) {
  const publicKey = `whpk_${randomBytes(16).toString('hex')}`;
  const secretKey = `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
  return { public_key: publicKey, secret_key: secrets.seal(secretKey, secretContext.webhookSecret(publicKey)) };
}

function opened(secrets: SecretBox, row: SubscriptionRow): Subscription {
  const { secret_key, previous_secret_key: _rotatedOut, ...rest } = row;
  return { ...rest, secret_key: secrets.open(secret_key, secretContext.webhookSecret(row.public_key)) };
}

/** The secrets that sign a delivery made at `at`: the current one, and the rotated-out one while its grace period lasts. */
export function signingSecrets(
  secrets: SecretBox,
  s: Pick<SubscriptionRow, 'public_key' | 'secret_key' | 'previous_secret_key' | 'previous_secret_until'>,
  at: number,
): { secretKey: string; previousSecretKey: string | null } {
  const inGrace = s.previous_secret_until !== null && s.previous_secret_until > at;
  return {
    secretKey: secrets.open(s.secret_key, secretContext.webhookSecret(s.public_key)),
    previousSecretKey: inGrace && s.previous_secret_key !== null ? secrets.open(s.previous_secret_key, secretContext.previousWebhookSecret(s.public_key)) : null,
  };
}

export function eventTypesOf(row: Pick<WebhookSubscriptionsTable, 'event_types'>): WebhookEventType[] {
  return JSON.parse(row.event_types) as WebhookEventType[];
}

export function subscriptionDto(row: Subscription): SubscriptionDto {
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
  secrets: SecretBox,
  input: { account: string; requestId?: string | undefined; url: string; eventTypes: WebhookEventType[]; now: number },
): Promise<Subscription> {
  const requestId = input.requestId ?? randomUUID();
  const eventTypes = JSON.stringify([...new Set(input.eventTypes)].sort());
  return db.transaction().execute(async (trx) => {
    // PostgreSQL: the merchant's row lock makes its creates one at a time, so the count below holds until the
    // insert (the unique key (account, request_id) alone would not bound the count). SQLite: BEGIN IMMEDIATE did.
    if (onPostgres(trx)) await trx.selectFrom('merchants').select('account').where('account', '=', input.account).forUpdate().execute();
    const existing = await trx
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('account', '=', input.account)
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (existing) {
      // The same create sent again (a client retrying) answers the same subscription.
      if (existing.deleted_at === null && existing.url === input.url && existing.event_types === eventTypes) return opened(secrets, existing);
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
    const row = await trx
      .insertInto('webhook_subscriptions')
      .values({
        account: input.account,
        request_id: requestId,
        url: input.url,
        event_types: eventTypes,
        ...newKeys(secrets),
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
    return opened(secrets, row);
  });
}

export async function listSubscriptions(db: Db, secrets: SecretBox, account: string): Promise<Subscription[]> {
  const rows = await db.selectFrom('webhook_subscriptions').selectAll().where('account', '=', account).where('deleted_at', 'is', null).orderBy('id').execute();
  return rows.map((row) => opened(secrets, row));
}

async function findSubscription(db: Db, account: string, requestId: string): Promise<SubscriptionRow> {
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
 * It is sealed again for its new place: the row's new public key.
 */
export async function rotateSubscriptionKeys(db: Db, secrets: SecretBox, account: string, requestId: string, now: number): Promise<Subscription> {
  const row = await findSubscription(db, account, requestId);
  const keys = newKeys(secrets);
  const old = secrets.open(row.secret_key, secretContext.webhookSecret(row.public_key));
  const rotated = await db
    .updateTable('webhook_subscriptions')
    .set({ ...keys, previous_secret_key: secrets.seal(old, secretContext.previousWebhookSecret(keys.public_key)), previous_secret_until: now + ROTATION_GRACE_MS })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return opened(secrets, rotated);
}

/** Forgets old secrets whose grace period has ended: the database keeps no secret that no longer signs. */
export async function forgetExpiredSecrets(db: Db, now: number): Promise<void> {
  await db
    .updateTable('webhook_subscriptions')
    .set({ previous_secret_key: null, previous_secret_until: null })
    .where('previous_secret_until', '<=', now)
    .execute();
}
