/**
 * The API's root fields as the running server describes them (introspection), with the smallest
 * valid arguments for each: what the auth matrix and the hostile-argument tests enumerate, so a
 * field any helper adds is covered without touching those tests.
 */
import { gql } from './api-client.js';

export interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
export interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}
export interface Field {
  name: string;
  args: InputValue[];
  type: TypeRef;
}
export interface FullType {
  kind: string;
  name: string;
  fields: Field[] | null;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
}
export interface RootField extends Field {
  operation: 'query' | 'mutation' | 'subscription';
  parent: 'Query' | 'Mutation' | 'Subscription';
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
const INTROSPECTION = `query Introspect { __schema { queryType { name } mutationType { name } subscriptionType { name }
  types { kind name
    fields(includeDeprecated: true) { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } }
    inputFields { name defaultValue type { ${TYPE_REF} } }
    enumValues(includeDeprecated: true) { name } } } }`;

export interface SchemaInfo {
  types: Map<string, FullType>;
  roots: RootField[];
}

/** Introspects the running API (with an admin credential). */
export async function introspect(base: string, credential: string): Promise<SchemaInfo> {
  const r = await gql(base, INTROSPECTION, { credential });
  if (r.body.errors) throw new Error(`introspection failed: ${JSON.stringify(r.body.errors)}`);
  const schema = (r.body.data as { __schema: { queryType: { name: string } | null; mutationType: { name: string } | null; subscriptionType: { name: string } | null; types: FullType[] } }).__schema;
  const types = new Map(schema.types.map((t) => [t.name, t]));
  const roots: RootField[] = [];
  for (const [operation, parent, root] of [
    ['query', 'Query', schema.queryType],
    ['mutation', 'Mutation', schema.mutationType],
    ['subscription', 'Subscription', schema.subscriptionType],
  ] as const)
    for (const f of (root && types.get(root.name)?.fields) || []) roots.push({ ...f, operation, parent });
  return { types, roots };
}

/** The named type under NON_NULL and LIST wrappers. */
export function named(t: TypeRef): TypeRef {
  return t.ofType ? named(t.ofType) : t;
}

/** A literal of type `t`: zero-ish values, one list element, required input fields only. */
export function literal(t: TypeRef, types: Map<string, FullType>, depth = 0): string {
  if (t.kind === 'NON_NULL') return literal(t.ofType!, types, depth);
  if (t.kind === 'LIST') return `[${literal(t.ofType!, types, depth)}]`;
  if (t.kind === 'ENUM') return types.get(t.name!)!.enumValues![0]!.name;
  if (t.kind === 'INPUT_OBJECT') {
    if (depth > 5) return '{}';
    const fields = (types.get(t.name!)!.inputFields ?? []).filter((f) => f.type.kind === 'NON_NULL' && f.defaultValue === null);
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, types, depth + 1)}`).join(', ')} }`;
  }
  switch (t.name) {
    case 'Int':
      return '1';
    case 'Float':
      return '1.0';
    case 'Boolean':
      return 'false';
    case 'DateTime':
      return '"2030-01-01T00:00:00.000Z"';
    case 'JSON':
    case 'JSONObject':
      return '{}';
    default:
      return '"x"';
  }
}

/** The required arguments of a field as `(a: 1, b: "x")`, or '' when it has none. */
export function requiredArgs(f: Field, types: Map<string, FullType>): string {
  const req = f.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
  return req.length ? `(${req.map((a) => `${a.name}: ${literal(a.type, types)}`).join(', ')})` : '';
}

/** The smallest selection of a field's result: `{ __typename }` for composite types, nothing for leaves. */
export function selection(f: Field, types: Map<string, FullType>): string {
  const kind = types.get(named(f.type).name!)?.kind;
  return kind === 'OBJECT' || kind === 'INTERFACE' || kind === 'UNION' ? '{ __typename }' : '';
}

/** One operation calling one root field with `args` (`(a: 1)` or ''), optionally with variable definitions. */
export function operationFor(f: RootField, args: string, types: Map<string, FullType>, varDefs = ''): string {
  return `${f.operation} Op${varDefs} { ${f.name}${args} ${selection(f, types)} }`;
}
