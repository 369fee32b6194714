/** Builds the GraphQL schema from the type-graphql resolvers; schema.graphql is printed from this. */
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth.js';
import { DriftResolver } from './drift.resolver.js';
import { EstateResolver } from './estate.resolver.js';
import { HealthResolver } from './health.resolver.js';

export const resolvers = [HealthResolver, EstateResolver, DriftResolver] as const;

export async function buildApiSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, authChecker, validate: false });
}

/** The committed SDL: sorted, with a generated-file header. */
export async function printApiSchema(): Promise<string> {
  const sdl = printSchema(lexicographicSortSchema(await buildApiSchema()));
  return `# Generated from the type-graphql resolvers by \`npm run schema:emit\`; do not edit.\n\n${sdl}\n`;
}
