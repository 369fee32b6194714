// Purpose: the nodes with one id, whatever their label (ids are unique per label only), for node(id)
// without a label. One index seek per label of the graph model (every label has a unique id
// constraint): Neo4j 5.26 plans no index for a dynamic label (MATCH (n:$(l))), and a match without a
// label scans every node (55-65 ms on the 10,000-agent estate; this: 4-8 ms once planned). UNION, not
// UNION ALL: a node with two labels is one row. The labels the API does not serve (UNSERVED_LABELS in
// src/graph/model/core.ts: API keys, the ingest ledger, sync leases) have no branch;
// test/unit/graph/model.test.ts checks that the branches are exactly the others.
// Params: $id. Result: rows {node (elementId), id, labels, name, properties}, ordered by label, at most 20.
CALL () {
  MATCH (n:AIAgent {id: $id}) RETURN n
  UNION
  MATCH (n:AICapability {id: $id}) RETURN n
  UNION
  MATCH (n:AIFinding {id: $id}) RETURN n
  UNION
  MATCH (n:AIModel {id: $id}) RETURN n
  UNION
  MATCH (n:AWSAccount {id: $id}) RETURN n
  UNION
  MATCH (n:AWSAction {id: $id}) RETURN n
  UNION
  MATCH (n:AWSBedrockActionGroup {id: $id}) RETURN n
  UNION
  MATCH (n:AWSBedrockAgent {id: $id}) RETURN n
  UNION
  MATCH (n:AWSBedrockCustomModel {id: $id}) RETURN n
  UNION
  MATCH (n:AWSBedrockGuardrail {id: $id}) RETURN n
  UNION
  MATCH (n:AWSBedrockImportedModel {id: $id}) RETURN n
  UNION
  MATCH (n:AWSBedrockKnowledgeBase {id: $id}) RETURN n
  UNION
  MATCH (n:AWSDynamoDBTable {id: $id}) RETURN n
  UNION
  MATCH (n:AWSECRRepository {id: $id}) RETURN n
  UNION
  MATCH (n:AWSGroup {id: $id}) RETURN n
  UNION
  MATCH (n:AWSKMSKey {id: $id}) RETURN n
  UNION
  MATCH (n:AWSLambdaFunction {id: $id}) RETURN n
  UNION
  MATCH (n:AWSOIDCProvider {id: $id}) RETURN n
  UNION
  MATCH (n:AWSPolicy {id: $id}) RETURN n
  UNION
  MATCH (n:AWSResource {id: $id}) RETURN n
  UNION
  MATCH (n:AWSRole {id: $id}) RETURN n
  UNION
  MATCH (n:AWSS3Bucket {id: $id}) RETURN n
  UNION
  MATCH (n:AWSSageMakerEndpoint {id: $id}) RETURN n
  UNION
  MATCH (n:AWSSageMakerModel {id: $id}) RETURN n
  UNION
  MATCH (n:AWSSecret {id: $id}) RETURN n
  UNION
  MATCH (n:AWSServicePrincipal {id: $id}) RETURN n
  UNION
  MATCH (n:AWSUser {id: $id}) RETURN n
  UNION
  MATCH (n:AgentFramework {id: $id}) RETURN n
  UNION
  MATCH (n:Baseline {id: $id}) RETURN n
  UNION
  MATCH (n:BaselineEntry {id: $id}) RETURN n
  UNION
  MATCH (n:CloudIdentity {id: $id}) RETURN n
  UNION
  MATCH (n:Coverage {id: $id}) RETURN n
  UNION
  MATCH (n:DNSName {id: $id}) RETURN n
  UNION
  MATCH (n:DriftEvent {id: $id}) RETURN n
  UNION
  MATCH (n:DriftSummary {id: $id}) RETURN n
  UNION
  MATCH (n:Executable {id: $id}) RETURN n
  UNION
  MATCH (n:File {id: $id}) RETURN n
  UNION
  MATCH (n:Finding {id: $id}) RETURN n
  UNION
  MATCH (n:Host {id: $id}) RETURN n
  UNION
  MATCH (n:IPBlock {id: $id}) RETURN n
  UNION
  MATCH (n:InferenceServer {id: $id}) RETURN n
  UNION
  MATCH (n:K8sCluster {id: $id}) RETURN n
  UNION
  MATCH (n:K8sClusterRole {id: $id}) RETURN n
  UNION
  MATCH (n:K8sClusterRoleBinding {id: $id}) RETURN n
  UNION
  MATCH (n:K8sConfigMap {id: $id}) RETURN n
  UNION
  MATCH (n:K8sContainer {id: $id}) RETURN n
  UNION
  MATCH (n:K8sEndpointSlice {id: $id}) RETURN n
  UNION
  MATCH (n:K8sGroup {id: $id}) RETURN n
  UNION
  MATCH (n:K8sNamespace {id: $id}) RETURN n
  UNION
  MATCH (n:K8sNetworkPolicy {id: $id}) RETURN n
  UNION
  MATCH (n:K8sNode {id: $id}) RETURN n
  UNION
  MATCH (n:K8sPod {id: $id}) RETURN n
  UNION
  MATCH (n:K8sRole {id: $id}) RETURN n
  UNION
  MATCH (n:K8sRoleBinding {id: $id}) RETURN n
  UNION
  MATCH (n:K8sSecret {id: $id}) RETURN n
  UNION
  MATCH (n:K8sService {id: $id}) RETURN n
  UNION
  MATCH (n:K8sServiceAccount {id: $id}) RETURN n
  UNION
  MATCH (n:K8sUser {id: $id}) RETURN n
  UNION
  MATCH (n:K8sWorkload {id: $id}) RETURN n
  UNION
  MATCH (n:MCPServer {id: $id}) RETURN n
  UNION
  MATCH (n:MCPTool {id: $id}) RETURN n
  UNION
  MATCH (n:NetEndpoint {id: $id}) RETURN n
  UNION
  MATCH (n:Process {id: $id}) RETURN n
  UNION
  MATCH (n:RiskAcceptance {id: $id}) RETURN n
  UNION
  MATCH (n:SchemaVersion {id: $id}) RETURN n
  UNION
  MATCH (n:StateChange {id: $id}) RETURN n
  UNION
  MATCH (n:Sync {id: $id}) RETURN n
  UNION
  MATCH (n:VectorStore {id: $id}) RETURN n
  UNION
  MATCH (n:Workload {id: $id}) RETURN n
}
RETURN elementId(n) AS node, n.id AS id, labels(n) AS labels, n.name AS name, properties(n) AS properties
ORDER BY labels[0]
LIMIT 20
