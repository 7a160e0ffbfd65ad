import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appearance, DEFAULT_PALETTES, paletteOf, type Palette } from './appearance';
import { contrast, hexOf, parseColour, type Rgb } from './colour';

/** The first issue's path and message, as the API's 400 shows them. */
const refusal = (value: unknown) => {
  const result = appearance.safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
};

describe('contrast', () => {
  it('is WCAG 2.2’s ratio: 21 for black on white, 1 for a colour on itself, the same either way round', () => {
    const [black, white, blue] = ['#000', '#fff', '#2d4fd0'].map((c) => parseColour(c)!) as [Rgb, Rgb, Rgb];
    expect(contrast(black, white)).toBeCloseTo(21, 5);
    expect(contrast(blue, blue)).toBe(1);
    expect(contrast(blue, white)).toBe(contrast(white, blue));
    // #767676 is the lightest grey that passes AA on white, at 4.54:1 (WebAIM's contrast checker).
    expect(contrast(parseColour('#767676')!, white)).toBeCloseTo(4.54, 2);
    expect(contrast(parseColour('#777777')!, white)).toBeLessThan(4.5);
  });
});

describe('colours', () => {
  it('reads #rgb, #rrggbb and rgb(r, g, b), in any case, and nothing else', () => {
    expect(parseColour('#0aF')).toEqual({ r: 0, g: 170, b: 255 });
    expect(parseColour('#0a58CA')).toEqual({ r: 10, g: 88, b: 202 });
    expect(parseColour('RGB(10, 88,202)')).toEqual({ r: 10, g: 88, b: 202 });
    for (const bad of ['red', '#12345', 'rgb(256,0,0)', 'rgba(0,0,0,.5)', '#fff;', '#fff}', 'url(javascript:alert(1))', 'var(--x)', ' #fff']) expect(parseColour(bad), bad).toBeNull();
    expect(hexOf({ r: 10, g: 88, b: 202 })).toBe('#0a58ca');
  });
});

