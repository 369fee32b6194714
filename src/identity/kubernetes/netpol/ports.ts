/**
 * Port sets: what a connection may use, per protocol, as sorted disjoint inclusive ranges.
 * `any` is "every protocol, every port" (a side that no policy isolates, or a rule without
 * `ports`): it also covers protocols NetworkPolicy cannot name, such as ICMP.
 */

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export type Range = readonly [number, number];

export interface PortSet {
  readonly any: boolean;
  readonly TCP: readonly Range[];
  readonly UDP: readonly Range[];
  readonly SCTP: readonly Range[];
}

export const MIN_PORT = 1;
export const MAX_PORT = 65535;
export const EMPTY: PortSet = Object.freeze({ any: false, TCP: [], UDP: [], SCTP: [] });
export const ANY: PortSet = Object.freeze({ any: true, TCP: [], UDP: [], SCTP: [] });

export function isProtocol(s: unknown): s is Protocol {
  return s === 'TCP' || s === 'UDP' || s === 'SCTP';
}

/** A set holding one range of one protocol. */
export function single(protocol: Protocol, from: number, to: number = from): PortSet {
  return { ...EMPTY, [protocol]: [[from, to]] };
}

export function isEmpty(s: PortSet): boolean {
  return !s.any && s.TCP.length === 0 && s.UDP.length === 0 && s.SCTP.length === 0;
}

export function contains(s: PortSet, protocol: Protocol, port: number): boolean {
  if (s.any) return true;
  for (const [a, b] of s[protocol]) {
    if (port < a) return false;
    if (port <= b) return true;
  }
  return false;
}

export function union(x: PortSet, y: PortSet): PortSet {
  if (x.any || y.any) return ANY;
  if (isEmpty(y)) return x;
  if (isEmpty(x)) return y;
  return { any: false, TCP: unionRanges(x.TCP, y.TCP), UDP: unionRanges(x.UDP, y.UDP), SCTP: unionRanges(x.SCTP, y.SCTP) };
}

export function intersect(x: PortSet, y: PortSet): PortSet {
  if (x.any) return y;
  if (y.any) return x;
  return { any: false, TCP: intersectRanges(x.TCP, y.TCP), UDP: intersectRanges(x.UDP, y.UDP), SCTP: intersectRanges(x.SCTP, y.SCTP) };
}

/** x minus y. `any` minus a finite set is not representable and never needed: it throws. */
export function subtract(x: PortSet, y: PortSet): PortSet {
  if (y.any) return EMPTY;
  if (x.any) {
    if (isEmpty(y)) return ANY;
    throw new Error('subtract: ANY minus a finite set is not representable');
  }
  return { any: false, TCP: subtractRanges(x.TCP, y.TCP), UDP: subtractRanges(x.UDP, y.UDP), SCTP: subtractRanges(x.SCTP, y.SCTP) };
}

export function equals(x: PortSet, y: PortSet): boolean {
  if (x.any || y.any) return x.any === y.any;
  return PROTOCOLS.every((p) => x[p].length === y[p].length && x[p].every((r, i) => r[0] === y[p][i]![0] && r[1] === y[p][i]![1]));
}

/** The ranges of a set, for storing: `ANY` becomes one entry with protocol "ANY". */
export function toEntries(s: PortSet): Array<{ protocol: Protocol | 'ANY'; port: number; endPort: number }> {
  if (s.any) return [{ protocol: 'ANY', port: MIN_PORT, endPort: MAX_PORT }];
  return PROTOCOLS.flatMap((p) => s[p].map(([a, b]) => ({ protocol: p, port: a, endPort: b })));
}

function unionRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const all = [...a, ...b].sort((r, s) => r[0] - s[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of all) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function intersectRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const [lo0, hi] of a) {
    let lo = lo0;
    for (const [blo, bhi] of b) {
      if (bhi < lo || blo > hi) continue;
      if (blo > lo) out.push([lo, blo - 1]);
      lo = bhi + 1;
      if (lo > hi) break;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}
