/** `rbac can` questions as the CLI builds them (test/cases/kubernetes/rbac/can.json) against a manifest estate. */
import fs from 'node:fs';
import path from 'node:path';
import { rbacFromDir } from '../../../src/collectors/kubernetes/rbac-source.js';
import { buildRequest } from '../../../src/cli/verbs/rbac.js';
import { RbacIndex } from '../../../src/identity/kubernetes/rbac/engine.js';
import { parseSubject } from '../../../src/identity/kubernetes/rbac/subject.js';

interface Case {
  args: [string, string, string];
  namespace?: string;
  all?: boolean;
  name?: string;
  groups?: string[];
  allowed: boolean;
  binding?: string;
}
const file = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'test/cases/kubernetes/rbac/can.json'), 'utf8')) as { estate: string; cases: Case[] };

let index: RbacIndex;
beforeAll(async () => {
  index = new RbacIndex(await rbacFromDir(path.join(process.cwd(), file.estate)));
});

test.each(file.cases.map((c) => [`${c.args.join(' ')}${c.namespace ? ` -n ${c.namespace}` : ''}${c.all ? ' -A' : ''}${c.name ? ` --name ${c.name}` : ''}${c.groups ? ` --group ${c.groups.join(',')}` : ''}`, c] as const))('%s', (_label, c) => {
  const [subject, verb, resource] = c.args;
  const { request } = buildRequest(verb, resource, { ...(c.namespace ? { namespace: c.namespace } : {}), ...(c.all ? { allNamespaces: true } : {}), ...(c.name ? { name: c.name } : {}) });
  const d = index.authorize(parseSubject(subject, c.groups ?? []), request);
  expect(d.allowed).toBe(c.allowed);
  if (c.binding) expect(d.reasons.map((r) => r.binding)).toContain(c.binding);
});
