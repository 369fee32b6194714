import type { LabelDef, RelDef } from './core.js';

/** Behavioural baselines and drift (issue 15, docs/behavior.md). Written by `reachgraph baseline` and `reachgraph drift`. */
export const behaviorLabels = [
  {
    label: 'Baseline',
    doc: 'What is normal for one subject (id = "baseline:" + subject id): state learning|locked, the learning window (windowFrom, windowTo), version, entry count and the coverage of the window (coverageComplete, coverageWindows, coverageLostWindows, coverageGaps).',
  },
  { label: 'BaselineEntry', doc: 'One observed edge a baseline holds (id = baseline id + "|" + kind + "|" + target): kind (exec, connect, accept, resolve, open, iam, mcp), target, count, firstSeen, lastSeen.' },
  {
    label: 'DriftEvent',
    doc: 'An observed edge outside a locked baseline (id = "drift:" + subject + "|v" + baseline version + "|" + kind + "|" + target): count, firstSeen, lastSeen, executable, lineage[], severity, score, classification explained|unexplained, certainty certain|uncertain, reasons[], coverage of its window.',
  },
  {
    label: 'DriftSummary',
    doc: 'What the latest drift run of a subject did not write as events, beyond the per-run cap (id = "drift-summary:" + subject + "|v" + baseline version): baselineVersion, cap, outside (edges outside the baseline), written, suppressed, suppressedExec … suppressedMcp; set, not added to, by every run.',
  },
  { label: 'StateChange', doc: 'A change of a subject\'s declared state (id = source-chosen): kind image|model|mcp-tool|prompt|config, at, before, after (image refs, model ids, or short sha256 hashes of a tool definition, prompt or config: never their text). Drift soon after one is classified explained.' },
] as const satisfies readonly LabelDef[];

export const behaviorRels = [
  { type: 'BASELINE_OF', family: 'structural', doc: 'A Baseline describes a subject (Workload, AWSRole, AIAgent, …).' },
  { type: 'HAS_ENTRY', family: 'structural', doc: 'A Baseline holds an entry.' },
  { type: 'ENTRY_TARGET', family: 'structural', doc: 'A BaselineEntry names the node its edge reached (Executable, NetEndpoint, DNSName, File, AWSAction, MCPTool).' },
  { type: 'DRIFT_OF', family: 'structural', doc: 'A DriftEvent happened to a subject.' },
  { type: 'DRIFT_TARGET', family: 'structural', doc: 'A DriftEvent names the node its new edge reached.' },
  { type: 'EVIDENCED_BY', family: 'structural', doc: 'A DriftEvent is evidenced by a Process (its lineage is kept past the retention window).' },
  { type: 'IN_WINDOW', family: 'structural', doc: 'A DriftEvent was seen in an observation window (Coverage).' },
  { type: 'EXPLAINED_BY', family: 'structural', doc: 'A DriftEvent falls within the correlation window after a StateChange.' },
  { type: 'DRIFT_SUMMARY_OF', family: 'structural', doc: 'A DriftSummary counts the drift of a subject beyond the per-run event cap.' },
  { type: 'CHANGED', family: 'structural', doc: 'A StateChange changed a subject (a K8sPod, K8sWorkload, Workload, AIAgent or MCPTool).' },
] as const satisfies readonly RelDef[];
