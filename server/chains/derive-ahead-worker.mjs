// The derive-ahead worker (derive-ahead.ts): the child public keys of a BIP-32 parent for a range of indexes,
// by the same HMAC and libsecp256k1 point addition as hd.ts's childPublicKeys. Plain JavaScript, so that it
// starts on plain Node (no TypeScript loader in a worker).
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const { publicKeyTweakAdd } = createRequire(import.meta.url)('secp256k1/bindings');

parentPort.on('message', ({ id, publicKey, chainCode, compressed, from, count }) => {
  const size = compressed ? 33 : 65;
  // One buffer for the whole range, handed over without a copy. An index BIP-32 skips (odds about 2^-127)
  // stays zeros: the calling thread derives it itself, as it derives any index not here.
  const points = new Uint8Array(count * size);
  const data = new Uint8Array(37);
  data.set(publicKey);
  const view = new DataView(data.buffer);
  for (let i = 0; i < count; i++) {
    view.setUint32(33, from + i);
    const tweak = createHmac('sha512', chainCode).update(data).digest().subarray(0, 32);
    try {
      points.set(publicKeyTweakAdd(publicKey, tweak, compressed), i * size);
    } catch {
      // Left as zeros.
    }
  }
  parentPort.postMessage({ id, points }, [points.buffer]);
});
