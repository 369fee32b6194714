/** A small GraphQL/HTTP client for API integration tests: real requests over loopback to a running server. */

export interface GqlError {
  message: string;
  extensions?: { code?: string; stacktrace?: unknown };
  path?: (string | number)[];
}
export interface GqlAnswer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: GqlError[] };
}

/** POSTs one GraphQL operation to `${base}graphql` with an optional bearer credential. */
export async function gql(base: string, query: string, opts: { credential?: string; variables?: Record<string, unknown>; operationName?: string; headers?: Record<string, string> } = {}): Promise<GqlAnswer> {
  const res = await fetch(new URL('graphql', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.credential ? { authorization: `Bearer ${opts.credential}` } : {}), ...opts.headers },
    body: JSON.stringify({ query, variables: opts.variables, operationName: opts.operationName }),
  });
  const text = await res.text();
  let body: GqlAnswer['body'];
  try {
    body = JSON.parse(text) as GqlAnswer['body'];
  } catch {
    throw new Error(`not a JSON answer (HTTP ${res.status}): ${text.slice(0, 300)}`);
  }
  return { status: res.status, headers: res.headers, body };
}

/** GETs a path with an optional bearer credential. */
export async function get(base: string, path: string, credential?: string): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(new URL(path, base), { headers: credential ? { authorization: `Bearer ${credential}` } : {} });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The first error code of an answer, if any. */
export function codeOf(a: GqlAnswer): string | undefined {
  return a.body.errors?.[0]?.extensions?.code;
}
