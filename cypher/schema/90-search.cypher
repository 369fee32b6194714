// The API's search (issue 14, docs/api.md): one full-text index over the ids and names of the labels a
// user looks for by name. Created once by name (IF NOT EXISTS): changing the label list needs a new index
// name and a GRAPH_MODEL_VERSION bump, since an existing index is never altered.
CREATE FULLTEXT INDEX search_id_name_v1 IF NOT EXISTS
FOR (n:AIAgent|AIModel|MCPServer|MCPTool|InferenceServer|VectorStore|Workload|Host|DNSName|Executable|K8sCluster|K8sNamespace|K8sWorkload|K8sPod|K8sNode|K8sServiceAccount|K8sRole|K8sClusterRole|K8sSecret|K8sService|K8sNetworkPolicy|AWSAccount|AWSUser|AWSGroup|AWSRole|AWSPolicy|AWSS3Bucket|AWSSecret|AWSKMSKey|AWSDynamoDBTable|AWSLambdaFunction|AWSECRRepository|AWSSageMakerModel|AWSSageMakerEndpoint)
ON EACH [n.id, n.name]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-no-stop-words', `fulltext.eventually_consistent`: false } };
