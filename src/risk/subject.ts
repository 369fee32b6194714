/**
 * Subjects as users know them. Pure: turns the typed text into the parameters of
 * cypher/queries/risk/resolve-subject and picks the one candidate, or fails naming them all.
 */
import { InputError } from '../errors.js';

/** A resolved subject: the node a risk question starts from. */
export interface Subject {
  label: string;
  id: string;
  name: string;
}

/** Parameters of risk/resolve-subject for one typed subject. */
export interface SubjectParams {
  subject: string;
  ns: string | null;
  name: string | null;
  kind: string | null;
  saNs: string | null;
  saName: string | null;
}

/** Workload kinds as K8sWorkload ids spell them; the user may type any case. */
const KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'];

/**
 * `NS/NAME` → pod parts, `NS/KIND/NAME` → workload parts; any text is also tried as an exact id
 * (agent, sensor Workload, ARN, pod/workload/service-account id) and as a service-account username.
 */
export function subjectParams(text: string): SubjectParams {
  const subject = text.trim();
  if (subject === '') throw new InputError('SUBJECT: empty; give an AIAgent id, NS/NAME, NS/KIND/NAME, system:serviceaccount:NS:NAME, an IAM ARN or a sensor Workload id');
  const none = { subject, ns: null, name: null, kind: null, saNs: null, saName: null };
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject);
  if (sa) return { ...none, saNs: sa[1]!, saName: sa[2]! };
  const parts = subject.startsWith('arn:') || subject.startsWith('system:') ? [] : subject.split('/');
  if (parts.length === 2 && parts.every((p) => p !== '')) return { ...none, ns: parts[0]!, name: parts[1]! };
  const kind = parts.length === 3 ? KINDS.find((k) => k.toLowerCase() === parts[1]!.toLowerCase()) : undefined;
  if (parts.length === 3 && parts.every((p) => p !== '') && kind) return { ...none, ns: parts[0]!, kind, name: parts[2]! };
  return none;
}

/** The one candidate, or an InputError listing every candidate (ambiguous) or the accepted forms (unknown). */
export function pickSubject(text: string, candidates: readonly Subject[]): Subject {
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0)
    throw new InputError(
      `SUBJECT "${text}": no such subject in the graph; give an AIAgent id, a pod NS/NAME, a workload NS/KIND/NAME, a service account system:serviceaccount:NS:NAME, an IAM user or role ARN, or a sensor Workload id`,
    );
  const list = candidates.map((c) => `${c.label} ${c.id}`).join('; ');
  throw new InputError(`SUBJECT "${text}" is ambiguous: it names ${candidates.length} nodes (${list}); give one of these ids instead`);
}
