/**
 * `reachgraph iam can` and `reachgraph iam privesc`: AWS IAM questions answered from a
 * get-account-authorization-details file (no Neo4j needed) or from the graph.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import type { Decision, NamedPolicy, RequestContext } from '../../identity/aws/index.js';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

// The engine (and the IAM action catalogue under it) loads when an iam verb runs, not when the CLI lists its verbs.
const engine = () => import('../../identity/aws/index.js');
const files = () => import('../../collectors/aws/files.js');

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/.+/;
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;

/** `--context key=value` pairs (repeatable); a key given twice becomes multi-valued. */
async function parseContext(pairs: string[]): Promise<RequestContext | undefined> {
  if (pairs.length === 0) return undefined;
  const values: Record<string, string[]> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new InputError(`--context "${p}": expected KEY=VALUE`);
    (values[p.slice(0, i)] ??= []).push(p.slice(i + 1));
  }
  return (await engine()).context(values);
}

/** The JSON the issue names: decision, conditional, deciding statements; a documented rule's reason and any warnings when present. */
export function decisionJson(d: Decision): { decision: string; conditional: boolean; statements: unknown[]; reason?: string; warnings?: string[] } {
  return {
    decision: d.decision,
    conditional: d.conditional,
    statements: d.statements.map((s) => ({ policy: s.policy, index: s.index, ...(s.sid ? { sid: s.sid } : {}), effect: s.effect, source: s.source, conditional: s.conditional, ...(s.condition ? { condition: s.condition } : {}) })),
    ...(d.reason !== undefined ? { reason: d.reason } : {}),
    ...(d.warnings !== undefined ? { warnings: d.warnings } : {}),
  };
}

/** Loading notes on stderr: skipped policies, and loaded ones that deserve a look. */
function reportModel(model: { problems: { name: string; message: string }[]; warnings?: { name: string; message: string }[] }): void {
  for (const p of model.problems) process.stderr.write(`reachgraph: warning: ${p.name}: ${p.message} (skipped)\n`);
  for (const w of model.warnings ?? []) process.stderr.write(`reachgraph: warning: ${w.name}: ${w.message}\n`);
}

/** `--resource-policy FILE`: the policy document of the resource (bucket, key, secret, function, repository policy). */
async function readResourcePolicy(file: string, resource: string): Promise<NamedPolicy> {
  const { namedResourcePolicy, parsePolicy, policyHolder } = await engine();
  const fs = await import('node:fs');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`--resource-policy ${file}: ${(e as Error).message}`);
  }
  try {
    return namedResourcePolicy(policyHolder(resource), parsePolicy(text));
  } catch (e) {
    throw new InputError(`--resource-policy ${file}: ${(e as Error).message}`);
  }
}

async function canFromFile(file: string, principal: string, action: string, resource: string, ctx: RequestContext | undefined, scps: NamedPolicy[][] | undefined, resourcePolicy?: NamedPolicy): Promise<Decision> {
  const { buildAccountModel, principalEvaluator } = await engine();
  const { readAuthDetailsFile } = await files();
  const f = readAuthDetailsFile(file);
  const model = buildAccountModel(f.details, { oidcProviders: f.oidcProviders });
  reportModel(model);
  const p = model.principals.get(principal);
  if (!p) throw new InputError(`${file}: no user or role ${principal}`);
  return principalEvaluator(model, p, scps, resourcePolicy ? () => resourcePolicy : undefined).can(action, resource, ctx);
}

