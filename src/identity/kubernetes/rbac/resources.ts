/**
 * Built-in resource names as kubectl's discovery resolves them (Kubernetes 1.34), so that
 * `rbac can … deployments` asks about `deployments.apps` exactly as `kubectl auth can-i` does.
 * Order follows the API server's group priority, so an ambiguous name (`events`) resolves to the
 * group kubectl picks (the core group first).
 */
import { InputError } from '../../../errors.js';

export interface BuiltinResource {
  resource: string;
  group: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
}

const R = (resource: string, group: string, namespaced: boolean, kind: string, shortNames?: string[]): BuiltinResource =>
  shortNames ? { resource, group, namespaced, kind, shortNames } : { resource, group, namespaced, kind };

/** Kubernetes 1.34 built-in resources, in discovery priority order. */
export const BUILTIN_RESOURCES: readonly BuiltinResource[] = [
  R('bindings', '', true, 'Binding'),
  R('componentstatuses', '', false, 'ComponentStatus', ['cs']),
  R('configmaps', '', true, 'ConfigMap', ['cm']),
  R('endpoints', '', true, 'Endpoints', ['ep']),
  R('events', '', true, 'Event', ['ev']),
  R('limitranges', '', true, 'LimitRange', ['limits']),
  R('namespaces', '', false, 'Namespace', ['ns']),
  R('nodes', '', false, 'Node', ['no']),
  R('persistentvolumeclaims', '', true, 'PersistentVolumeClaim', ['pvc']),
  R('persistentvolumes', '', false, 'PersistentVolume', ['pv']),
  R('pods', '', true, 'Pod', ['po']),
  R('podtemplates', '', true, 'PodTemplate'),
  R('replicationcontrollers', '', true, 'ReplicationController', ['rc']),
  R('resourcequotas', '', true, 'ResourceQuota', ['quota']),
  R('secrets', '', true, 'Secret'),
  R('serviceaccounts', '', true, 'ServiceAccount', ['sa']),
  R('services', '', true, 'Service', ['svc']),
  R('mutatingwebhookconfigurations', 'admissionregistration.k8s.io', false, 'MutatingWebhookConfiguration'),
  R('validatingadmissionpolicies', 'admissionregistration.k8s.io', false, 'ValidatingAdmissionPolicy'),
  R('validatingadmissionpolicybindings', 'admissionregistration.k8s.io', false, 'ValidatingAdmissionPolicyBinding'),
  R('validatingwebhookconfigurations', 'admissionregistration.k8s.io', false, 'ValidatingWebhookConfiguration'),
  R('customresourcedefinitions', 'apiextensions.k8s.io', false, 'CustomResourceDefinition', ['crd', 'crds']),
  R('apiservices', 'apiregistration.k8s.io', false, 'APIService'),
  R('controllerrevisions', 'apps', true, 'ControllerRevision'),
  R('daemonsets', 'apps', true, 'DaemonSet', ['ds']),
  R('deployments', 'apps', true, 'Deployment', ['deploy']),
  R('replicasets', 'apps', true, 'ReplicaSet', ['rs']),
  R('statefulsets', 'apps', true, 'StatefulSet', ['sts']),
  R('selfsubjectreviews', 'authentication.k8s.io', false, 'SelfSubjectReview'),
  R('tokenreviews', 'authentication.k8s.io', false, 'TokenReview'),
  R('localsubjectaccessreviews', 'authorization.k8s.io', true, 'LocalSubjectAccessReview'),
  R('selfsubjectaccessreviews', 'authorization.k8s.io', false, 'SelfSubjectAccessReview'),
  R('selfsubjectrulesreviews', 'authorization.k8s.io', false, 'SelfSubjectRulesReview'),
  R('subjectaccessreviews', 'authorization.k8s.io', false, 'SubjectAccessReview'),
  R('horizontalpodautoscalers', 'autoscaling', true, 'HorizontalPodAutoscaler', ['hpa']),
  R('cronjobs', 'batch', true, 'CronJob', ['cj']),
  R('jobs', 'batch', true, 'Job'),
  R('certificatesigningrequests', 'certificates.k8s.io', false, 'CertificateSigningRequest', ['csr']),
  R('leases', 'coordination.k8s.io', true, 'Lease'),
  R('endpointslices', 'discovery.k8s.io', true, 'EndpointSlice'),
  R('flowschemas', 'flowcontrol.apiserver.k8s.io', false, 'FlowSchema'),
  R('prioritylevelconfigurations', 'flowcontrol.apiserver.k8s.io', false, 'PriorityLevelConfiguration'),
  R('ingressclasses', 'networking.k8s.io', false, 'IngressClass'),
  R('ingresses', 'networking.k8s.io', true, 'Ingress', ['ing']),
  R('ipaddresses', 'networking.k8s.io', false, 'IPAddress', ['ip']),
  R('networkpolicies', 'networking.k8s.io', true, 'NetworkPolicy', ['netpol']),
  R('servicecidrs', 'networking.k8s.io', false, 'ServiceCIDR'),
  R('runtimeclasses', 'node.k8s.io', false, 'RuntimeClass'),
  R('poddisruptionbudgets', 'policy', true, 'PodDisruptionBudget', ['pdb']),
  R('clusterrolebindings', 'rbac.authorization.k8s.io', false, 'ClusterRoleBinding'),
  R('clusterroles', 'rbac.authorization.k8s.io', false, 'ClusterRole'),
  R('rolebindings', 'rbac.authorization.k8s.io', true, 'RoleBinding'),
  R('roles', 'rbac.authorization.k8s.io', true, 'Role'),
  R('deviceclasses', 'resource.k8s.io', false, 'DeviceClass'),
  R('resourceclaims', 'resource.k8s.io', true, 'ResourceClaim'),
  R('resourceclaimtemplates', 'resource.k8s.io', true, 'ResourceClaimTemplate'),
  R('resourceslices', 'resource.k8s.io', false, 'ResourceSlice'),
  R('priorityclasses', 'scheduling.k8s.io', false, 'PriorityClass', ['pc']),
  R('csidrivers', 'storage.k8s.io', false, 'CSIDriver'),
  R('csinodes', 'storage.k8s.io', false, 'CSINode'),
  R('csistoragecapacities', 'storage.k8s.io', true, 'CSIStorageCapacity'),
  R('storageclasses', 'storage.k8s.io', false, 'StorageClass', ['sc']),
  R('volumeattachments', 'storage.k8s.io', false, 'VolumeAttachment'),
  R('volumeattributesclasses', 'storage.k8s.io', false, 'VolumeAttributesClass', ['vac']),
  R('events', 'events.k8s.io', true, 'Event', ['ev']),
];

