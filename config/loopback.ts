import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * Whether `host` (an address, `[v6]` as in a URL, or a name) can only be reached from this
 * machine: 127.0.0.0/8, ::1 (also spelled out or IPv4-mapped), or `localhost`, which RFC 6761
 * reserves for loopback. No other name is resolved: what it points to may change after start-up.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  const family = isIP(h);
  if (family === 0) return false;
  return loopback.check(h, family === 4 ? 'ipv4' : 'ipv6');
}
