/**
 * Where a webhook may go. A merchant names the URL, so without a check a
 * webhook could be aimed at Payframe's own host or its private network
 * (SSRF). A target is resolved and refused when any of its addresses is
 * not global unicast (loopback, private, link-local, reserved, IPv4 inside
 * IPv6 forms included; Node's net.BlockList matches the ranges) — at subscription time and again at every delivery,
 * because DNS can answer differently the second time (DNS rebinding). The
 * delivery then connects to exactly the addresses checked.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type LookupFn = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: LookupFn = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export interface TargetPolicy {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: lets the sandbox, the demo and tests use local receivers. */
  allowPrivate: boolean;
  lookup: LookupFn;
}

export type TargetCheck = { ok: true; addresses: ResolvedAddress[] } | { ok: false; reason: string };

type Rule = { list: BlockList; reason: string };

/** An IPv4 rule covers the address also inside NAT64's well-known prefix (64:ff9b::a.b.c.d, what DNS64 answers); BlockList itself applies it to IPv4-mapped ::ffff:a.b.c.d. */
function v4(cidr: string, reason: string): Rule {
  const [net = '', bits = ''] = cidr.split('/');
  const list = new BlockList();
  list.addSubnet(net, Number(bits), 'ipv4');
  list.addSubnet(`64:ff9b::${net}`, 96 + Number(bits), 'ipv6');
  return { list, reason };
}

function v6(cidr: string, reason: string): Rule {
  const [net = '', bits = ''] = cidr.split('/');
  const list = new BlockList();
  list.addSubnet(net, Number(bits), 'ipv6');
  return { list, reason };
}

// IANA's IPv4 special-purpose registry (RFC 6890 and later); every other IPv4 address is global unicast.
const IPV4_RULES = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  // RFC 6598 shared address space (carrier-grade NAT): private in practice.
  v4('100.64.0.0/10', 'private'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  // Deprecated 6to4 relays (RFC 7526).
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  // Multicast (224/4), reserved (240/4) and broadcast.
  v4('224.0.0.0/3', 'multicast or reserved'),
];

// A packet to ::ffff:a.b.c.d (IPv4-mapped) or 64:ff9b::a.b.c.d (NAT64) reaches a.b.c.d: that address decides.
const REACHES_IPV4 = v6('::ffff:0:0/96', '').list;
REACHES_IPV4.addSubnet('64:ff9b::', 96, 'ipv6');

const IPV6_RULES = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('fc00::/7', 'private'),
  // Site-local, deprecated but still routed inside some networks.
  v6('fec0::/10', 'private'),
  v6('fe80::/10', 'link-local'),
  v6('ff00::/8', 'multicast or reserved'),
  // Inside global unicast: IETF protocol assignments, among them Teredo (2001::/32), which tunnels to an IPv4 address.
  v6('2001::/23', 'reserved'),
  v6('2001:db8::/32', 'documentation'),
  // 6to4 wraps an IPv4 address (2002:7f00:1:: is 127.0.0.1's); the protocol is deprecated, so refuse it whole rather than decode it.
  v6('2002::/16', 'reserved'),
  v6('3fff::/20', 'documentation'),
];

const GLOBAL_UNICAST = v6('2000::/3', '').list;

/** Why `ip` may not be a webhook target, or undefined for a global unicast address. */
export function forbiddenAddress(ip: string): string | undefined {
  const address = ip.split('%')[0]!;
  const family = isIP(address);
  if (family === 4) return IPV4_RULES.find((r) => r.list.check(address, 'ipv4'))?.reason;
  if (family !== 6) return 'not an IP address';
  if (REACHES_IPV4.check(address, 'ipv6')) return IPV4_RULES.find((r) => r.list.check(address, 'ipv6'))?.reason;
  const listed = IPV6_RULES.find((r) => r.list.check(address, 'ipv6'));
  if (listed) return listed.reason;
  // Only global unicast is a target: the rest of the space (IPv4-compatible ::a.b.c.d, IPv4-translated
  // ::ffff:0:a.b.c.d, local-use NAT64 64:ff9b:1::/48, discard-only 100::/64, …) reaches nothing public.
  return GLOBAL_UNICAST.check(address, 'ipv6') ? undefined : 'reserved';
}

/**
 * Resolves the URL's host and applies the policy. When `signal` aborts
 * (the delivery's deadline), it stops waiting for DNS and rejects with the
 * signal's reason; the lookup itself cannot be cancelled.
 */
export async function checkTarget(url: URL, policy: TargetPolicy, signal?: AbortSignal): Promise<TargetCheck> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  const family = isIP(host);
  if (family !== 0) {
    addresses = [{ address: host, family: family === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await untilAborted(policy.lookup(host), signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      return { ok: false, reason: `the host ${host} does not resolve` };
    }
    if (addresses.length === 0) return { ok: false, reason: `the host ${host} does not resolve` };
  }
  if (!policy.allowPrivate) {
    for (const a of addresses) {
      const reason = forbiddenAddress(a.address);
      if (reason) {
        return {
          ok: false,
          reason: `${host} resolves to ${a.address}, a ${reason} address; webhooks go to public addresses only (WEBHOOK_ALLOW_PRIVATE_TARGETS=1 allows others)`,
        };
      }
    }
  }
  return { ok: true, addresses };
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
