import type { LabelDef, RelDef } from './core.js';

/** Kubernetes labels and relationships (issue: declared identity and network, Kubernetes). */
export const kubernetesLabels = [
  { label: 'K8sCluster', doc: 'A Kubernetes cluster (id = cluster name).' },
  { label: 'K8sNamespace', doc: 'A namespace (id = cluster/name).' },
  { label: 'K8sWorkload', doc: 'A pod controller: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob (id = cluster/ns/kind/name).' },
  { label: 'K8sPod', doc: 'A pod (id = cluster/ns/name).' },
  { label: 'K8sContainer', doc: 'A container of a pod (id = pod id + "/" + container name); image, securityContext facts.' },
  { label: 'K8sNode', doc: 'A node (id = cluster/name).' },
  { label: 'K8sServiceAccount', doc: 'A service account (id = cluster/ns/name).' },
  { label: 'K8sUser', doc: 'A user subject of RBAC (id = cluster/name).' },
  { label: 'K8sGroup', doc: 'A group subject of RBAC, implicit groups included (id = cluster/name).' },
  { label: 'K8sRole', doc: 'A Role (id = cluster/ns/name).' },
  { label: 'K8sClusterRole', doc: 'A ClusterRole (id = cluster/name).' },
  { label: 'K8sRoleBinding', doc: 'A RoleBinding (id = cluster/ns/name).' },
  { label: 'K8sClusterRoleBinding', doc: 'A ClusterRoleBinding (id = cluster/name).' },
  { label: 'K8sSecret', doc: 'A secret, metadata only: never its data (id = cluster/ns/name).' },
  { label: 'K8sConfigMap', doc: 'A config map, metadata only (id = cluster/ns/name).' },
  { label: 'K8sService', doc: 'A service (id = cluster/ns/name).' },
  { label: 'K8sEndpointSlice', doc: 'An EndpointSlice of a service (id = cluster/ns/name); its endpoints route to pods.' },
  { label: 'K8sNetworkPolicy', doc: 'A NetworkPolicy (id = cluster/ns/name).' },
  { label: 'IPBlock', doc: 'A CIDR outside the cluster reached by policy or observed traffic (id = CIDR).' },
  { label: 'CloudIdentity', doc: 'A non-AWS cloud identity linked from a service account: GCP service account, Azure client id (id = provider:identity).' },
] as const satisfies readonly LabelDef[];

export const kubernetesRels = [
  { type: 'MAY_CONNECT', family: 'declared', doc: 'NetworkPolicy allows traffic. Props: protocol (TCP/UDP/SCTP/ANY), port, endPort, basis, except; (x)->(:K8sCluster) and (:K8sCluster)->(x) are hub edges meaning "towards/from any pod", expanded on query.' },
  { type: 'MAY_ACT_AS', family: 'declared', doc: 'An RBAC attack edge: a subject may act with another identity. Props: method, evidence.' },
  { type: 'MAY_ACCESS', family: 'declared', doc: 'An RBAC grant: verbs on a resource. Props: verbs[], resources[], namespace.' },
  { type: 'IN_NAMESPACE', family: 'structural', doc: 'An object lives in a namespace.' },
  { type: 'OWNED_BY', family: 'structural', doc: 'Owner reference chain: pod to replicaset to deployment.' },
  { type: 'RUNS_AS', family: 'structural', doc: 'A pod runs as a service account.' },
  { type: 'SCHEDULED_ON', family: 'structural', doc: 'A pod runs on a node.' },
  { type: 'BINDS', family: 'structural', doc: 'A binding grants a role to a subject: (binding)-[:BINDS]->(subject), (binding)-[:GRANTS]->(role).' },
  { type: 'GRANTS', family: 'structural', doc: 'A binding references a role.' },
  { type: 'MAY_ESCALATE_TO', family: 'declared', doc: 'RBAC bind/escalate: a subject may grant itself a ClusterRole (cluster-wide) or any role of a namespace (K8sNamespace). Props: method, evidence.' },
  { type: 'HAS_CONTAINER', family: 'structural', doc: 'A pod has a container (init and ephemeral containers included).' },
  { type: 'ROUTES_TO', family: 'structural', doc: 'An EndpointSlice has an endpoint that targets a pod.' },
  {
    type: 'ADDRESS_OF',
    family: 'structural',
    doc: 'A network address belongs to a pod (pod IP, alone and with each container port), a Service (ClusterIP:port) or an EndpointSlice endpoint (address:port, to its target pod, else to the slice): (NetEndpoint)-[:ADDRESS_OF]->(x). The NetEndpoint ids are the sensor\'s (ip:port, [ip6]:port, or the address alone), so an observed DID_CONNECT/DID_ACCEPT joins the pod or Service behind it.',
  },
  { type: 'STORES_TOKEN_OF', family: 'structural', doc: 'A legacy kubernetes.io/service-account-token secret holds a token of a service account.' },
  { type: 'MOUNTS', family: 'structural', doc: 'A pod uses a secret or config map (volume, projected volume, env). Props: via.' },
  { type: 'MEMBER_OF', family: 'structural', doc: 'A service account is in its implicit groups (system:serviceaccounts, system:serviceaccounts:NS, system:authenticated).' },
  { type: 'LINKED_IDENTITY', family: 'structural', doc: 'A service account annotation names a cloud identity (IRSA role, GKE, Azure).' },
] as const satisfies readonly RelDef[];