async function canFromGraph(principal: string, action: string, resource: string, ctx: RequestContext | undefined, scps: NamedPolicy[][] | undefined, given?: NamedPolicy): Promise<Decision> {
  const { evaluate, parsePolicy, namedResourcePolicy, policyHolder, resourcePolicyRequired } = await engine();
  return withGraph(async (g) => {
    const rows = await g.read('queries/aws/principal-policies', { arn: principal });
    const row = rows[0];
    if (!row) throw new InputError(`the graph has no AWS user or role ${principal} (run \`reachgraph collect aws\` first)`);
    const identity: NamedPolicy[] = [];
    let boundary: NamedPolicy | undefined;
    let unreadableBoundary: string | undefined;
    for (const pol of (row.policies as { name: string; kind: string; document: string | null }[]) ?? []) {
      if (pol.document === null || pol.document === undefined) {
        // A boundary the collector could not read may deny anything: never drop it silently.
        if (pol.kind === 'boundary') unreadableBoundary = pol.name;
        continue;
      }
      const named = { name: pol.name, doc: parsePolicy(pol.document) };
      if (pol.kind === 'boundary') boundary = named;
      else if (!identity.some((x) => x.name === named.name)) identity.push(named);
    }
    let trust: NamedPolicy | undefined;
    if (/^sts:AssumeRole/i.test(action)) {
      const t = (await g.read('queries/aws/role-trust', { arn: resource }))[0];
      if (t?.trustPolicy) trust = { name: `${resource}#trust`, doc: parsePolicy(String(t.trustPolicy)) };
    }
    // The resource's own policy as the inventory stored it (collect aws --resources), unless one was given.
    let resourcePolicy = given;
    let resourceAccount: string | undefined;
    if (!trust) {
      const holder = policyHolder(resource);
      const r = (await g.read('queries/aws/resource-policy', { arn: holder }))[0];
      if (r?.accountId) resourceAccount = String(r.accountId);
      if (!resourcePolicy && r?.policy) resourcePolicy = namedResourcePolicy(holder, parsePolicy(String(r.policy)));
    }
    return evaluate({
      caller: { kind: row.kind === 'user' ? 'user' : 'role', id: principal, accountId: String(row.accountId) },
      action,
      resource,
      identityPolicies: identity,
      ...(boundary ? { boundary } : {}),
      ...(!boundary && unreadableBoundary !== undefined ? { unreadableBoundary } : {}),
      ...(scps ? { scps } : {}),
      ...(ctx ? { context: ctx } : {}),
      ...(trust ? { resourcePolicy: trust, resourcePolicyRequired: true } : {}),
      ...(!trust && resourcePolicy ? { resourcePolicy, ...(resourcePolicyRequired(resource, action) ? { resourcePolicyRequired: true } : {}) } : {}),
      ...(resourceAccount ? { resourceAccount } : {}),
    });
  });
}

