/** The AI-BOM of one agent as the API shows it (Agent.aiBom, agent-extras.resolver.ts). */
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One part of an agent\'s AI-BOM and what the sensor says about it.' })
export class AiBomComponent {
  @Field(() => ID, { description: 'The declared component\'s graph id (package ecosystem/name@version, model id, MCP server id, service URL), or kind:name for an undeclared one.' })
  id!: string;

  @Field(() => String, { description: 'package, model, llm-api, service, mcp-server or mcp-tool.' })
  kind!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  version!: string | null;

  @Field(() => String, {
    description: 'confirmed (declared and observed), undeclared (observed only), dormant (declared, not seen while the sensor watched the agent), declared (nothing to compare with: the agent has no sensor data, or the sensor cannot see this kind, e.g. MCP tools).',
  })
  status!: string;

  @Field(() => [String], { description: 'What the sensor saw: file paths, DNS names, redacted argv.' })
  observed!: string[];
}

@ObjectType({ description: 'An agent\'s declared AI-BOM next to what the sensor observed (docs/aibom.md, `reachgraph aibom diff`).' })
export class AiBom {
  @Field(() => [AiBomComponent])
  components!: AiBomComponent[];

  @Field(() => [String], { description: 'The undeclared components, as "kind name".' })
  undeclared!: string[];

  @Field(() => [String], { description: 'The dormant components, as "kind name".' })
  dormant!: string[];

  @Field(() => [String], { description: 'The sensor Workloads the agent was observed as; empty when it never was.' })
  workloads!: string[];
}
