import { describe, expect, it } from 'vitest';
import { checkTarget, forbiddenAddress, type LookupFn } from './targets';

describe('forbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['192.88.99.1', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast or reserved'],
    ['240.0.0.1', 'multicast or reserved'],
    ['255.255.255.255', 'multicast or reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast or reserved'],
    // IPv4-mapped and NAT64 (64:ff9b::/96) reach the IPv4 address inside.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:198.18.0.1', 'benchmarking'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    // Other IPv4-in-IPv6 forms, refused whatever the IPv4 address.
    ['::127.0.0.1', 'reserved'],
    ['::8.8.8.8', 'reserved'],
    ['::ffff:0:127.0.0.1', 'reserved'],
    ['::ffff:0:8.8.8.8', 'reserved'],
    ['64:ff9b:1::a00:1', 'reserved'],
    ['2002:7f00:1::1', 'reserved'],
    ['2002:808:808::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    // Neither global unicast nor listed above.
    ['100::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['4000::1', 'reserved'],
  ])('refuses %s (%s)', (ip, reason) => {
    expect(forbiddenAddress(ip)).toBe(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.0.1',
    '100.128.0.1',
    '169.253.0.1',
    '192.0.1.1',
    '198.17.255.255',
    '198.20.0.1',
    '223.255.255.255',
    '2606:4700::1111',
    '2a00:1450:4001::1',
    '2001:200::1',
    '2003::1',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
  ])('accepts the global unicast address %s', (ip) => {
    expect(forbiddenAddress(ip)).toBeUndefined();
  });
});

describe('checkTarget', () => {
  const lookup =
    (answers: Record<string, string[]>): LookupFn =>
    async (host) => {
      const list = answers[host];
      if (!list) throw new Error('ENOTFOUND');
      return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
  const strict = { allowPrivate: false, lookup: lookup({ 'shop.example': ['93.184.216.34'], 'mixed.example': ['93.184.216.34', '10.0.0.5'], 'local.example': ['::1'] }) };

  it('answers the resolved addresses of a public host', async () => {
    expect(await checkTarget(new URL('https://shop.example/hook'), strict)).toEqual({ ok: true, addresses: [{ address: '93.184.216.34', family: 4 }] });
  });

  it('refuses a host when any of its addresses is private', async () => {
    const check = await checkTarget(new URL('https://mixed.example/hook'), strict);
    expect(check).toEqual({ ok: false, reason: expect.stringContaining('10.0.0.5, a private address') });
  });

  it.each(['http://127.0.0.1:3000/x', 'http://[::1]/x', 'http://[::ffff:127.0.0.1]/x', 'http://[2002:7f00:1::1]/x', 'http://2130706433/x', 'http://0x7f.1/x', 'http://local.example/x', 'http://169.254.169.254/latest'])(
    'refuses %s without WEBHOOK_ALLOW_PRIVATE_TARGETS',
    async (url) => {
      expect((await checkTarget(new URL(url), strict)).ok).toBe(false);
    },
  );

  it('allows private targets when the policy allows them', async () => {
    expect(await checkTarget(new URL('http://127.0.0.1:3000/x'), { ...strict, allowPrivate: true })).toEqual({
      ok: true,
      addresses: [{ address: '127.0.0.1', family: 4 }],
    });
  });

  it('stops waiting for a slow lookup when its signal aborts, rejecting with the signal’s reason', async () => {
    let lookupStarted!: () => void;
    const started = new Promise<void>((resolve) => (lookupStarted = resolve));
    const slow = {
      allowPrivate: false,
      lookup: () => {
        lookupStarted();
        return new Promise<never>(() => undefined);
      },
    };
    const deadline = new AbortController();
    const checked = checkTarget(new URL('https://slow.example/'), slow, deadline.signal);
    // Aborted while the lookup is pending: the case a deadline is for.
    await started;
    deadline.abort(new Error('deadline'));
    await expect(checked).rejects.toThrow('deadline');
  });

  it('refuses a host that does not resolve', async () => {
    expect(await checkTarget(new URL('https://nowhere.example/'), strict)).toEqual({ ok: false, reason: 'the host nowhere.example does not resolve' });
  });
});
