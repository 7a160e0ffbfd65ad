/**
 * The checkout's appearance, as Stripe's Appearance API has it: a `theme`
 * (light, dark, auto) and `variables` (colours, corner radius, font). A
 * merchant sets a default through the merchant API (or the CLI); a page URL
 * (`?theme=dark&colorPrimary=%230a58ca`, which the loader writes from its
 * options) overrides it per checkout.
 *
 * Every value is checked for what it is — a colour, a bounded length, a list
 * of font names — so nothing a merchant passes can end a declaration or reach
 * a URL in the stylesheet the server writes from it. And every text colour is
 * checked against the background it is shown on, in each colour scheme the
 * theme can show: below WCAG AA's 4.5:1 the appearance is refused, naming the
 * variable and the ratio (never adjusted: a merchant's brand colour silently
 * changed is a surprise found in production, a refusal is found at once).
 */
import { z } from 'zod';
import { contrast, hexOf, mix, parseColour, ratioText, type Rgb } from './colour';
import { THEMES, type Theme } from './frame';

/** WCAG 2.2 AA, 1.4.3: normal text. */
const MIN_CONTRAST = 4.5;

const COLOUR_FORMS = 'a colour: #rgb, #rrggbb or rgb(r, g, b)';
const colour = z
  .string()
  .max(32, `must be ${COLOUR_FORMS}`)
  .refine((v) => parseColour(v) !== null, `must be ${COLOUR_FORMS}`);

/** Up to 32px (or 2rem): round enough for any design, never a circle that hides the content. */
const RADIUS = /^(0|(\d{1,2}(\.\d{1,3})?)(px|rem))$/;
const radius = z
  .string()
  .max(12, 'must be a length from 0 to 32px (or 2rem), e.g. "8px"')
  .refine((v) => {
    const m = RADIUS.exec(v);
    return m !== null && (m[1] === '0' || Number(m[2]) <= (m[4] === 'px' ? 32 : 2));
  }, 'must be a length from 0 to 32px (or 2rem), e.g. "8px"');

/** One family: a quoted name of letters, digits, spaces and hyphens, or bare words of the same (`Segoe UI`, `sans-serif`). */
const FAMILY = /^("[\p{L}\p{N} -]+"|'[\p{L}\p{N} -]+'|[\p{L}_-][\p{L}\p{N}_-]*( [\p{L}\p{N}_-]+)*)$/u;
/** CSS-wide keywords are not font names. */
const KEYWORDS = new Set(['inherit', 'initial', 'unset', 'revert', 'revert-layer', 'default']);
const FONT_FORMS = 'must be a comma-separated list of font names, quoted or bare ("Inter", system-ui, sans-serif)';
const fontFamily = z
  .string()
  .max(200, 'must be at most 200 characters')
  .refine((v) => {
    const names = v.split(',').map((n) => n.trim());
    return names.length <= 10 && names.every((n) => FAMILY.test(n) && !KEYWORDS.has(n.toLowerCase()));
  }, FONT_FORMS);

export const APPEARANCE_VARIABLES = ['colorPrimary', 'colorBackground', 'colorText', 'colorDanger', 'borderRadius', 'fontFamily'] as const;
type AppearanceVariable = (typeof APPEARANCE_VARIABLES)[number];

const appearanceVariables = z
  .strictObject({
    colorPrimary: colour.optional().meta({ description: 'Buttons, links and focus rings. Each colour: #rgb, #rrggbb or rgb(r, g, b), reading at 4.5:1 or more on the background.' }),
    colorBackground: colour.optional().meta({ description: 'The checkout card.' }),
    colorText: colour.optional().meta({ description: 'The text; muted text, lines and fields are mixed from it and the background.' }),
    colorDanger: colour.optional().meta({ description: 'Warnings (an underpayment, an expired quote).' }),
    borderRadius: radius.optional().meta({ description: 'Buttons and fields, 0 to 32px (or 2rem); the card is rounded 1.6 times as much.' }),
    fontFamily: fontFamily.optional().meta({ description: 'Font names, comma-separated, quoted or bare; installed on the buyer\'s device: the checkout loads no web font.' }),
  });

export type AppearanceVariables = z.output<typeof appearanceVariables>;

export const appearance = z
  .strictObject({
    theme: z.enum(THEMES, { error: `must be one of ${THEMES.join(', ')}` }).optional().meta({ description: 'auto (the default) follows the buyer\'s prefers-color-scheme.' }),
    variables: appearanceVariables.optional(),
  })
  .superRefine((a, ctx) => {
    for (const problem of contrastProblems(a)) ctx.addIssue({ code: 'custom', path: ['variables', problem.variable], message: problem.message });
  });

export type Appearance = z.output<typeof appearance>;

/** The colour schemes a page of this theme can show. */
export const schemesOf = (theme: Theme = 'auto'): ('light' | 'dark')[] => (theme === 'auto' ? ['light', 'dark'] : [theme]);

