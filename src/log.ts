/** The one logger: pino, to stderr, so stdout stays for command output (JSON, tables). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino } from 'pino';

/**
 * The API request a log line belongs to, set by the HTTP transport (src/api/http.ts) around each
 * request. A mixin rather than a child logger handed down: resolvers, loaders and the driver's
 * callers all log through this one logger, and every line they write while serving a request
 * carries its `requestId` without each of them taking a logger argument.
 */
export const logScope = new AsyncLocalStorage<{ requestId: string }>();

export const logger = pino(
  {
    name: 'reachgraph',
    level: process.env.REACHGRAPH_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    mixin: () => {
      const scope = logScope.getStore();
      return scope ? { requestId: scope.requestId } : {};
    },
    // Defence in depth: these keys never reach a log line even if a caller passes them.
    redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'secret', '*.secret', 'data', '*.data', 'stringData', '*.stringData'], censor: '[redacted]' },
  },
  pino.destination({ fd: 2, sync: true }),
);
export type Logger = typeof logger;
