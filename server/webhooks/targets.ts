/**
 * Where a webhook may go. A merchant names the URL, so without a check a
 * webhook could be aimed at Payframe's own host or its private network
 * (SSRF). A target is resolved and refused when any of its addresses is
 * not global unicast (loopback, private, link-local, reserved, IPv4 inside
 * IPv6 forms included) — at subscription time and again at every delivery,
 * because DNS can answer differently the second time (DNS rebinding). The
 * delivery then connects to exactly the addresses checked.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

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

/** Why `ip` may not be a webhook target, or undefined for a global unicast address. */
export function forbiddenAddress(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return ipv4Reason(addressValue(ip));
  if (family === 6) return ipv6Reason(addressValue(ip));
  return 'not an IP address';
}

interface Block {
  value: bigint;
  /** Address bits not in the prefix. */
  shift: bigint;
  reason: string;
}

function block(cidr: string, reason = ''): Block {
  const [ip = '', bits = ''] = cidr.split('/');
  return { value: addressValue(ip), shift: BigInt((isIP(ip) === 4 ? 32 : 128) - Number(bits)), reason };
}

const within = (value: bigint, b: Block) => value >> b.shift === b.value >> b.shift;

// IANA's IPv4 special-purpose registry (RFC 6890 and later); every other IPv4 address is global unicast.
const IPV4_BLOCKS = [
  block('0.0.0.0/8', 'unspecified'),
  block('10.0.0.0/8', 'private'),
  // RFC 6598 shared address space (carrier-grade NAT): private in practice.
  block('100.64.0.0/10', 'private'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link-local'),
  block('172.16.0.0/12', 'private'),
  block('192.0.0.0/24', 'reserved'),
  block('192.0.2.0/24', 'documentation'),
  // Deprecated 6to4 relays (RFC 7526).
  block('192.88.99.0/24', 'reserved'),
  block('192.168.0.0/16', 'private'),
  block('198.18.0.0/15', 'benchmarking'),
  block('198.51.100.0/24', 'documentation'),
  block('203.0.113.0/24', 'documentation'),
  // Multicast (224/4), reserved (240/4) and broadcast.
  block('224.0.0.0/3', 'multicast or reserved'),
];

// A packet to ::ffff:a.b.c.d (IPv4-mapped) or 64:ff9b::a.b.c.d (NAT64's well-known prefix, what DNS64 answers) reaches a.b.c.d: that address decides.
const IPV4_INSIDE = [block('::ffff:0:0/96'), block('64:ff9b::/96')];

const IPV6_BLOCKS = [
  block('::/128', 'unspecified'),
  block('::1/128', 'loopback'),
  block('fc00::/7', 'private'),
  // Site-local, deprecated but still routed inside some networks.
  block('fec0::/10', 'private'),
  block('fe80::/10', 'link-local'),
  block('ff00::/8', 'multicast or reserved'),
  // Inside global unicast: IETF protocol assignments, among them Teredo (2001::/32), which tunnels to an IPv4 address.
  block('2001::/23', 'reserved'),
  block('2001:db8::/32', 'documentation'),
  // 6to4 wraps an IPv4 address (2002:7f00:1:: is 127.0.0.1's); the protocol is deprecated, so refuse it whole rather than decode it.
  block('2002::/16', 'reserved'),
  block('3fff::/20', 'documentation'),
];

const GLOBAL_UNICAST = block('2000::/3');

function ipv4Reason(value: bigint): string | undefined {
  return IPV4_BLOCKS.find((b) => within(value, b))?.reason;
}

function ipv6Reason(value: bigint): string | undefined {
  if (IPV4_INSIDE.some((b) => within(value, b))) return ipv4Reason(value & 0xffff_ffffn);
  const listed = IPV6_BLOCKS.find((b) => within(value, b));
  if (listed) return listed.reason;
  // Only global unicast is a target: the rest of the space (IPv4-compatible ::a.b.c.d, IPv4-translated
  // ::ffff:0:a.b.c.d, local-use NAT64 64:ff9b:1::/48, discard-only 100::/64, …) reaches nothing public.
  return within(value, GLOBAL_UNICAST) ? undefined : 'reserved';
}

/** A valid IP address as a number. */
function addressValue(ip: string): bigint {
  if (isIP(ip) === 4) return ip.split('.').reduce((v, octet) => (v << 8n) | BigInt(octet), 0n);
  return parseIpv6(ip).reduce((v, group) => (v << 16n) | BigInt(group), 0n);
}

/** The eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail included). */
function parseIpv6(ip: string): number[] {
  let text = ip.split('%')[0]!.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((x) => parseInt(x, 16)) : []);
  const left = part(head);
  const right = part(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
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
