/**
 * QR codes are drawn on the server and sent as SVG: an encoder in the
 * browser would cost more than the whole checkout's script budget.
 */
import QRCode from 'qrcode';

/** Medium error correction survives a phone camera at an angle; the 4-module quiet zone is the standard's. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
}
