import type { LabelDef, RelDef } from './core.js';

/** AI-BOM labels: agents, models, MCP servers and tools, inference servers, vector stores. */
export const aibomLabels = [
  { label: 'AIAgent', doc: 'An AI agent: the subject of blast radius and gaps (id = stable agent name). A scanned agent keeps its declared state for change detection: modelRefs, promptHash, configHash (short sha256 hashes; prompt and config text are never stored), promptFiles.' },
  { label: 'AIModel', doc: 'A model or model artifact (id = provider/name or file digest).' },
  { label: 'AgentFramework', doc: 'An agent framework package such as langchain (id = ecosystem/name@version).' },
  { label: 'MCPServer', doc: 'A Model Context Protocol server (id = name or URL).' },
  { label: 'MCPTool', doc: 'A tool an MCP server offers (id = server id + "/" + tool name). Descriptions are untrusted text.' },
  { label: 'InferenceServer', doc: 'A model-serving endpoint (id = the URL an agent config names, or `<workload id>/<container>` when the Kubernetes collector detects it, each attribute rated declared, inferred or unresolved).' },
  { label: 'VectorStore', doc: 'A vector database or index (id = URL or name, or `<workload id>/<container>` when the Kubernetes collector detects it).' },
  { label: 'AICapability', doc: 'What an MCP tool grants: filesystem (a root or *), shell, network, secrets (id = capability + ":" + target).' },
  { label: 'AIFinding', doc: 'An AI-BOM finding (id = "aibom:" + rule + ":" + subject id): unpinned model, changed, shadowed or injection-like MCP tool, broad MCP server reach.' },
] as const satisfies readonly LabelDef[];

export const aibomRels = [
  { type: 'MAY_USE_TOOL', family: 'declared', doc: 'An agent is configured with an MCP server or tool; a Bedrock agent with its action groups and knowledge bases (kind, enabled).' },
  { type: 'MAY_INVOKE', family: 'declared', doc: 'An agent is configured to call a model or inference server; a Bedrock knowledge base calls its embedding model; a Bedrock action group invokes its Lambda function.' },
  {
    type: 'DID_CALL_TOOL',
    family: 'observed',
    doc: 'An agent called an MCP tool, seen by `reachgraph mcp proxy` on the stdio stream (AIAgent -> MCPTool, the AI-BOM\'s tool id). Props: count, errors (error answers), server (MCPServer id), firstSeen, lastSeen. Never arguments or results.',
  },
  { type: 'OFFERS', family: 'structural', doc: 'An MCP server offers a tool.' },
  { type: 'RUNS_ON', family: 'structural', doc: 'An agent, MCP server or inference server runs in a workload; a Bedrock agent\'s AIAgent on its AWSBedrockAgent.' },
  { type: 'USES_IDENTITY', family: 'structural', doc: 'An agent acts with an identity: service account, IAM role (a Bedrock agent: its service role), user.' },
  { type: 'BUILT_WITH', family: 'structural', doc: 'An agent is built with a framework.' },
  { type: 'GRANTS_CAPABILITY', family: 'structural', doc: 'An MCP tool (or server, by how it is launched) grants a capability.' },
  { type: 'AFFECTS', family: 'structural', doc: 'A finding is about a node.' },
] as const satisfies readonly RelDef[];
