/**
 * Who did it: kernel facts (cgroup id, workload tag) -> a Workload.
 *   1. a container's cgroup -> its pod (joined with the Kubernetes collector's K8sPod by pod UID
 *      or container id), else the container itself;
 *   2. a process tree rooted at the named agent process (the kernel tags the tree) -> the agent;
 *   3. a systemd service's cgroup -> the service;
 *   4. anything else -> the host.
 */
import type { PropValue } from '../graph/records.js';
import { parseCgroupPath, serviceOf, type ContainerRef } from './cgroup.js';

export type WorkloadKind = 'pod' | 'container' | 'agent' | 'service' | 'host';

export interface WorkloadRef {
  id: string;
  kind: WorkloadKind;
  name: string;
  props: Record<string, PropValue>;
  /** K8sPod id when the workload is a known pod. */
  podId?: string;
}

/** Finds pods for containers; the graph-backed one runs cypher/queries/runtime/find-pods-by-container. */
export type PodLookup = (refs: { key: string; podUid: string | null; containerId: string | null }[]) => Promise<Map<string, string>>;

export interface CgroupPaths {
  pathOf(id: string): string | undefined;
}

export interface AttributorOptions {
  host: string;
  agent?: string;
  cgroups: CgroupPaths;
  podLookup?: PodLookup;
}

export class Attributor {
  private readonly containers = new Map<string, ContainerRef | null>();
  private readonly pods = new Map<string, string | null>();

  constructor(private readonly opts: AttributorOptions) {}

  private container(cgroupId: string): ContainerRef | undefined {
    let c = this.containers.get(cgroupId);
    if (c === undefined) {
      const p = this.opts.cgroups.pathOf(cgroupId);
      if (p === undefined) return undefined; // unknown yet: do not cache, the walk may find it later
      c = parseCgroupPath(p) ?? null;
      this.containers.set(cgroupId, c);
    }
    return c ?? undefined;
  }

  /** Looks up the pods of containers not asked about before (one query per call). */
  async prepare(cgroupIds: Iterable<string>): Promise<void> {
    if (!this.opts.podLookup) return;
    const rows: { key: string; podUid: string | null; containerId: string | null }[] = [];
    for (const id of new Set(cgroupIds)) {
      const c = this.container(id);
      if (!c || this.pods.has(c.containerId)) continue;
      rows.push({ key: c.containerId, podUid: c.podUid ?? null, containerId: c.containerId });
    }
    if (rows.length === 0) return;
    const found = await this.opts.podLookup(rows);
    for (const r of rows) this.pods.set(r.key, found.get(r.key) ?? null);
  }

  workload(cgroupId: string, tag: number): WorkloadRef {
    const host = this.opts.host;
    const c = this.container(cgroupId);
    if (c) {
      const podId = this.pods.get(c.containerId) ?? undefined;
      const base: Record<string, PropValue> = { host, runtime: c.runtime, containerId: c.containerId, cgroupId };
      if (c.podUid) base.podUid = c.podUid;
      if (podId) return { id: `${host}/pod/${podId}`, kind: 'pod', name: podId, podId, props: { ...base, kind: 'pod', name: podId } };
      const name = c.containerId.slice(0, 12);
      return { id: `${host}/container/${name}`, kind: 'container', name, props: { ...base, kind: 'container', name } };
    }
    if (tag !== 0 && this.opts.agent) {
      const name = this.opts.agent;
      return { id: `${host}/agent/${name}`, kind: 'agent', name, props: { host, kind: 'agent', name } };
    }
    const p = this.opts.cgroups.pathOf(cgroupId);
    const svc = p ? serviceOf(p) : undefined;
    if (svc) return { id: `${host}/service/${svc}`, kind: 'service', name: svc, props: { host, kind: 'service', name: svc, cgroup: p! } };
    return { id: `${host}/host/${host}`, kind: 'host', name: host, props: { host, kind: 'host', name: host } };
  }
}
