/**
 * One error base with stable codes. GraphQL maps `code` to `extensions.code`; the CLI prints
 * `message` and exits with `exitCode`. Anything that is not a ReachgraphError is a fault and is
 * masked as internal at the API edge.
 */
export class ReachgraphError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options?.exitCode ?? 1;
  }
}

/** Bad input from a user or a file: names the input (file, line, field). */
export class InputError extends ReachgraphError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_INPUT', message, { ...options, exitCode: 2 });
  }
}

/** The ingest core refused or failed a batch. */
export class IngestError extends ReachgraphError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INGEST_FAILED', message, options);
  }
}

/** Neo4j is missing, unreachable or answered an error. */
export class GraphError extends ReachgraphError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GRAPH_ERROR', message, options);
  }
}

/** The eBPF sensor could not start or run. */
export class SensorError extends ReachgraphError {
  readonly errno: number | undefined;
  constructor(message: string, options?: { cause?: unknown; errno?: number; code?: string }) {
    super(options?.code ?? 'SENSOR_ERROR', message, options);
    this.errno = options?.errno;
  }
}

/** A collector could not read its source (API, file). */
export class CollectorError extends ReachgraphError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('COLLECT_FAILED', message, options);
  }
}

/** A console query that would reach outside the graph (files, URLs, procedures) or administer the server: refused before it runs. */
export class QueryRefusedError extends ReachgraphError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('QUERY_REFUSED', message, { ...options, exitCode: 2 });
  }
}

/** A console query that Neo4j stopped at the console's transaction timeout. */
export class QueryTimeoutError extends ReachgraphError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('QUERY_TIMEOUT', message, options);
  }
}

/** A GraphQL subscription refused or ended by the server: SUBSCRIBER_TOO_SLOW (its queue overflowed), TOO_MANY_SUBSCRIPTIONS, SUBSCRIPTIONS_OVER_HTTP. */
export class SubscriptionError extends ReachgraphError {
  constructor(code: 'SUBSCRIBER_TOO_SLOW' | 'TOO_MANY_SUBSCRIPTIONS' | 'SUBSCRIPTIONS_OVER_HTTP', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
