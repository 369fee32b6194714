import type { LabelDef, RelDef } from './core.js';

/** Stored risk-engine results (docs/risk.md, "Stored findings"). Written by `reachgraph findings --refresh` and `findings accept`. */
export const riskLabels = [
  {
    label: 'Finding',
    doc: 'A catalog finding kept between runs (id = ruleId + "-" + 20 hex of sha256(ruleId, subject label, subject id, target)): ruleId, title, severity, priority, subjectLabel, subjectId, target, entry, exercised, path (JSON hops), frameworks[] ("framework id name"), frameworkKeys[] (lower-case, for filters), status open|accepted|resolved, firstSeen, lastSeen, resolvedAt, acceptedUntil, refreshId.',
  },
  { label: 'RiskAcceptance', doc: 'One decision to accept a finding\'s risk (id = random): by (principal or CLI user), at, reason, expires, findingId. Never changed or deleted: the audit trail.' },
] as const satisfies readonly LabelDef[];

export const riskRels = [
  { type: 'FINDING_OF', family: 'structural', doc: 'A Finding is about an AIAgent (its subject); the refresh also sets the agent\'s riskScore, openFindings and riskScoreAt.' },
  { type: 'ACCEPTS', family: 'structural', doc: 'A RiskAcceptance accepts a Finding\'s risk until its expiry.' },
] as const satisfies readonly RelDef[];
