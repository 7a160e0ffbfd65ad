/**
 * Every column that holds a secret, and the context its values are sealed
 * with: the table, the column and the row's key. A value moved to another
 * row or column then no longer opens, so someone who can write the database
 * but not read the master key cannot hand one merchant another's secret.
 */
export const secretContext = {
  /** api_keys.secret, by the API public key (the row's primary key). */
  apiSecret: (key: string) => `api_keys.secret:${key}`,
  /** webhook_subscriptions.secret_key, by the subscription's public key (unique, and known before the row is written). */
  webhookSecret: (publicKey: string) => `webhook_subscriptions.secret_key:${publicKey}`,
  /** webhook_subscriptions.previous_secret_key, by the public key it was rotated out for. */
  previousWebhookSecret: (publicKey: string) => `webhook_subscriptions.previous_secret_key:${publicKey}`,
  /** merchant_xpubs.xpub, by (account, family), the row's primary key. */
  xpub: (account: string, family: string) => `merchant_xpubs.xpub:${account}:${family}`,
};
