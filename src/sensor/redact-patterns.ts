/**
 * The catalogue of argv secret patterns, kept as data so that adding a pattern is one entry here
 * plus its examples in test/cases/redact/patterns.json (a table test fails on a pattern without
 * examples of what it must and must not redact). `redact.ts` is the one interpreter of these rules.
 */

/** Header names whose value is a credential, as curl/wget/httpie take them on the command line. */
export const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token', 'x-amz-security-token', 'private-token'] as const;

/** HTTP authentication schemes: an unquoted `Authorization: Bearer tok` splits into three argv elements. */
export const AUTH_SCHEMES = ['bearer', 'basic', 'token', 'digest', 'negotiate', 'aws4-hmac-sha256'] as const;

export type RedactionRule =
  /** `-H`/`--header` with `Name: value` attached, after `=`, in the same element or alone. */
  | { kind: 'header'; headers: readonly string[] }
  /** `Name:` alone as an element (an unquoted header): the value elements that follow. */
  | { kind: 'header-split'; headers: readonly string[]; schemes: readonly string[] }
  /** `NAME=value` where NAME looks like a secret's name. */
  | { kind: 'assignment'; name: RegExp }
  /** `--secret-flag value`: the element after a flag whose name looks like a secret's name. */
  | { kind: 'flag-then-value'; name: RegExp }
  /** A short flag that is the password flag of a known client, value attached (`-pSECRET`) and/or next. */
  | { kind: 'client-short-flag'; programs: readonly string[]; flag: string; attached: boolean; separate: boolean }
  /** An element whose whole shape is a known credential format. */
  | { kind: 'value-shape'; shape: RegExp }
  /** `scheme://user:password@host`: the password part. */
  | { kind: 'url-userinfo' };

export interface RedactionPattern {
  id: string;
  doc: string;
  rule: RedactionRule;
}

const SECRET_NAME = /(pass(word|wd)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|auth|bearer|session)/i;

/** MySQL-family clients, where `-p` is the password flag and takes its value only attached (`-p` alone prompts). */
const MYSQL_CLIENTS = ['mysql', 'mysqldump', 'mysqladmin', 'mysqlimport', 'mysqlshow', 'mysqlcheck', 'mysqlpump', 'mysqlslap', 'mariadb', 'mariadb-dump', 'mariadb-admin', 'mariadb-import', 'mariadb-show', 'mariadb-check', 'mariadb-slap'] as const;

/** Order matters: the first pattern that claims an element wins. */
export const REDACTION_PATTERNS: readonly RedactionPattern[] = [
  { id: 'http-header', doc: 'credential header values given to -H/--header (curl, wget, httpie)', rule: { kind: 'header', headers: SECRET_HEADERS } },
  { id: 'http-header-split', doc: 'an unquoted credential header split over several elements', rule: { kind: 'header-split', headers: SECRET_HEADERS, schemes: AUTH_SCHEMES } },
  { id: 'mysql-attached-password', doc: 'MySQL/MariaDB clients: -pSECRET', rule: { kind: 'client-short-flag', programs: MYSQL_CLIENTS, flag: '-p', attached: true, separate: false } },
  { id: 'sshpass-password', doc: 'sshpass -p SECRET and -pSECRET', rule: { kind: 'client-short-flag', programs: ['sshpass'], flag: '-p', attached: true, separate: true } },
  { id: 'redis-cli-password', doc: 'redis-cli -a SECRET and -aSECRET', rule: { kind: 'client-short-flag', programs: ['redis-cli', 'valkey-cli'], flag: '-a', attached: true, separate: true } },
  { id: 'secret-assignment', doc: 'NAME=value where NAME names a secret (env assignments, --password=…)', rule: { kind: 'assignment', name: SECRET_NAME } },
  { id: 'secret-flag-value', doc: 'the value after a flag whose name names a secret (--password X, --token X)', rule: { kind: 'flag-then-value', name: SECRET_NAME } },
  {
    id: 'credential-shape',
    doc: 'values shaped like AWS access keys, GitHub/OpenAI/Slack tokens or JWTs',
    rule: { kind: 'value-shape', shape: /^(AKIA|ASIA)[A-Z0-9]{16}$|^gh[pousr]_[A-Za-z0-9]{20,}$|^sk-[A-Za-z0-9_-]{16,}$|^xox[abpr]-|^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./ },
  },
  { id: 'url-password', doc: 'the password in scheme://user:password@host', rule: { kind: 'url-userinfo' } },
];
