/**
 * The Agent object of the API and the small types other areas share (Identity, PageInfo). Fields that
 * need more than the AIAgent node (identities, edge counts, blast radius, gaps; findings, AI-BOM and
 * drift from other areas) are added by field resolvers, so this class holds only what one row gives.
 * Those row fields, and the connection's own fields, cost 0 in the cost guard: `agents` costs its page
 * size times its per-agent selection, and only what reaches Neo4j per agent should count there.
 */
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

@ObjectType({ description: 'A node a subject acts as, or any node named by label and id.' })
export class Identity {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The node label (AIAgent, K8sPod, K8sWorkload, K8sServiceAccount, AWSRole, Workload, …).' })
  label!: string;
}

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean, { complexity: 0 })
  hasNextPage!: boolean;

  @Field(() => Boolean, { complexity: 0 })
  hasPreviousPage!: boolean;

  @Field(() => String, { complexity: 0, nullable: true })
  startCursor!: string | null;

  @Field(() => String, { complexity: 0, nullable: true })
  endCursor!: string | null;
}

@ObjectType({ description: 'An AI agent (an AIAgent node of the AI-BOM) and what it acts as.' })
export class Agent {
  @Field(() => ID, { complexity: 0, description: 'The AIAgent id.' })
  id!: string;

  @Field(() => String, { complexity: 0 })
  name!: string;

  @Field(() => String, { complexity: 0, description: 'AIAgent; when agent(id) named another subject the CLI accepts (a pod, workload, service account, IAM principal or sensor Workload), its label.' })
  label!: string;

  @Field(() => Float, { complexity: 0, description: 'Runtime-weighted risk stored by the findings refresh; 0 before one.' })
  riskScore!: number;

  @Field(() => Boolean, { complexity: 0, description: 'Has runtime observations: a sensor Workload joined to it.' })
  observed!: boolean;
}

@ObjectType({ description: 'One agent of a page.' })
export class AgentEdge {
  @Field(() => String, { complexity: 0, description: 'Opaque; pass as `after` for the next page.' })
  cursor!: string;

  @Field(() => Agent, { complexity: 0 })
  node!: Agent;
}

@ObjectType({ description: 'A page of agents (Relay connection).' })
export class AgentConnection {
  @Field(() => [AgentEdge], { complexity: 0 })
  edges!: AgentEdge[];

  @Field(() => PageInfo, { complexity: 0 })
  pageInfo!: PageInfo;

  @Field(() => Int, { complexity: 0, description: 'Agents matching the filter, all pages.' })
  totalCount!: number;
}

/** Page order. */
export enum AgentOrder {
  RISK_DESC = 'RISK_DESC',
  NAME_ASC = 'NAME_ASC',
}
registerEnumType(AgentOrder, { name: 'AgentOrder', description: 'RISK_DESC: highest riskScore first (missing = 0), then by id; NAME_ASC: by name, then id.' });

@InputType({ description: 'Narrows `agents`; all given conditions must hold.' })
export class AgentFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of id or name.' })
  text?: string | null;

  @Field(() => String, { nullable: true, description: 'Runs in this Kubernetes namespace.' })
  namespace?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Has (true) or has no (false) open findings stored.' })
  hasFindings?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  observed?: boolean | null;
}
