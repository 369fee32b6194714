/**
 * The explorer talks to the API only through GraphQL at /graphql, with the key the user gave. The key
 * lives in sessionStorage (gone with the tab); it arrives either typed into the key form or in the
 * address's fragment (`/#key=…`, which browsers never send to a server), and is then removed from the
 * address bar and the history entry.
 */

const KEY = 'reachgraph.apiKey';

/** An error the API answered with: its message and stable code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Moves `key=…` from the fragment into sessionStorage and rewrites the address without it (the route stays). */
export function takeKeyFromFragment(): void {
  const frag = location.hash.replace(/^#/, '');
  const m = /(?:^|[&?])key=([^&]*)/.exec(frag);
  if (!m) return;
  setKey(decodeURIComponent(m[1]!));
  const rest = frag.replace(/(?:^|[&?])key=[^&]*/, '').replace(/^[&?]/, '');
  history.replaceState(null, '', `${location.pathname}${location.search}#${rest.startsWith('/') ? rest : `/${rest}`}`);
}

export function getKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setKey(key: string): void {
  sessionStorage.setItem(KEY, key.trim());
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
}

/** Called when the API says the key is missing or wrong (main.ts shows the key form). */
let onUnauthenticated: () => void = () => undefined;
export function whenUnauthenticated(f: () => void): void {
  onUnauthenticated = f;
}

/** Runs one GraphQL operation; the first error becomes an ApiError with its code. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const key = getKey();
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError(`the API answered ${res.status} without a JSON body`, 'BAD_RESPONSE');
  }
  const err = body.errors?.[0];
  if (err) {
    const code = err.extensions?.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED') onUnauthenticated();
    throw new ApiError(err.message, code);
  }
  if (!body.data) throw new ApiError(`the API answered ${res.status} without data`, 'BAD_RESPONSE');
  return body.data;
}

/** An agent as the overview lists it (the head of the agent view adds its identities). */
export interface AgentSummary {
  id: string;
  name: string;
  riskScore: number;
  observed: boolean;
  declaredEdgeCount: number;
  observedEdgeCount: number;
}

/** Evidence hop, as every path-bearing type of the API gives it. */
export interface Hop {
  type: string;
  from: string;
  to: string;
  declared: boolean;
  observed: boolean;
  props: Record<string, unknown> | null;
}

export const HOP_FIELDS = 'type from to declared observed props';
