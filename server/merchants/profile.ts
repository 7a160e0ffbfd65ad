/**
 * What buyers see of a merchant: the display name in the checkout's header
 * and the default appearance of its checkouts. Stored values were validated
 * on the way in (contract/merchant-profile.ts) and are read back through the
 * same schema, so a row edited by hand cannot put anything unchecked on a page.
 */
import { appearance, type Appearance } from '../../contract/appearance';
import type { Db } from '../db/schema';

export interface MerchantProfile {
  account: string;
  displayName: string | null;
  appearance: Appearance | null;
}

/** Reads a stored appearance; one that no longer passes the schema counts as none. */
function storedAppearance(json: string | null): Appearance | null {
  if (json === null) return null;
  const parsed = appearance.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

export async function findProfile(db: Db, account: string): Promise<MerchantProfile | undefined> {
  const row = await db.selectFrom('merchants').select(['account', 'display_name', 'appearance']).where('account', '=', account).executeTakeFirst();
  return row && { account: row.account, displayName: row.display_name, appearance: storedAppearance(row.appearance) };
}

/** What a buyer's page takes from the merchant's row in one read: its profile, and the origins that may frame it. */
export async function findPageProfile(db: Db, account: string): Promise<{ origins: string[]; displayName: string | null; appearance: Appearance | null } | undefined> {
  const row = await db.selectFrom('merchants').select(['origins', 'display_name', 'appearance']).where('account', '=', account).executeTakeFirst();
  return row && { origins: JSON.parse(row.origins) as string[], displayName: row.display_name, appearance: storedAppearance(row.appearance) };
}

/**
 * Sets what `change` names: a value replaces, null clears, absent keeps.
 * Answers the profile as it now is, or undefined when there is no such merchant.
 */
export async function updateProfile(db: Db, account: string, change: { displayName?: string | null | undefined; appearance?: Appearance | null | undefined }): Promise<MerchantProfile | undefined> {
  const set = {
    ...(change.displayName !== undefined ? { display_name: change.displayName } : {}),
    ...(change.appearance !== undefined ? { appearance: change.appearance && JSON.stringify(change.appearance) } : {}),
  };
  if (Object.keys(set).length > 0) await db.updateTable('merchants').set(set).where('account', '=', account).execute();
  return findProfile(db, account);
}
