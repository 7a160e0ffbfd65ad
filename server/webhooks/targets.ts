/**
 * Where a webhook may go. A merchant names the URL, so without a check a
 * webhook could be aimed at Payframe's own host or its private network
 * (SSRF). A target is resolved and refused when any of its addresses is
 * loopback, private, link-local, unspecified or multicast, IPv4-mapped
 * IPv6 forms included — at subscription time and again at every delivery,
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

/** Why `ip` may not be a webhook target, or undefined for a public unicast address. */
export function forbiddenAddress(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return ipv4Reason(ip.split('.').map(Number));
  if (family === 6) return ipv6Reason(parseIpv6(ip));
  return 'not an IP address';
}

function ipv4Reason([a = 0, b = 0]: number[]): string | undefined {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  // RFC 6598 shared address space (carrier-grade NAT): private in practice.
  if (a === 100 && b >= 64 && b <= 127) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 0) return 'unspecified';
  if (a >= 224) return 'multicast or reserved';
  return undefined;
}

function ipv6Reason(g: number[]): string | undefined {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const embeddedV4 = () => [g[6]! >> 8, g[6]! & 0xff];
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (IPv4-mapped), ::a.b.c.d (IPv4-compatible), 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
  if (zeros(0, 5) && g[5] === 0xffff) return ipv4Reason(embeddedV4());
  if (zeros(0, 6)) return ipv4Reason(embeddedV4());
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return ipv4Reason(embeddedV4());
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast or reserved';
  return undefined;
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

/** Resolves the URL's host and applies the policy. */
export async function checkTarget(url: URL, policy: TargetPolicy): Promise<TargetCheck> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  const family = isIP(host);
  if (family !== 0) {
    addresses = [{ address: host, family: family === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.lookup(host);
    } catch {
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
