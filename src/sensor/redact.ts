/**
 * argv can carry secrets (`--password=…`, `TOKEN=…`, `-p hunter2`): they are redacted before
 * anything is stored or logged. What is kept is what shows behaviour: the program, its
 * subcommands and flag names.
 */
const SECRET_NAME = /(pass(word|wd)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|auth|bearer|session)/i;
const SECRET_VALUE = /^(AKIA|ASIA)[A-Z0-9]{16}$|^gh[pousr]_[A-Za-z0-9]{20,}$|^sk-[A-Za-z0-9_-]{16,}$|^xox[abpr]-|^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./;
export const REDACTED = '[redacted]';

/** Returns argv with secret-looking values replaced by "[redacted]". */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let redactNext = false;
  for (const a of argv) {
    if (redactNext) {
      out.push(REDACTED);
      redactNext = false;
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) {
      const name = a.slice(0, eq);
      if (SECRET_NAME.test(name)) {
        out.push(`${name}=${REDACTED}`);
        continue;
      }
    }
    if (/^--?[A-Za-z]/.test(a) && eq < 0 && SECRET_NAME.test(a)) {
      out.push(a);
      redactNext = true;
      continue;
    }
    if (SECRET_VALUE.test(a)) {
      out.push(REDACTED);
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(a)) {
      out.push(a.replace(/(:\/\/[^/\s:@]+:)[^/\s@]+@/, `$1${REDACTED}@`));
      continue;
    }
    out.push(a);
  }
  return out;
}
