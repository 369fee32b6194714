/**
 * cgroup v2 id -> cgroup path -> container id -> pod. The kernel reports the cgroup v2 id
 * (the inode number of the cgroup's directory); the path tells the container runtime:
 *   containerd (Kubernetes, systemd driver)  .../kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope
 *   containerd (cgroupfs driver)             /kubepods/burstable/pod<uid>/<id>
 *   CRI-O                                    .../kubepods-pod<uid>.slice/crio-<id>.scope (or crio-conmon-<id>)
 *   Docker                                   /system.slice/docker-<id>.scope or /docker/<id>
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ContainerRef {
  runtime: 'containerd' | 'cri-o' | 'docker' | 'unknown';
  containerId: string;
  /** Kubernetes pod UID (dashes restored) when the path shows a kubepods slice. */
  podUid?: string;
}

const HEX64 = '[0-9a-f]{64}';
const podUidRe = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/;

/** Reads the container (and pod) a cgroup path belongs to; undefined when it is not a container's. */
export function parseCgroupPath(cgPath: string): ContainerRef | undefined {
  const podMatch = podUidRe.exec(cgPath);
  const podUid = podMatch ? podMatch[1]!.replace(/_/g, '-') : undefined;
  const last = cgPath.split('/').filter(Boolean).pop() ?? '';
  const forms: [RegExp, ContainerRef['runtime']][] = [
    [new RegExp(`^cri-containerd-(${HEX64})\\.scope$`), 'containerd'],
    [new RegExp(`^crio-(?:conmon-)?(${HEX64})\\.scope$`), 'cri-o'],
    [new RegExp(`^docker-(${HEX64})\\.scope$`), 'docker'],
    [new RegExp(`^libpod-(?:conmon-)?(${HEX64})\\.scope$`), 'unknown'],
  ];
  for (const [re, runtime] of forms) {
    const m = re.exec(last);
    if (m) return { runtime, containerId: m[1]!, ...(podUid ? { podUid } : {}) };
  }
  const bare = new RegExp(`^(${HEX64})$`).exec(last);
  if (bare) {
    const parts = cgPath.split('/').filter(Boolean);
    const runtime: ContainerRef['runtime'] = parts.includes('docker') ? 'docker' : parts.some((p) => p.startsWith('kubepods')) ? 'containerd' : 'unknown';
    return { runtime, containerId: bare[1]!, ...(podUid ? { podUid } : {}) };
  }
  return undefined;
}

/** The systemd unit a cgroup path names (e.g. "nginx.service"), if any. */
export function serviceOf(cgPath: string): string | undefined {
  const last = cgPath.split('/').filter(Boolean).pop() ?? '';
  return /\.service$/.test(last) ? last : undefined;
}

/** Where cgroup v2 is mounted: the unified hierarchy of a hybrid system, else /sys/fs/cgroup. */
export function cgroup2Root(): string {
  for (const c of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
    if (fs.existsSync(path.join(c, 'cgroup.procs')) && fs.existsSync(path.join(c, 'cgroup.subtree_control')) || fs.existsSync(path.join(c, 'cgroup.controllers'))) return c;
  }
  return '/sys/fs/cgroup';
}

/**
 * cgroup id -> path, by walking the cgroup v2 tree (a directory's inode number is its id).
 * Rebuilt at most once per `minRefreshMs` when an unknown id shows up; bounded in size.
 */
export class CgroupResolver {
  private byId = new Map<string, string>();
  private lastWalk = 0;
  constructor(
    private readonly root = cgroup2Root(),
    private readonly minRefreshMs = 1000,
    private readonly maxEntries = 100_000,
  ) {}

  pathOf(id: string): string | undefined {
    const hit = this.byId.get(id);
    if (hit !== undefined) return hit;
    if (Date.now() - this.lastWalk < this.minRefreshMs) return undefined;
    this.walk();
    return this.byId.get(id);
  }

  private walk(): void {
    this.lastWalk = Date.now();
    const next = new Map<string, string>();
    const stack: string[] = [this.root];
    while (stack.length > 0 && next.size < this.maxEntries) {
      const dir = stack.pop()!;
      let st: fs.BigIntStats;
      try {
        st = fs.statSync(dir, { bigint: true });
      } catch {
        continue;
      }
      next.set(st.ino.toString(), '/' + path.relative(this.root, dir));
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) if (e.isDirectory()) stack.push(path.join(dir, e.name));
    }
    this.byId = next;
  }
}
