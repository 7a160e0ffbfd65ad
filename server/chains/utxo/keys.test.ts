import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { createBase58check } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { addressDeriver, descriptorKey, p2wpkhAddress, parseAccountKey } from './keys';
import { networkByPrefix, type UtxoNetwork } from './networks';

const network = (prefix: string): UtxoNetwork => networkByPrefix(prefix)!;
const BTC = network('bc');
const LTC = network('ltc');
const RLTC = network('rltc');

// BIP-84's test vectors (https://github.com/bitcoin/bips/blob/master/bip-0084.mediawiki#test-vectors).
const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const BIP84_ACCOUNT_ZPUB = 'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs';
const BIP84_ACCOUNT_ZPRV = 'zprvAdG4iTXWBoARxkkzNpNh8r6Qag3irQB8PzEMkAFeTRXxHpbF9z4QgEvBRmfvqWvGp42t42nvgGpNgYSJA9iefm1yYNZKEm7z6qUWCroSQnE';
const BIP84_RECEIVE = ['bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu', 'bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g'];
const BIP84_FIRST_CHANGE = 'bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el';

const master = HDKey.fromMasterSeed(mnemonicToSeedSync(MNEMONIC));

/** The same key node written with another 4-byte version, as another wallet would export it. */
function reversion(key: HDKey, pub: number, priv = 0x0488ade4): HDKey {
  return new HDKey({ ...keyFields(key), versions: { public: pub, private: priv } });
}
function keyFields(key: HDKey) {
  return { publicKey: key.publicKey!, chainCode: key.chainCode!, depth: key.depth, index: key.index, parentFingerprint: key.parentFingerprint };
}
const accept = (text: string, net: UtxoNetwork) => {
  const check = parseAccountKey(text, net);
  if (!check.ok) throw new Error(check.reason);
  return check;
};

describe('parseAccountKey and addressDeriver: BIP-84 test vectors', () => {
  it('serializes the vectors\' account key m/84\'/0\'/0\' as the published zpub', () => {
    expect(reversion(master.derive("m/84'/0'/0'"), 0x04b24746).publicExtendedKey).toBe(BIP84_ACCOUNT_ZPUB);
  });

  it('derives the published first two receive addresses from the published zpub', () => {
    const receive = addressDeriver(accept(BIP84_ACCOUNT_ZPUB, BTC).key, 'bc');
    expect([receive(0), receive(1)]).toEqual(BIP84_RECEIVE);
  });

  it('derives the published first change address on branch 1', () => {
    expect(addressDeriver(accept(BIP84_ACCOUNT_ZPUB, BTC).key, 'bc', 1)(0)).toBe(BIP84_FIRST_CHANGE);
  });

  it('derives the same addresses from the key written as xpub (Core, descriptor wallets)', () => {
    const { key, prefix } = accept(BIP84_ACCOUNT_ZPUB, BTC);
    const xpub = descriptorKey(key, BTC);
    expect(xpub.startsWith('xpub')).toBe(true);
    const check = accept(xpub, BTC);
    expect([prefix, check.prefix]).toEqual(['zpub', 'xpub']);
    expect(addressDeriver(check.key, 'bc')(0)).toBe(BIP84_RECEIVE[0]);
  });

  it('writes the address of the same public key with the network\'s bech32 prefix', () => {
    const pub = master.derive("m/84'/0'/0'/0/0").publicKey!;
    expect(p2wpkhAddress(pub, 'bc')).toBe(BIP84_RECEIVE[0]);
    // Same witness program, another human-readable part: only the prefix and the checksum change.
    const ltc = p2wpkhAddress(pub, 'ltc');
    expect(ltc.slice(0, 4)).toBe('ltc1');
    expect(ltc.slice(4, -6)).toBe(BIP84_RECEIVE[0]!.slice(3, -6));
  });

  it('refuses an uncompressed public key', () => {
    expect(() => p2wpkhAddress(new Uint8Array(65).fill(4), 'bc')).toThrow(/33-byte compressed/);
  });
});

