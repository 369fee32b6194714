/**
 * How bad a new edge is, by kind: a credential file read, a new IAM role or secret used, a shell
 * exec and a new external destination score highest. Pure.
 */
import type { ObservedEdge } from './edges.js';

export type SeverityLevel = 'critical' | 'high' | 'medium' | 'low';

export interface Severity {
  level: SeverityLevel;
  score: number;
  /** Why this score, in words. */
  why: string;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'busybox']);
/** IAM actions that hand out credentials, secrets or another identity. */
const SENSITIVE_IAM = [/^sts:assumerole/i, /^iam:passrole$/i, /^secretsmanager:getsecretvalue$/i, /^ssm:getparameters?(bypath)?$/i, /^kms:decrypt$/i, /^iam:create(accesskey|loginprofile|user|role)/i, /^iam:(attach|put)\w*policy$/i];

/** The action part of an AWSAction id ("arn…#s3:GetObject", "s3:GetObject" or "service:s3"). */
const actionOf = (target: string) => target.split(/[#/]/).pop() ?? target;

export const levelOf = (score: number): SeverityLevel => (score >= 90 ? 'critical' : score >= 70 ? 'high' : score >= 40 ? 'medium' : 'low');

/** Host part of a NetEndpoint id: `ip:port`, `[ip6]:port` or a bare address. */
export function endpointAddress(id: string): string {
  if (id.startsWith('[')) return id.slice(1, id.indexOf(']'));
  const colons = id.split(':').length - 1;
  return colons === 1 ? id.slice(0, id.lastIndexOf(':')) : id;
}

/** Loopback, private (RFC 1918, CGNAT, link-local, ULA) or public. */
export function addressScope(addr: string): 'loopback' | 'private' | 'external' {
  const a = addr.toLowerCase().replace(/^::ffff:/, '');
  if (a === '::1' || a.startsWith('127.')) return 'loopback';
  const o = a.split('.').map(Number);
  if (o.length === 4 && o.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) {
    const [x, y] = o as [number, number];
    if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127) || (x === 169 && y === 254) || x === 0) return 'private';
    return 'external';
  }
  if (/^f[cd]/.test(a) || a.startsWith('fe80')) return 'private';
  return 'external';
}

/** The severity of one new edge. */
export function severityOf(e: ObservedEdge): Severity {
  const s = (score: number, why: string): Severity => ({ level: levelOf(score), score, why });
  switch (e.kind) {
    case 'open':
      if (e.fileClass === 'credential') return s(95, 'credential file read');
      if (e.fileClass === 'model') return s(50, 'model weights opened');
      return s(40, `watched file opened (${e.fileClass ?? 'unclassified'})`);
    case 'iam': {
      const action = actionOf(e.target);
      if (SENSITIVE_IAM.some((re) => re.test(action))) return s(92, `new IAM action that yields credentials, a secret or another role: ${action}`);
      return s(60, `new IAM action: ${action}`);
    }
    case 'exec': {
      const base = e.target.split('/').pop() ?? e.target;
      if (SHELLS.has(base)) return s(85, `shell executed: ${base}`);
      return s(45, `new executable: ${base}`);
    }
    case 'connect': {
      const scope = addressScope(endpointAddress(e.target));
      if (scope === 'external') return s(80, 'new external destination');
      if (scope === 'private') return s(50, 'new internal destination');
      return s(30, 'new loopback destination');
    }
    case 'resolve':
      return s(50, 'new DNS name');
    case 'accept':
      return s(35, 'new inbound peer');
    case 'mcp':
      return s(60, 'new MCP tool called');
  }
}
