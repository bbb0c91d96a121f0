import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must never reach unless WEBHOOK_ALLOW_PRIVATE_NETWORKS: the machine itself, the private
 * networks behind it, link-local (cloud metadata lives at 169.254.169.254), unspecified, and the special ranges
 * nobody serves webhooks from (shared CGNAT space, benchmarking, multicast, reserved).
 */
const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // unspecified / "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some stacks)
  ['ff00::', 8], // multicast
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}

/** The 16 bytes of an IPv6 address (any textual form, with or without a dotted IPv4 tail). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1]!.split('.').map(Number));
    text = text.slice(0, -dotted[1]!.length) + '0:0';
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const groups = (part: string | null | undefined) => (part ? part.split(':').filter(Boolean) : []);
  const left = groups(head);
  const right = groups(rest);
  const all = rest === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const bytes = all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * The IPv4 address an IPv6 address carries, when it is one of the forms that reach an IPv4 host: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d, deprecated) or NAT64 (64:ff9b::a.b.c.d).
 */
function embeddedIpv4(address: string): string | null {
  const bytes = ipv6Bytes(address);
  const prefix = bytes.slice(0, 12);
  const zero = (from: number, to: number) => prefix.slice(from, to).every((b) => b === 0);
  const mapped = zero(0, 10) && prefix[10] === 0xff && prefix[11] === 0xff;
  const compatible = zero(0, 12);
  const nat64 = prefix[0] === 0x00 && prefix[1] === 0x64 && prefix[2] === 0xff && prefix[3] === 0x9b && prefix.slice(4, 12).every((b) => b === 0);
  return mapped || compatible || nat64 ? bytes.slice(12).join('.') : null;
}

/** True for an IP literal a webhook may not reach (loopback, private, link-local, unspecified and the like). */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family !== 6) return false;
  const plain = address.split('%')[0]!; // zone index (fe80::1%eth0)
  if (refused.check(plain, 'ipv6')) return true;
  const ipv4 = embeddedIpv4(plain);
  return ipv4 !== null && refused.check(ipv4, 'ipv4');
}

/** The host of a URL as an IP literal, without IPv6 brackets; null for a DNS name. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : null;
}
