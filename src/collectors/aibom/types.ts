/**
 * What a declared AI-BOM scan finds. Plain data: `aibom scan` prints it, the transform turns it into
 * graph records, the exporter into CycloneDX. Secret values never appear here: MCP server env and
 * header *names* only, argv redacted.
 */
import type { ComponentKind, Ecosystem } from './catalog.js';

/** A project directory the scan attributes findings to; id is stable (directory name, or --agent for the root). */
export interface ScannedAgent {
  id: string;
  /** Relative to the scan root ('.' for the root). */
  dir: string;
  languages: ('node' | 'python')[];
  /** Short sha256 over the agent's prompt files' templates (prompt-files.ts); the text itself is never kept. */
  promptHash?: string;
  /** Short sha256 over the prompt files' front matter settings, model reference and secret-looking keys left out. */
  configHash?: string;
  /** The prompt files the hashes cover, relative to the scan root. */
  promptFiles?: string[];
}

/** An AI framework or SDK named by a manifest, lock file or BOM. */
export interface ScannedComponent {
  agent: string;
  ecosystem: Ecosystem;
  name: string;
  /** Exact version from a lock file or `==` pin; otherwise the declared range; null when unconstrained. */
  version: string | null;
  pinned: boolean;
  kind: ComponentKind;
  product: string;
  provider?: string;
  /** Where it was declared, relative to the scan root. */
  file: string;
}

/** A model: a weights file found on disk (with its digest), a machine-learning-model component of an imported BOM, or the model a prompt file names. */
export interface ScannedModel {
  agent: string;
  id: string;
  name: string;
  origin: 'file' | 'bom' | 'prompt';
  file: string;
  format?: string;
  sha256?: string;
  size?: number;
  version?: string;
  supplier?: string;
  /** Registry/org, provider or bucket the model comes from (model-source.ts); absent when nothing says. */
  source?: string;
  task?: string;
  architecture?: string;
  datasets?: string[];
}

/** One configured MCP server of one client config file. */
export interface ScannedMcpServer {
  agent: string;
  /** mcp/<agent>/<name>: stable across launch-spec changes, so a changed tool definition is seen as a change. */
  id: string;
  name: string;
  client: string;
  level: 'project' | 'user';
  file: string;
  transport: 'stdio' | 'http' | 'sse';
  command?: string;
  /** Redacted: flag values that look like secrets are replaced. */
  args?: string[];
  url?: string;
  envNames: string[];
  headerNames: string[];
}

/** An inference server or vector store a BOM declares as a service. */
export interface ScannedService {
  agent: string;
  label: 'InferenceServer' | 'VectorStore';
  id: string;
  name: string;
  engine: string;
  url?: string;
  file: string;
}

/** A file the scan could not read or understand; the rest of the scan still counts. */
export interface ScanError {
  file: string;
  message: string;
}

export interface AibomScan {
  root: string;
  agents: ScannedAgent[];
  components: ScannedComponent[];
  models: ScannedModel[];
  mcpServers: ScannedMcpServer[];
  services: ScannedService[];
  errors: ScanError[];
  /** True when at least one file failed: the result is what the other files said. */
  partial: boolean;
}
