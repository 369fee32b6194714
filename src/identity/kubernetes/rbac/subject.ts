import { InputError } from '../../../errors.js';
import { parseServiceAccountUser } from './engine.js';
import type { Principal } from './types.js';

/** The user name of an unauthenticated request (the anonymous authenticator's). */
export const ANONYMOUS_USER = 'system:anonymous';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';

/**
 * SUBJECT as the CLI takes it → the principal the API server would see for `kubectl auth can-i --as`
 * (the impersonation filter in k8s.io/apiserver/pkg/endpoints/filters/impersonation.go, which gives the
 * same user and groups as the token authenticators plus the authenticated-group adder):
 * - `system:serviceaccount:NS:NAME`: with no `--group`, the SA's groups system:serviceaccounts and
 *   system:serviceaccounts:NS; with `--group`s, those groups replace them (as --as-group does)
 * - `user:NAME`: that user with the `--group`s given
 * - then, for any user but system:anonymous, system:authenticated, unless the groups already hold
 *   system:authenticated or system:unauthenticated; for system:anonymous, system:unauthenticated
 *   (what the anonymous authenticator gives an unauthenticated request)
 * - `group:NAME`: a request carrying only that group (and the `--group`s given), no user and no
 *   implicit group: the group's own grants
 */
export function parseSubject(arg: string, extraGroups: readonly string[] = []): Principal {
  const sa = parseServiceAccountUser(arg);
  if (sa) {
    const groups = extraGroups.length > 0 ? [...extraGroups] : ['system:serviceaccounts', `system:serviceaccounts:${sa[0]}`];
    return withImplicitGroups(arg, groups);
  }
  if (arg.startsWith('system:serviceaccount:')) throw new InputError(`SUBJECT "${arg}": expected system:serviceaccount:NAMESPACE:NAME`);
  if (arg.startsWith('user:')) {
    const name = arg.slice('user:'.length);
    if (!name) throw new InputError(`SUBJECT "${arg}": the user name is empty`);
    return withImplicitGroups(name, [...extraGroups]);
  }
  if (arg.startsWith('group:')) {
    const name = arg.slice('group:'.length);
    if (!name) throw new InputError(`SUBJECT "${arg}": the group name is empty`);
    return { user: '', groups: uniq([name, ...extraGroups]) };
  }
  throw new InputError(`SUBJECT "${arg}": expected system:serviceaccount:NS:NAME, user:NAME or group:NAME`);
}

/** The implicit group the API server adds to a user's groups (impersonation.go; authenticated_group_adder.go). */
function withImplicitGroups(user: string, groups: string[]): Principal {
  if (user === ANONYMOUS_USER) {
    if (!groups.includes(UNAUTHENTICATED_GROUP)) groups.push(UNAUTHENTICATED_GROUP);
  } else if (!groups.includes(AUTHENTICATED_GROUP) && !groups.includes(UNAUTHENTICATED_GROUP)) groups.push(AUTHENTICATED_GROUP);
  return { user, groups: uniq(groups) };
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
