// The derivation worker (derive-off-thread.ts): the child public keys of BIP-32 parents, each as an
// uncompressed point (65 bytes). Plain JavaScript, so that it starts on plain Node (no TypeScript loader in a
// worker). The curve work is @scure/bip32's own: hd.test.ts checks hd.ts's faster path against it.
import { parentPort } from 'node:worker_threads';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { HDKey } from '@scure/bip32';

/** Parents by their public key and chain code (hex): a merchant's key is decoded once. */
const parents = new Map();

parentPort.on('message', ({ id, publicKey, chainCode, index }) => {
  try {
    const key = `${Buffer.from(publicKey).toString('hex')}:${Buffer.from(chainCode).toString('hex')}`;
    let parent = parents.get(key);
    if (!parent) parents.set(key, (parent = new HDKey({ publicKey, chainCode })));
    const child = parent.deriveChild(index).publicKey;
    parentPort.postMessage({ id, point: secp256k1.Point.fromBytes(child).toBytes(false) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