export function register(program: Command): void {
  const iam = program.command('iam').description('AWS IAM: evaluate requests and list privilege-escalation paths');

  iam
    .command('can')
    .description('may PRINCIPAL_ARN perform ACTION on RESOURCE_ARN? (AWS policy evaluation logic)')
    .argument('<principal>', 'user or role ARN')
    .argument('<action>', 'IAM action, e.g. s3:GetObject')
    .argument('[resource]', 'resource ARN (default *)', '*')
    .option('--from-file <file>', 'JSON from `aws iam get-account-authorization-details` (no Neo4j needed)')
    .option('--scps <file>', 'SCP levels, root first: {"levels":[[{"name","document"}]]}')
    .option('--context <key=value>', 'request context key (repeatable), e.g. aws:MultiFactorAuthPresent=true', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--resource-policy <file>', "the resource's policy (bucket, KMS key, secret, function, repository policy); from the graph: the one the inventory stored")
    .option('--format <format>', 'table or json', 'table')
    .action(async (principal: string, action: string, resource: string, o: { fromFile?: string; scps?: string; context: string[]; resourcePolicy?: string; format: string }) => {
      const format = parseFormat(o.format);
      if (!PRINCIPAL_ARN.test(principal)) throw new InputError(`principal "${principal}": expected an IAM user or role ARN (arn:aws:iam::<account>:user/… or :role/…)`);
      if (!ACTION.test(action)) throw new InputError(`action "${action}": expected service:Action, e.g. s3:GetObject`);
      const ctx = await parseContext(o.context);
      const scps = o.scps ? (await files()).readScpFile(o.scps) : undefined;
      const rp = o.resourcePolicy ? await readResourcePolicy(o.resourcePolicy, resource) : undefined;
      const d = o.fromFile ? await canFromFile(o.fromFile, principal, action, resource, ctx, scps, rp) : await canFromGraph(principal, action, resource, ctx, scps, rp);
      const out = decisionJson(d);
      for (const w of d.warnings ?? []) process.stderr.write(`reachgraph: warning: ${w}\n`);
      if (format === 'json') printJson(out);
      else {
        process.stdout.write(`${out.decision}${out.conditional ? ' (conditional)' : ''}${d.reason !== undefined ? `: ${d.reason}` : ''}\n`);
        printTable(d.statements.map((s) => ({ source: s.source, policy: s.policy, index: s.index, effect: s.effect, condition: s.condition ?? '' })));
      }
    });

  iam
    .command('privesc')
    .description('privilege-escalation edges: who can gain whose permissions, and how')
    .option('--principal <arn>', 'only paths leaving this principal')
    .option('--from-file <file>', 'JSON from `aws iam get-account-authorization-details` (no Neo4j needed)')
    .option('--scps <file>', 'SCP levels (file mode only)')
    .option('--format <format>', 'table or json', 'table')
    .action(async (o: { principal?: string; fromFile?: string; scps?: string; format: string }) => {
      const format = parseFormat(o.format);
      if (o.principal !== undefined && !PRINCIPAL_ARN.test(o.principal)) throw new InputError(`--principal "${o.principal}": expected an IAM user or role ARN`);
      let edges: { from: string; to: string; method: string; conditional: boolean; conditions: string[]; evidence?: string }[];
      if (o.fromFile) {
        const { buildAccountModel, findEscalations } = await engine();
        const { readAuthDetailsFile, readScpFile } = await files();
        const f = readAuthDetailsFile(o.fromFile);
        const model = buildAccountModel(f.details, { oidcProviders: f.oidcProviders });
        reportModel(model);
        if (o.principal !== undefined && !model.principals.has(o.principal)) throw new InputError(`${o.fromFile}: no user or role ${o.principal}`);
        const scps = o.scps ? readScpFile(o.scps) : undefined;
        edges = findEscalations(model, { ...(o.principal ? { principal: o.principal } : {}), ...(scps ? { scps } : {}) });
        edges.sort((a, b) => (a.from + a.to + a.method < b.from + b.to + b.method ? -1 : 1));
      } else {
        const { escalationConditions } = await engine();
        edges = (await withGraph((g) => g.read('queries/aws/escalations', { principal: o.principal ?? null }))).map((r) => ({
          from: String(r.from),
          to: String(r.to),
          method: String(r.method),
          conditional: Boolean(r.conditional),
          conditions: escalationConditions(String(r.evidence)),
          evidence: String(r.evidence),
        }));
      }
      if (format === 'json') printJson(edges.map((e) => ({ from: e.from, to: e.to, method: e.method, conditional: e.conditional, conditions: e.conditions })));
      else printTable(edges.map((e) => ({ from: e.from, to: e.to, method: e.method, conditional: e.conditional })));
    });

  iam
    .command('trust')
    .description('who may assume a role, per its trust policy (file mode)')
    .argument('<role>', 'role ARN')
    .requiredOption('--from-file <file>', 'JSON from `aws iam get-account-authorization-details`')
    .option('--format <format>', 'table or json', 'table')
    .action(async (role: string, o: { fromFile: string; format: string }) => {
      const format = parseFormat(o.format);
      const { analyzeTrust, buildAccountModel } = await engine();
      const { readAuthDetailsFile } = await files();
      const f = readAuthDetailsFile(o.fromFile);
      const model = buildAccountModel(f.details);
      const r = model.principals.get(role);
      if (!r || r.kind !== 'role' || !r.trust) throw new InputError(`${o.fromFile}: no role ${role} with a readable trust policy`);
      const t = analyzeTrust(r.trust);
      if (format === 'json') printJson(t);
      else printTable(t.entries.map((e) => ({ kind: e.kind, principal: e.principal, actions: e.actions.join(','), conditional: e.conditional, conditions: e.conditions ?? '' })));
    });
}
