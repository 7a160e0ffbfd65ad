// The derive-ahead worker (derive-ahead.ts): for a range of indexes below a BIP-32 parent, the child public
// keys, by the same HMAC and libsecp256k1 point addition as hd.ts's childPublicKeys, or for EVM chains their
// addresses, lower case and checksummed, by the same code as hd.ts and eip55.ts (evm-address.mjs). Plain
// JavaScript, so that it starts on plain Node (no TypeScript loader in a worker).
import { createHmac } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { checksumHex, lowerCaseHex } from './evm-address.mjs';

// Work ahead of need: the lowest priority, so that the thread serving requests, and the clients on the same
// machine, go first (its ranges are bursts of about 10 ms of CPU). On Linux a thread has a nice value of its own,
// set through its id; elsewhere the worker keeps the process's.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').at(-1)), 19);
} catch {
  // Not Linux: the process's priority.
}

const { publicKeyConvert, publicKeyTweakAdd } = createRequire(import.meta.url)('secp256k1/bindings');

/** What one index takes in the reply, by kind: a compressed or uncompressed key, or 40 + 40 ASCII hex digits. */
const SIZE = { compressed: 33, uncompressed: 65, evm: 80 };

parentPort.on('message', ({ id, publicKey, chainCode, kind, from, count }) => {
  const size = SIZE[kind];
  // One buffer for the whole range, handed over without a copy. An index BIP-32 skips (odds about 2^-127)
  // stays zeros: the calling thread derives it itself, as it derives any index not here.
  const out = new Uint8Array(count * size);
  const data = new Uint8Array(37);
  data.set(publicKey);
  const view = new DataView(data.buffer);
  // The parent as x and y: libsecp256k1 would otherwise find y again (a square root) for every child.
  const parent = publicKeyConvert(publicKey, false);
  for (let i = 0; i < count; i++) {
    view.setUint32(33, from + i);
    const tweak = createHmac('sha512', chainCode).update(data).digest().subarray(0, 32);
    let point;
    try {
      point = publicKeyTweakAdd(parent, tweak, kind === 'compressed');
    } catch {
      continue;
    }
    if (kind === 'evm') {
      const lower = lowerCaseHex(point);
      out.set(Buffer.from(lower + checksumHex(lower), 'latin1'), i * size);
    } else {
      out.set(point, i * size);
    }
  }
  parentPort.postMessage({ id, out }, [out.buffer]);
});
