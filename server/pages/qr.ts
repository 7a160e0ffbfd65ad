/**
 * QR codes are drawn on the server and sent as SVG: an encoder in the
 * browser would cost more than the whole checkout's script budget.
 */
import QRCode from 'qrcode';

/** Medium error correction survives a phone camera at an angle; the 4-module quiet zone is the standard's. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
}

/**
 * An SVG as a data: URI for an <img src>, percent-encoding only what a URL
 * or the SVG itself needs (RFC 2397): smaller than base64, and it gzips as
 * well as the SVG does.
 */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml,${svg.replace(/[%#<>"\n]/g, (c) => (c === '"' ? "'" : encodeURIComponent(c)))}`;
}
