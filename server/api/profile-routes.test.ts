/** POST /api/v1/merchant/profile and …/profile/update: the display name and default appearance, through the typed client. */
import { describe, expect, it } from 'vitest';
import { PayframeApiError } from '../../client/client';
import { harnessPerTest } from '../testing/harness';

describe('merchant profile routes', () => {
  const h = harnessPerTest();

  /** The API's refusal of `payload`, as status, code and message. */
  const refusal = async (payload: Parameters<typeof h.client.updateProfile>[0]) => {
    const err = await h.client.updateProfile(payload).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PayframeApiError);
    const { status, errorCode, message } = err as PayframeApiError;
    // The client names the route before the server's message.
    expect(message).toMatch(/^\/merchant\/profile\/update: /);
    return { status, errorCode, message: message.replace('/merchant/profile/update: ', '') };
  };

  it('starts empty, sets, keeps what an update does not name, and clears with null', async () => {
    expect(await h.client.getProfile({})).toEqual({ account: h.merchant.account, displayName: null, appearance: null });
    const look = { theme: 'light' as const, variables: { colorPrimary: '#0a58ca', fontFamily: 'Inter, sans-serif' } };
    expect(await h.client.updateProfile({ displayName: ' Beans & Co ', appearance: look })).toEqual({ account: h.merchant.account, displayName: 'Beans & Co', appearance: look });
    expect(await h.client.updateProfile({ displayName: 'Beans' })).toMatchObject({ displayName: 'Beans', appearance: look });
    expect(await h.client.updateProfile({ appearance: null })).toMatchObject({ displayName: 'Beans', appearance: null });
    expect(await h.client.updateProfile({ displayName: null })).toMatchObject({ displayName: null, appearance: null });
    expect(await h.client.getProfile({})).toEqual({ account: h.merchant.account, displayName: null, appearance: null });
  });

  it('refuses a colour that fails WCAG AA contrast with a 400 naming the variable and the ratio, and changes nothing', async () => {
    await h.client.updateProfile({ displayName: 'Beans' });
    expect(await refusal({ displayName: 'Other', appearance: { theme: 'light', variables: { colorPrimary: '#ffff00' } } })).toEqual({
      status: 400,
      errorCode: 'VALIDATION_FAILED',
      message: 'payload.appearance.variables.colorPrimary: colorPrimary #ffff00 on the default colorBackground #ffffff has a contrast of 1.07:1, below the 4.5:1 WCAG AA requires for text. Choose another colorPrimary',
    });
    expect(await h.client.getProfile({})).toMatchObject({ displayName: 'Beans', appearance: null });
  });

  it('refuses CSS injection in any variable, an unknown variable, an empty update and a display name with control characters', async () => {
    expect((await refusal({ appearance: { variables: { colorBackground: 'url(javascript:alert(1))' } } })).message).toBe('payload.appearance.variables.colorBackground: must be a colour: #rgb, #rrggbb or rgb(r, g, b)');
    expect((await refusal({ appearance: { variables: { fontFamily: 'Inter;}body{display:none' } } })).message).toMatch(/^payload\.appearance\.variables\.fontFamily: must be a comma-separated list of font names/);
    expect((await refusal({ appearance: { variables: { borderRadius: '4px;}' } } })).message).toMatch(/^payload\.appearance\.variables\.borderRadius: must be a length/);
    expect((await refusal({ appearance: { variables: { colour: '#000' } as never } })).message).toMatch(/^payload\.appearance\.variables: .*"colour"/);
    expect((await refusal({})).message).toBe('payload.displayName: name displayName or appearance (null clears one)');
    expect((await refusal({ displayName: 'Beans\u0007' })).message).toBe('payload.displayName: must not contain control characters');
    expect(await h.client.getProfile({})).toMatchObject({ displayName: null, appearance: null });
  });
});