describe('parseAccountKey: versions', () => {
  const ltcAccount = master.derive("m/84'/2'/0'");
  const testAccount = master.derive("m/84'/1'/0'");

  it.each([
    ['zpub', 0x04b24746, LTC],
    ['xpub', 0x0488b21e, LTC],
    ['Ltub', 0x019da462, LTC],
  ] as const)('accepts a Litecoin account key written as %s', (prefix, version, net) => {
    const text = reversion(ltcAccount, version).publicExtendedKey;
    expect(text.startsWith(prefix)).toBe(true);
    const check = accept(text, net);
    expect(check.prefix).toBe(prefix);
    expect(addressDeriver(check.key, 'ltc')(7)).toBe(p2wpkhAddress(ltcAccount.derive('m/0/7').publicKey!, 'ltc'));
  });

  it.each([
    ['vpub', 0x045f1cf6],
    ['tpub', 0x043587cf],
    ['ttub', 0x0436f6e1],
  ] as const)('accepts a test-network account key written as %s for regtest', (prefix, version) => {
    const text = reversion(testAccount, version).publicExtendedKey;
    expect(text.startsWith(prefix)).toBe(true);
    expect(addressDeriver(accept(text, RLTC).key, 'rltc')(3)).toBe(p2wpkhAddress(testAccount.derive('m/0/3').publicKey!, 'rltc'));
  });

  it.each([
    ['ypub', 0x049d7cb2, BTC],
    ['Mtub', 0x01b26ef6, LTC],
    ['upub', 0x044a5262, RLTC],
  ] as const)('refuses a %s, the key of a wrapped-SegWit account, naming the path to export instead', (prefix, version, net) => {
    const text = reversion(master.derive(`m/49'/${net.coinType}'/0'`), version).publicExtendedKey;
    expect(text.startsWith(prefix)).toBe(true);
    expect(parseAccountKey(text, net)).toEqual({
      ok: false,
      reason: `a ${prefix} is the key of a wrapped-SegWit (BIP-49) account; Payframe pays to native SegWit addresses, so give the account key at m/84'/${net.coinType}'/0' (${net.testKeys ? 'vpub… or tpub…' : 'zpub… or xpub…'})`,
    });
  });

  it('refuses a test-network key for a main network', () => {
    const vpub = reversion(testAccount, 0x045f1cf6).publicExtendedKey;
    expect(parseAccountKey(vpub, BTC)).toEqual({ ok: false, reason: 'a vpub is a test-network key, but this chain (bc) needs a main-network one (zpub… or xpub…)' });
  });

  it('refuses a main-network key for regtest', () => {
    expect(parseAccountKey(BIP84_ACCOUNT_ZPUB, RLTC)).toEqual({ ok: false, reason: 'a zpub is a main-network key, but this chain (rltc) needs a test-network one (vpub… or tpub…)' });
  });

  it('refuses a multisig (Zpub) key by its version number', () => {
    const Zpub = reversion(master.derive("m/48'/0'/0'/2'"), 0x02aa7ed3).publicExtendedKey;
    expect(parseAccountKey(Zpub, BTC)).toMatchObject({ ok: false, reason: expect.stringContaining('unknown extended key version 0x02aa7ed3') });
  });
});

