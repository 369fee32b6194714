/** Builds the GraphQL schema from the type-graphql resolvers; schema.graphql is printed from this. */
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth.js';
import { AgentConnectionResolver, AgentResolver } from './agent.resolver.js';
import { AgentExtrasResolver } from './agent-extras.resolver.js';
import { BaselineResolver } from './baseline.resolver.js';
import { ConsoleResolver } from './console.resolver.js';
import { DriftResolver } from './drift.resolver.js';
import { EstateResolver } from './estate.resolver.js';
import { AgentFindingsResolver, FindingResolver } from './finding.resolver.js';
import { HealthResolver } from './health.resolver.js';
import { MutationResolver } from './mutation.resolver.js';
import { NodeResolver } from './node.resolver.js';
import { RiskResolver } from './risk.resolver.js';
import { HUB_ONLY_PUBSUB, SubscriptionResolver } from './subscription.resolver.js';

export const resolvers = [HealthResolver, EstateResolver, DriftResolver, ConsoleResolver, BaselineResolver, MutationResolver, AgentExtrasResolver, SubscriptionResolver, FindingResolver, AgentFindingsResolver, AgentResolver, AgentConnectionResolver, RiskResolver, NodeResolver] as const;

export async function buildApiSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, authChecker, validate: false, pubSub: HUB_ONLY_PUBSUB });
}

/** The committed SDL: sorted, with a generated-file header. */
export async function printApiSchema(): Promise<string> {
  const sdl = printSchema(lexicographicSortSchema(await buildApiSchema()));
  return `# Generated from the type-graphql resolvers by \`npm run schema:emit\`; do not edit.\n\n${sdl}\n`;
}
