import { InputError } from '../../../errors.js';
import { parseServiceAccountUser, serviceAccountPrincipal } from './engine.js';
import type { Principal } from './types.js';

/**
 * SUBJECT as the CLI takes it → the principal the API server would authenticate:
 * - `system:serviceaccount:NS:NAME`: the SA user plus its implicit groups (system:serviceaccounts[:NS], system:authenticated)
 * - `user:NAME`: that user with the `--group`s given plus system:authenticated (as `kubectl --as` impersonation adds it)
 * - `group:NAME`: a request carrying only that group (and the `--group`s given): the group's own grants
 */
export function parseSubject(arg: string, extraGroups: readonly string[] = []): Principal {
  const sa = parseServiceAccountUser(arg);
  if (sa) {
    const p = serviceAccountPrincipal(sa[0], sa[1]);
    return { user: p.user, groups: uniq([...p.groups, ...extraGroups]) };
  }
  if (arg.startsWith('system:serviceaccount:')) throw new InputError(`SUBJECT "${arg}": expected system:serviceaccount:NAMESPACE:NAME`);
  if (arg.startsWith('user:')) {
    const name = arg.slice('user:'.length);
    if (!name) throw new InputError(`SUBJECT "${arg}": the user name is empty`);
    const groups = uniq([...extraGroups, ...(name === 'system:anonymous' ? [] : ['system:authenticated'])]);
    return { user: name, groups };
  }
  if (arg.startsWith('group:')) {
    const name = arg.slice('group:'.length);
    if (!name) throw new InputError(`SUBJECT "${arg}": the group name is empty`);
    return { user: '', groups: uniq([name, ...extraGroups]) };
  }
  throw new InputError(`SUBJECT "${arg}": expected system:serviceaccount:NS:NAME, user:NAME or group:NAME`);
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
