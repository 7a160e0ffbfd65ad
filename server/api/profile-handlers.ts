/** The merchant profile routes of the merchant API (ours): display name and default appearance. */
import type { Db } from '../db/schema';
import { ApiError } from '../http/errors';
import { findProfile, updateProfile, type MerchantProfile } from '../merchants/profile';
import type { Handlers } from './merchant-routes';

export interface ProfileHandlerDeps {
  db: Db;
}

/** A signed request's account always exists; a merchant removed since is a 404, not a 500. */
function found(profile: MerchantProfile | undefined): MerchantProfile {
  if (!profile) throw new ApiError('NOT_FOUND', 'no such merchant');
  return profile;
}

export function profileHandlers({ db }: ProfileHandlerDeps) {
  return {
    getProfile: async (_p, { account }) => found(await findProfile(db, account)),
    updateProfile: async (p, { account }) => found(await updateProfile(db, account, p)),
  } satisfies Partial<Handlers>;
}
