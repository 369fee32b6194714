/**
 * Stored findings in the API (docs/risk.md, "Stored findings"): the Finding object, its framework
 * references and risk acceptances, the findings connection and its filter. Resolvers in finding.resolver.ts.
 */
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Identity, PageInfo } from './agent.type.js';
import { Hop } from './risk.type.js';

@ObjectType({ description: 'A control of a framework a finding is evidence against (cypher/findings/catalog.json).' })
export class FrameworkRef {
  @Field(() => String, { description: 'owasp-llm, owasp-agentic, soc2, pci-dss or hipaa.' })
  framework!: string;

  @Field(() => String, { description: 'The control id: LLM06:2025, ASI03, CC6.1, 7.2.1, 164.312(a)(1).' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The control name where the framework gives one (OWASP items).' })
  name!: string | null;
}

@ObjectType({ description: 'One decision to accept a finding\'s risk until a date; kept for good (the audit trail).' })
export class RiskAcceptance {
  @Field(() => String, { description: 'Who accepted: the API principal\'s name, or cli:USER@HOST.' })
  by!: string;

  @Field(() => DateTimeResolver)
  at!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => DateTimeResolver, { description: 'The finding reads open again after this instant.' })
  expires!: string;
}

@ObjectType({ description: 'A catalog finding stored by `reachgraph findings --refresh`, with its status and history.' })
export class Finding {
  @Field(() => ID, { description: 'Stable across refreshes: the rule id and a hash of rule, subject label and id, and target.' })
  id!: string;

  @Field(() => String, { description: 'The catalog id (RG-NNN).' })
  ruleId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'critical, high, medium or low.' })
  severity!: string;

  @Field(() => Int, { description: '0–100: severity weight × 10 × (1 exercised, else 0.6) × (1.25 entry point).' })
  priority!: number;

  @Field(() => Identity, { description: 'The agent (subject) the finding is about.' })
  subject!: Identity;

  @Field(() => String, { description: 'Id of what the subject reaches (or uses, opens).' })
  target!: string;

  @Field(() => Boolean, { description: 'The subject is an entry point.' })
  entry!: boolean;

  @Field(() => Boolean, { description: 'Runtime evidence shows the risky access in use.' })
  exercised!: boolean;

  @Field(() => [Hop], { description: 'The evidence path from the subject, as found by the last refresh that found it.' })
  path!: Hop[];

  @Field(() => [FrameworkRef])
  frameworks!: FrameworkRef[];

  @Field(() => String, { description: 'open, accepted (an acceptance runs past now) or resolved (a complete refresh no longer found it); computed when read.' })
  status!: string;

  @Field(() => RiskAcceptance, { nullable: true, description: 'The latest acceptance (it governs), running or expired; null when never accepted.' })
  acceptance!: RiskAcceptance | null;

  @Field(() => [RiskAcceptance], { description: 'Every acceptance, newest first.' })
  acceptances!: RiskAcceptance[];

  @Field(() => DateTimeResolver, { description: 'The refresh that first found it.' })
  firstSeen!: string;

  @Field(() => DateTimeResolver, { description: 'The last refresh that found it.' })
  lastSeen!: string;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When a complete refresh no longer found it (null unless resolved).' })
  resolvedAt!: string | null;
}

@ObjectType({ description: 'One finding of a page.' })
export class FindingEdge {
  @Field(() => String, { description: 'Opaque; pass as `after` for the next page.' })
  cursor!: string;

  @Field(() => Finding)
  node!: Finding;
}

@ObjectType({ description: 'A page of stored findings, highest priority first (Relay connection).' })
export class FindingConnection {
  @Field(() => [FindingEdge])
  edges!: FindingEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Findings matching the filter, all pages.' })
  totalCount!: number;
}

@InputType({ description: 'Narrows `findings`; all given conditions must hold.' })
export class FindingFilter {
  @Field(() => [String], { nullable: true, description: 'Any of these severities: critical, high, medium, low.' })
  severity?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A framework (owasp-llm, owasp-agentic, soc2, pci-dss, hipaa) or a control id (LLM06, LLM06:2025, ASI03, CC6.1), case-insensitive.' })
  framework?: string | null;

  @Field(() => String, { nullable: true, description: 'The AIAgent id the findings are about.' })
  agent?: string | null;

  @Field(() => String, { nullable: true, description: 'open, accepted or resolved.' })
  status?: string | null;
}
