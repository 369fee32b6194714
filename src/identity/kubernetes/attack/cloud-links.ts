/**
 * Cloud identities a service account is linked to by annotation (workload identity federation):
 * - AWS IRSA: `eks.amazonaws.com/role-arn` → the IAM role (graph id = the ARN, joining the AWS collector's AWSRole)
 * - GKE Workload Identity: `iam.gke.io/gcp-service-account` → a GCP service account
 * - Azure Workload Identity: `azure.workload.identity/client-id` (+ optional `tenant-id`) → an Entra application
 * Annotation values are untrusted text: a value that does not have the expected shape is reported, not linked.
 */
export type CloudLink =
  | { provider: 'aws'; roleArn: string; annotation: string }
  | { provider: 'gcp' | 'azure'; identity: string; annotation: string };

export interface CloudLinkProblem {
  annotation: string;
  problem: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const GCP_SA = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.iam\.gserviceaccount\.com$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function cloudLinks(annotations: Record<string, string> | undefined | null): { links: CloudLink[]; problems: CloudLinkProblem[] } {
  const a = annotations ?? {};
  const links: CloudLink[] = [];
  const problems: CloudLinkProblem[] = [];
  const irsa = a['eks.amazonaws.com/role-arn'];
  if (irsa !== undefined) {
    if (ROLE_ARN.test(irsa.trim())) links.push({ provider: 'aws', roleArn: irsa.trim(), annotation: 'eks.amazonaws.com/role-arn' });
    else problems.push({ annotation: 'eks.amazonaws.com/role-arn', problem: 'not an IAM role ARN' });
  }
  const gcp = a['iam.gke.io/gcp-service-account'];
  if (gcp !== undefined) {
    if (GCP_SA.test(gcp.trim())) links.push({ provider: 'gcp', identity: `gcp:${gcp.trim()}`, annotation: 'iam.gke.io/gcp-service-account' });
    else problems.push({ annotation: 'iam.gke.io/gcp-service-account', problem: 'not a GCP service account e-mail' });
  }
  const az = a['azure.workload.identity/client-id'];
  if (az !== undefined) {
    const tenant = a['azure.workload.identity/tenant-id'];
    if (UUID.test(az.trim()) && (tenant === undefined || UUID.test(tenant.trim()))) {
      links.push({ provider: 'azure', identity: `azure:${tenant ? `${tenant.trim()}/` : ''}${az.trim()}`, annotation: 'azure.workload.identity/client-id' });
    } else problems.push({ annotation: 'azure.workload.identity/client-id', problem: 'client-id/tenant-id is not a UUID' });
  }
  return { links, problems };
}
