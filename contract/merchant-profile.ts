/**
 * The merchant's profile (ours, not Calypso's): what buyers see of the
 * merchant — the display name in the checkout's header, and the default
 * appearance of its checkouts (contract/appearance.ts).
 */
import { z } from 'zod';
import { account } from './common';
import { appearance } from './appearance';

/** Control characters would reach the page as invisible text; everything else is merchant text, escaped where it is shown. */
const displayName = z
  .string()
  .trim()
  .min(1, 'must not be empty (null removes the display name)')
  .max(80, 'must be at most 80 characters')
  .refine((v) => !/\p{Cc}/u.test(v), 'must not contain control characters');

/** POST /api/v1/merchant/profile/update: a value replaces, null clears, an absent key keeps. */
export const updateProfile = z
  .object({
    displayName: displayName.nullable().optional().meta({ description: "Shown to buyers in the checkout's header, above the order. null removes it." }),
    appearance: appearance
      .nullable()
      .optional()
      .meta({
        description:
          'The default appearance of your checkouts: `{theme: light|dark|auto, variables: {colorPrimary, colorBackground, colorText, colorDanger, borderRadius, fontFamily}}` (docs/checkout.md, "Appearance"); a page URL overrides it per checkout. null: Payframe\'s own.',
      }),
  })
  .refine((p) => p.displayName !== undefined || p.appearance !== undefined, { message: 'name displayName or appearance (null clears one)', path: ['displayName'] });

export const merchantProfile = z
  .object({
    account,
    displayName: z.string().nullable(),
    appearance: appearance.nullable(),
  })
  .meta({ id: 'MerchantProfile' });
