/**
 * /proc look-ups for what the kernel events do not carry: processes that started before the
 * sensor, and executable paths behind (device, inode) pairs. Every read tolerates a process
 * that has exited meanwhile.
 */
import fs from 'node:fs';

/** USER_HZ: the unit of /proc/<pid>/stat start times (100 on every mainstream Linux ABI). */
export const CLOCK_TICKS_PER_SECOND = 100;
const NS_PER_TICK = 1_000_000_000 / CLOCK_TICKS_PER_SECOND;

/**
 * A process's identity across pid reuse: its start time in clock ticks since boot. The kernel
 * reports nanoseconds (task->start_time); /proc reports ticks; both floor to the same tick.
 */
export function startTicksFromNs(ns: string): string {
  return (BigInt(ns) / BigInt(NS_PER_TICK)).toString();
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  startTicks: string;
}

/** Parses /proc/<pid>/stat; comm may hold spaces and parentheses, so split at the last ')'. */
export function parseStat(text: string): ProcInfo | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); ppid is field 4, starttime field 22
  const ppid = Number(rest[1]);
  const start = rest[19];
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || start === undefined) return undefined;
  return { pid, ppid, comm, startTicks: start };
}

export function readProc(pid: number): ProcInfo | undefined {
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export function listPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

export function readExe(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/** Kernel dev_t (major << 20 | minor) as the kernel's events report it. */
export function kernelDevOf(statDev: bigint): number {
  // glibc's encoding, as stat() returns it
  const major = Number(((statDev >> 8n) & 0xfffn) | ((statDev >> 32n) & ~0xfffn));
  const minor = Number((statDev & 0xffn) | ((statDev >> 12n) & ~0xffn));
  return ((major << 20) | minor) >>> 0;
}

/**
 * (device, inode) of an executable -> its path. Exec events teach it exactly; for processes
 * that started before the sensor it asks /proc/<pid>/exe and checks the inode.
 */
export class ExeResolver {
  private byKey = new Map<string, string>();
  constructor(private readonly maxEntries = 50_000) {}

  static key(dev: number, ino: string): string {
    return `${dev}:${ino}`;
  }

  learn(dev: number, ino: string, path: string): void {
    if (ino === '0' || path === '') return;
    if (this.byKey.size >= this.maxEntries) this.byKey.clear();
    this.byKey.set(ExeResolver.key(dev, ino), path);
  }

  /** The path, or undefined when neither an exec event nor /proc knows it. */
  resolve(dev: number, ino: string, pid: number): string | undefined {
    const k = ExeResolver.key(dev, ino);
    const hit = this.byKey.get(k);
    if (hit !== undefined) return hit;
    const exe = readExe(pid);
    if (exe === undefined) return undefined;
    try {
      const st = fs.statSync(`/proc/${pid}/exe`, { bigint: true });
      if (st.ino.toString() !== ino || kernelDevOf(st.dev) !== dev) return undefined;
    } catch {
      return undefined;
    }
    const path = exe.replace(/ \(deleted\)$/, '');
    this.learn(dev, ino, path);
    return path;
  }
}
