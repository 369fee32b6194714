import type { LabelDef, RelDef } from './core.js';

/** Observed runtime labels and relationships (issue 5: the eBPF runtime sensor, docs/sensor.md). */
export const runtimeLabels = [
  { label: 'Host', doc: 'A machine the sensor ran on (id = hostname, or the scope given to the sensor).' },
  {
    label: 'Workload',
    doc: 'A runtime subject (id = host/kind/name): kind pod (name = K8sPod id), container (runtime container id), agent (a process tree rooted at a named agent process), service (systemd unit), host (everything else).',
  },
  { label: 'Process', doc: 'An executed process (id = host/pid/start time in clock ticks since boot); argv is stored redacted.' },
  { label: 'Executable', doc: 'An executable path (id = path).' },
  { label: 'NetEndpoint', doc: 'A remote address and port (id = ip:port or [ip6]:port); a peer that connected in is the address alone (its port is ephemeral).' },
  { label: 'DNSName', doc: 'A DNS name asked (id = lower-case name).' },
  { label: 'File', doc: 'A watched file: credential, model weights, agent package (id = path as opened); class prop.' },
] as const satisfies readonly LabelDef[];

export const runtimeRels = [
  { type: 'DID_EXEC', family: 'observed', doc: 'A process or workload executed an executable. Props: count; a workload\'s edge is keyed by the parent executable (parentExecutable), the aggregate that outlives process lineage (docs/behavior.md).' },
  { type: 'DID_CONNECT', family: 'observed', doc: 'A workload connected to an endpoint. Key: executable|port/protocol. Props: port, protocol, executable, localAddress, count.' },
  { type: 'DID_ACCEPT', family: 'observed', doc: 'A workload accepted a connection from a peer. Key: executable|port/protocol. Props: port (local), protocol, executable, count.' },
  { type: 'DID_RESOLVE', family: 'observed', doc: 'A workload asked DNS for a name. Key: executable|qtype. Props: qtype, answers[], executable, count.' },
  { type: 'DID_OPEN', family: 'observed', doc: 'A workload opened (or tried to open) a watched file. Key: executable. Props: class, executable, count.' },
  { type: 'CHILD_OF', family: 'structural', doc: 'Process lineage: child process to parent process.' },
  { type: 'PART_OF', family: 'structural', doc: 'A process belongs to a workload; a workload maps to a K8sPod.' },
  { type: 'ON_HOST', family: 'structural', doc: 'A workload or an observation window (Coverage) is on a host.' },
  { type: 'COVERS', family: 'structural', doc: 'An observation window (Coverage) covered a workload, or (probe mcp, one `mcp proxy` session) an AIAgent\'s calls to one MCP server: absence of a DID_* edge inside it means "not seen", not "unknown".' },
] as const satisfies readonly RelDef[];