/** The checkout's colours, as its stylesheet's --pf-* variables name them (widget/checkout/checkout.css). */
export interface Palette {
  bg: Rgb;
  fg: Rgb;
  muted: Rgb;
  line: Rgb;
  soft: Rgb;
  accent: Rgb;
  onAccent: Rgb;
  ok: Rgb;
  warn: Rgb;
  scheme: 'light' | 'dark';
}

const rgb = (hex: string) => parseColour(hex)!;
/** checkout.css's own two palettes; a test holds them equal. */
export const DEFAULT_PALETTES: Record<'light' | 'dark', Palette> = {
  light: { bg: rgb('#fff'), fg: rgb('#15171c'), muted: rgb('#596070'), line: rgb('#dcdfe6'), soft: rgb('#f3f4f7'), accent: rgb('#2d4fd0'), onAccent: rgb('#fff'), ok: rgb('#11763f'), warn: rgb('#8a5000'), scheme: 'light' },
  dark: { bg: rgb('#181a1f'), fg: rgb('#eceef2'), muted: rgb('#a4aab6'), line: rgb('#30343d'), soft: rgb('#22252c'), accent: rgb('#93a8ff'), onAccent: rgb('#0c1020'), ok: rgb('#63d597'), warn: rgb('#f1b75f'), scheme: 'dark' },
};

const BLACK = rgb('#000');
const WHITE = rgb('#fff');

/**
 * The palette of one scheme under the merchant's variables. On a background
 * the merchant chose, the colours they did not choose are whichever of the
 * light and dark defaults reads better on it; the shades between text and
 * background (muted text, lines, fields) are mixed from the two.
 */
export function paletteOf(scheme: 'light' | 'dark', v: AppearanceVariables = {}): Palette {
  const d = DEFAULT_PALETTES[scheme];
  const own = (text: string | undefined) => (text === undefined ? undefined : parseColour(text) ?? undefined);
  const bg = own(v.colorBackground) ?? d.bg;
  const onBg = (key: 'fg' | 'accent' | 'warn' | 'ok') => {
    if (!v.colorBackground) return d[key];
    const [l, k] = [DEFAULT_PALETTES.light[key], DEFAULT_PALETTES.dark[key]];
    return contrast(l, bg) >= contrast(k, bg) ? l : k;
  };
  const fg = own(v.colorText) ?? onBg('fg');
  const accent = own(v.colorPrimary) ?? onBg('accent');
  const base = {
    bg,
    fg,
    accent,
    // Black or white, whichever reads better: one of the two always reaches 4.5:1.
    onAccent: accent === d.accent ? d.onAccent : contrast(WHITE, accent) >= contrast(BLACK, accent) ? WHITE : BLACK,
    ok: onBg('ok'),
    warn: own(v.colorDanger) ?? onBg('warn'),
    scheme: v.colorBackground ? (contrast(bg, BLACK) >= contrast(bg, WHITE) ? 'light' : 'dark') : scheme,
  } as const;
  if (!v.colorBackground && !v.colorText) return { ...base, muted: d.muted, line: d.line, soft: d.soft };
  const soft = mix(bg, fg, 0.05);
  // The lightest muted text that still reads on fields (soft is the darker of its two backgrounds).
  const muted = [0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05].map((t) => mix(fg, bg, t)).find((m) => contrast(m, soft) >= MIN_CONTRAST) ?? fg;
  return { ...base, soft, muted, line: mix(bg, fg, 0.15) };
}

interface ContrastProblem {
  variable: AppearanceVariable;
  message: string;
}

const NAMES = { fg: 'colorText', accent: 'colorPrimary', warn: 'colorDanger' } as const;

/** Each text colour that falls below 4.5:1 on its background, in each scheme the theme shows, blamed on a variable the merchant set. */
function contrastProblems(a: { theme?: Theme | undefined; variables?: AppearanceVariables | undefined }): ContrastProblem[] {
  const v = a.variables ?? {};
  const problems: ContrastProblem[] = [];
  for (const scheme of schemesOf(a.theme)) {
    const p = paletteOf(scheme, v);
    for (const key of ['fg', 'accent', 'warn'] as const) {
      const name = NAMES[key];
      const ratio = contrast(p[key], p.bg);
      if (ratio >= MIN_CONTRAST) continue;
      // Only what the merchant set can be wrong: the defaults pass on each other.
      const variable = v[name] !== undefined ? name : 'colorBackground';
      if (problems.some((q) => q.variable === variable)) continue;
      const auto = a.theme === undefined || a.theme === 'auto';
      const label = (n: AppearanceVariable, c: Rgb) => `${v[n] === undefined ? 'the default ' : ''}${n} ${hexOf(c)}`;
      problems.push({
        variable,
        message:
          `${label(name, p[key])} on ${label('colorBackground', p.bg)} has a contrast of ${ratioText(ratio)}, below the ${MIN_CONTRAST}:1 WCAG AA requires for text` +
          `${auto ? ` (in the ${scheme} scheme, which theme "auto" shows when the buyer's device asks for it)` : ''}. Choose another ${variable}${auto ? ', or a fixed theme' : ''}`,
      });
    }
  }
  return problems;
}
