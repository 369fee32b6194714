/** The one logger: pino, to stderr, so stdout stays for command output (JSON, tables). */
import { pino } from 'pino';

export const logger = pino(
  {
    name: 'reachgraph',
    level: process.env.REACHGRAPH_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    // Defence in depth: these keys never reach a log line even if a caller passes them.
    redact: { paths: ['password', '*.password', 'token', '*.token', 'secret', '*.secret', 'data', '*.data', 'stringData', '*.stringData'], censor: '[redacted]' },
  },
  pino.destination({ fd: 2, sync: true }),
);
export type Logger = typeof logger;
