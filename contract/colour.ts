/**
 * Colours as the appearance API takes them (`#rgb`, `#rrggbb`, `rgb(r, g, b)`)
 * and WCAG 2.2's contrast ratio between two of them. Pure: no I/O, no zod.
 * https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio
 */

/** 0–255 per channel. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
const RGB = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/i;

/** The colour `text` names, or null when it is not one of the accepted forms (no names, no alpha: a translucent colour has no fixed contrast). */
export function parseColour(text: string): Rgb | null {
  const hex = HEX.exec(text)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    return { r: parseInt(full.slice(0, 2), 16), g: parseInt(full.slice(2, 4), 16), b: parseInt(full.slice(4, 6), 16) };
  }
  const rgb = RGB.exec(text);
  if (!rgb) return null;
  const [r, g, b] = rgb.slice(1).map(Number) as [number, number, number];
  return r > 255 || g > 255 || b > 255 ? null : { r, g, b };
}

/** `#rrggbb`: the one form the stylesheet is written in, whatever form the merchant used. */
export function hexOf({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG's relative luminance: 0 for black, 1 for white. */
function luminance({ r, g, b }: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** From 1 (the same luminance) to 21 (black on white). */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `a` moved towards `b` by `t` (0: a, 1: b), per sRGB channel. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const at = (x: number, y: number) => Math.round(x + (y - x) * t);
  return { r: at(a.r, b.r), g: at(a.g, b.g), b: at(a.b, b.b) };
}

/** A ratio as WCAG writes it, rounded down so that a 4.499 never reads as 4.5: "4.49:1". */
export const ratioText = (ratio: number) => `${Math.floor(ratio * 100) / 100}:1`;
