import { describe, expect, it } from 'vitest';
import { checkoutCsp, isPlainOrigin } from './csp';

describe('checkoutCsp', () => {
  it('forbids framing when no origin is given', () => {
    expect(checkoutCsp({ frameAncestors: [], logoUrl: null })).toContain("frame-ancestors 'none'");
  });

  it('lists the merchant origins as frame ancestors', () => {
    const csp = checkoutCsp({ frameAncestors: ['https://shop.example', 'http://localhost:3001'], logoUrl: null });
    expect(csp).toContain('frame-ancestors https://shop.example http://localhost:3001');
  });

  it('allows images from the logo origin only, besides its own and data: images (the inline QR code, browser wallets\' icons)', () => {
    expect(checkoutCsp({ frameAncestors: [], logoUrl: 'https://cdn.shop.example/img/logo.png?v=2' })).toContain("img-src 'self' data: https://cdn.shop.example;");
  });

  it('allows no inline script and no other script origin', () => {
    expect(checkoutCsp({ frameAncestors: [], logoUrl: null })).toContain("script-src 'self';");
  });

  it('drops anything that is not a plain origin instead of writing it into the policy', () => {
    const csp = checkoutCsp({ frameAncestors: ["https://a.example; script-src 'unsafe-inline'", '*'], logoUrl: null });
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });
});

describe('isPlainOrigin', () => {
  it('accepts scheme, host and port only', () => {
    expect(isPlainOrigin('https://shop.example')).toBe(true);
    expect(isPlainOrigin('http://127.0.0.1:3001')).toBe(true);
    expect(isPlainOrigin('https://shop.example/path')).toBe(false);
    expect(isPlainOrigin('javascript:alert(1)')).toBe(false);
  });
});