describe('parseAccountKey: refusals', () => {
  const account = master.derive("m/84'/0'/0'");
  const base58check = createBase58check(sha256);

  it('refuses the published account zprv without quoting it', () => {
    const check = parseAccountKey(BIP84_ACCOUNT_ZPRV, BTC);
    expect(check).toEqual({ ok: false, reason: 'this is an extended PRIVATE key (zprv…); Payframe only needs (and must only ever get) the extended public key' });
  });

  it.each([
    ['xprv', 0x0488ade4],
    ['yprv', 0x049d7878],
    ['zprv', 0x04b2430c],
    ['tprv', 0x04358394],
    ['uprv', 0x044a4e28],
    ['vprv', 0x045f18bc],
    ['Ltpv', 0x019d9cfe],
    ['Mtpv', 0x01b26792],
    ['ttpv', 0x0436ef7d],
  ] as const)('refuses a private key written as %s, naming it', (prefix, version) => {
    const { publicKey: _, ...fields } = keyFields(account);
    const text = new HDKey({ ...fields, privateKey: account.privateKey!, versions: { public: 0, private: version } }).privateExtendedKey;
    expect(text.startsWith(prefix)).toBe(true);
    const check = parseAccountKey(text, BTC);
    expect(check).toMatchObject({ ok: false, reason: expect.stringContaining(`PRIVATE key (${prefix}…)`) });
  });

  it('refuses private key data under a public key\'s version', () => {
    const bytes = base58check.decode(BIP84_ACCOUNT_ZPRV);
    bytes.set([0x04, 0xb2, 0x47, 0x46], 0);
    const disguised = base58check.encode(bytes);
    expect(disguised.startsWith('zpub')).toBe(true);
    expect(parseAccountKey(disguised, BTC)).toMatchObject({ ok: false, reason: expect.stringContaining('PRIVATE') });
  });

  it('names a private key even when a typo breaks its checksum', () => {
    const typo = BIP84_ACCOUNT_ZPRV.slice(0, -1) + (BIP84_ACCOUNT_ZPRV.endsWith('E') ? 'F' : 'E');
    expect(parseAccountKey(typo, BTC)).toMatchObject({ ok: false, reason: expect.stringContaining('PRIVATE') });
  });

  it.each([
    ['the master key', master, 0],
    ['the purpose node m/84\'', master.derive("m/84'"), 1],
    ['the receive branch below the account', account.deriveChild(0), 4],
    ['a single address key', account.deriveChild(0).deriveChild(0), 5],
  ])('refuses %s, naming the depth found', (_, key, depth) => {
    expect(parseAccountKey(reversion(key, 0x04b24746).publicExtendedKey, BTC)).toEqual({
      ok: false,
      reason: `this key is at depth ${depth}; give the account-level key at depth 3 (m/84'/0'/0'), which wallets export as the account zpub`,
    });
  });

  it('refuses a key with one character changed (checksum)', () => {
    const changed = BIP84_ACCOUNT_ZPUB.slice(0, 20) + (BIP84_ACCOUNT_ZPUB[20] === 'a' ? 'b' : 'a') + BIP84_ACCOUNT_ZPUB.slice(21);
    expect(parseAccountKey(changed, BTC)).toMatchObject({ ok: false, reason: expect.stringContaining('checksum') });
  });

  it('refuses base58check data of the wrong length', () => {
    expect(parseAccountKey(base58check.encode(new Uint8Array(77)), BTC)).toEqual({ ok: false, reason: 'not an extended key: it decodes to 77 bytes, not 78' });
  });

  it('refuses a key whose public key is not on the curve', () => {
    const bytes = base58check.decode(BIP84_ACCOUNT_ZPUB);
    bytes.set(new Uint8Array(33).fill(0).fill(2, 0, 1), 45);
    expect(parseAccountKey(base58check.encode(bytes), BTC)).toEqual({ ok: false, reason: 'not a valid extended public key: its public key is not a point on the curve' });
  });

  it('accepts the key with surrounding whitespace, as pasted', () => {
    expect(parseAccountKey(`  ${BIP84_ACCOUNT_ZPUB}\n`, BTC)).toMatchObject({ ok: true, prefix: 'zpub' });
  });
});

describe('descriptorKey', () => {
  it('writes a test-network key as tpub, whichever version the wallet used', () => {
    const account = master.derive("m/84'/1'/0'");
    const vpub = reversion(account, 0x045f1cf6).publicExtendedKey;
    const tpub = descriptorKey(accept(vpub, RLTC).key, RLTC);
    expect(tpub.startsWith('tpub')).toBe(true);
    expect(tpub).toBe(reversion(account, 0x043587cf).publicExtendedKey);
  });
});
