/** IP blocks (`ipBlock.cidr` minus `ipBlock.except`), IPv4 and IPv6, on node:net's BlockList. */
import { BlockList, isIP } from 'node:net';
import { InputError } from '../../../errors.js';

export interface IpBlock {
  readonly cidr: string;
  readonly except: readonly string[];
  readonly matches: (ip: string) => boolean;
}

export function compileIpBlock(cidr: unknown, except: unknown, where: string): IpBlock {
  const inside = new BlockList();
  const [family, net, prefix] = parseCidr(cidr, `${where}.cidr`);
  inside.addSubnet(net, prefix, family);
  const holes = new BlockList();
  const ex = except === undefined || except === null ? [] : except;
  if (!Array.isArray(ex)) throw new InputError(`${where}.except: must be a list of CIDRs`);
  ex.forEach((e, i) => {
    const [f, n, p] = parseCidr(e, `${where}.except[${i}]`);
    if (f !== family) throw new InputError(`${where}.except[${i}]: "${String(e)}" is not the same IP family as the cidr`);
    holes.addSubnet(n, p, f);
  });
  return {
    cidr: String(cidr),
    except: ex.map(String),
    matches: (ip) => {
      const f = isIP(ip) === 6 ? 'ipv6' : isIP(ip) === 4 ? 'ipv4' : undefined;
      return f === family && inside.check(ip, f) && !holes.check(ip, f);
    },
  };
}

function parseCidr(v: unknown, where: string): ['ipv4' | 'ipv6', string, number] {
  const m = typeof v === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(v) : null;
  const fam = m ? isIP(m[1]!) : 0;
  const prefix = m ? Number(m[2]) : -1;
  if (!m || fam === 0 || prefix > (fam === 4 ? 32 : 128)) throw new InputError(`${where}: "${String(v).slice(0, 60)}" is not a CIDR`);
  return [fam === 4 ? 'ipv4' : 'ipv6', m[1]!, prefix];
}