describe('appearance', () => {
  it('takes a theme and every variable in its accepted form', () => {
    const ok = { theme: 'light', variables: { colorPrimary: '#0a58ca', colorBackground: 'rgb(255, 255, 255)', colorText: '#111', colorDanger: '#b00020', borderRadius: '6px', fontFamily: '"Inter", \'Segoe UI\', system-ui, sans-serif' } };
    expect(appearance.parse(ok)).toEqual(ok);
    expect(appearance.parse({ variables: { borderRadius: '0' } })).toEqual({ variables: { borderRadius: '0' } });
    expect(appearance.parse({ variables: { borderRadius: '1.5rem' } })).toEqual({ variables: { borderRadius: '1.5rem' } });
  });

  it('refuses #ffff00 on white, saying the ratio, what WCAG needs and what to change', () => {
    expect(refusal({ theme: 'light', variables: { colorPrimary: '#ffff00' } })).toBe(
      'variables.colorPrimary: colorPrimary #ffff00 on the default colorBackground #ffffff has a contrast of 1.07:1, below the 4.5:1 WCAG AA requires for text. Choose another colorPrimary',
    );
  });

  it('checks theme auto in both schemes: a brand blue that reads on white fails on the dark background, and says so', () => {
    expect(refusal({ variables: { colorPrimary: '#2d4fd0' } })).toMatch(
      /^variables\.colorPrimary: colorPrimary #2d4fd0 on the default colorBackground #181a1f has a contrast of 2\.\d+:1, below the 4\.5:1 WCAG AA requires for text \(in the dark scheme, which theme "auto" shows when the buyer's device asks for it\)\. Choose another colorPrimary, or a fixed theme$/,
    );
    expect(refusal({ theme: 'light', variables: { colorPrimary: '#2d4fd0' } })).toBeUndefined();
  });

  it('refuses text that does not read on the background, blaming the variable the merchant set', () => {
    expect(refusal({ theme: 'light', variables: { colorText: '#999' } })).toMatch(/^variables\.colorText: colorText #999999 on the default colorBackground #ffffff has a contrast of 2\.84:1/);
    expect(refusal({ theme: 'light', variables: { colorBackground: '#777', colorText: '#888' } })).toMatch(/^variables\.colorText: /);
    // Only a background set: the text is whichever default reads better on it; on a mid grey neither does.
    expect(refusal({ theme: 'light', variables: { colorBackground: '#777' } })).toMatch(/^variables\.colorBackground: the default colorText #\w{6} on colorBackground #777777 has a contrast of/);
    expect(refusal({ theme: 'dark', variables: { colorDanger: '#330000' } })).toMatch(/^variables\.colorDanger: colorDanger #330000 on the default colorBackground #181a1f/);
  });

  it('refuses anything that could end a declaration or load something, in every variable', () => {
    const attempts = ['url(javascript:alert(1))', '#fff;}body{display:none', ';}', 'expression(alert(1))', '#fff</style><script>', '"Inter";}', "'x'}", '</style>'];
    for (const variable of ['colorPrimary', 'colorBackground', 'colorText', 'colorDanger', 'borderRadius', 'fontFamily']) {
      for (const value of attempts) expect(refusal({ variables: { [variable]: value } }), `${variable}: ${value}`).toMatch(new RegExp(`^variables\\.${variable}: must be`));
    }
  });

  it('takes font names only: quoted or bare words, no keywords, no URLs, no functions', () => {
    const font = (fontFamily: string) => refusal({ variables: { fontFamily } });
    for (const ok of ['Inter', '"Inter", sans-serif', "'Noto Sans Arabic', system-ui", 'Segoe UI, Roboto', 'ヒラギノ角ゴ, sans-serif']) expect(font(ok), ok).toBeUndefined();
    for (const bad of ['inherit', 'Inter, initial', 'url(x.woff)', 'var(--pf-font)', '"Inter', 'Inter;', 'a,,b', '"a\\"b"', 'x{}', 'Inter /* */', ''])
      expect(font(bad), bad).toBe('variables.fontFamily: must be a comma-separated list of font names, quoted or bare ("Inter", system-ui, sans-serif)');
  });

  it('refuses a radius out of bounds or in another unit, an unknown variable and an unknown theme', () => {
    for (const bad of ['33px', '3rem', '-1px', '8', '8em', '50%', 'calc(1px)']) expect(refusal({ variables: { borderRadius: bad } }), bad).toBe('variables.borderRadius: must be a length from 0 to 32px (or 2rem), e.g. "8px"');
    expect(refusal({ variables: { colorPrimay: '#000' } })).toMatch(/^variables: .*colorPrimay/);
    expect(refusal({ theme: 'night' })).toBe('theme: must be one of auto, light, dark');
  });
});

describe('palettes', () => {
  /** The --pf-* declarations of one block of checkout.css. */
  const block = (css: string, selector: string) => {
    const body = css.slice(css.indexOf(`${selector} {`)).split('}')[0]!;
    return Object.fromEntries([...body.matchAll(/--pf-([\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
  };
  const asCss = (p: Palette) => ({ bg: p.bg, fg: p.fg, muted: p.muted, line: p.line, soft: p.soft, accent: p.accent, 'on-accent': p.onAccent, ok: p.ok, warn: p.warn });

  it("are checkout.css's own, light and dark", () => {
    const css = readFileSync(new URL('../widget/checkout/checkout.css', import.meta.url), 'utf8');
    for (const [scheme, selector] of [['light', ':root'], ['dark', "[data-theme='dark']"]] as const) {
      const declared = block(css, selector);
      const { scheme: declaredScheme, ...colours } = declared;
      expect(declaredScheme).toBe(scheme);
      expect(Object.fromEntries(Object.entries(colours).map(([k, v]) => [k, hexOf(parseColour(v)!)]))).toEqual(Object.fromEntries(Object.entries(asCss(DEFAULT_PALETTES[scheme])).map(([k, v]) => [k, hexOf(v)])));
    }
  });

  it('keep every shade readable on a background the merchant chose, and pick button text that reads on its primary', () => {
    const p = paletteOf('light', { colorBackground: '#0b1d3a', colorPrimary: '#ffd166' });
    expect(p.scheme).toBe('dark');
    for (const text of [p.fg, p.muted, p.accent, p.ok, p.warn]) expect(contrast(text, p.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.muted, p.soft)).toBeGreaterThanOrEqual(4.5);
    expect(hexOf(p.onAccent)).toBe('#000000');
    expect(hexOf(paletteOf('light', { colorPrimary: '#0a58ca' }).onAccent)).toBe('#ffffff');
  });
});