/** A resource named as kubectl names it, resolved to SubjectAccessReview attributes. */
export interface ResolvedResource {
  resource: string;
  subresource: string;
  apiGroup: string;
  /** undefined when the name is not a built-in (a custom resource or a typo). */
  builtin: BuiltinResource | undefined;
  /** Set when kubectl would warn (unknown resource type). */
  warning?: string;
}

/**
 * `pods`, `pods/exec`, `deployments.apps`, `deployments.apps/scale`, `deploy`, `*`, `foos.example.com`.
 * Like kubectl: a bare name is looked up by plural, singular/kind (lower case) and short name; a name with a
 * group is taken as given; an unknown bare name is asked about in the core group with a warning.
 */
export function resolveResource(arg: string): ResolvedResource {
  const trimmed = arg.trim();
  if (trimmed === '') throw new InputError('RESOURCE is empty (expected e.g. pods, pods/exec, deployments.apps)');
  const slash = trimmed.indexOf('/');
  const head = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const subresource = slash < 0 ? '' : trimmed.slice(slash + 1);
  if (head === '') throw new InputError(`RESOURCE "${arg}" has no resource name before "/"`);
  if (head === '*') return { resource: '*', subresource, apiGroup: '', builtin: undefined };
  const dot = head.indexOf('.');
  const name = (dot < 0 ? head : head.slice(0, dot)).toLowerCase();
  const group = dot < 0 ? undefined : head.slice(dot + 1);
  if (group !== undefined) {
    // kubectl also accepts resource.version.group; strip a leading version segment when it names a built-in group.
    const versioned = /^v\d+((alpha|beta)\d+)?\./.exec(group);
    const g = versioned ? group.slice(versioned[0].length) : group;
    const b = BUILTIN_RESOURCES.find((x) => x.group === g && (x.resource === name || x.kind.toLowerCase() === name || x.shortNames?.includes(name)));
    return { resource: b?.resource ?? name, subresource, apiGroup: g, builtin: b };
  }
  const b =
    BUILTIN_RESOURCES.find((x) => x.resource === name) ??
    BUILTIN_RESOURCES.find((x) => x.kind.toLowerCase() === name) ??
    BUILTIN_RESOURCES.find((x) => x.shortNames?.includes(name));
  if (b) return { resource: b.resource, subresource, apiGroup: b.group, builtin: b };
  return { resource: name, subresource, apiGroup: '', builtin: undefined, warning: `the server doesn't have a resource type '${name}'` };
}
