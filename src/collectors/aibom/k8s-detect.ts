/**
 * AI workloads in Kubernetes pod templates: inference servers and vector databases recognised by
 * image, command/args, env names and ports (k8s-rules.json), the model a server is given, and the
 * names of LLM API key variables. Every attribute carries a confidence, after k8s-aibom:
 * `declared` (the object says it: an image, a flag, a literal env value), `inferred` (a hint: a port,
 * an env name, a mount path), `unresolved` (the value lives in a ConfigMap or Secret, whose data the
 * collector never reads). Pure: typed objects in, detections out. Env values are read only to name a
 * model; key values are never read, kept or compared.
 */
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { loadAibomData } from './catalog.js';
import { modelSource } from './model-source.js';

const label = z.enum(['InferenceServer', 'VectorStore']);
const rulesSchema = z.object({
  $comment: z.string().optional(),
  engines: z.array(
    z.object({ engine: z.string().regex(/^[a-z0-9-]+$/), label, product: z.string(), images: z.array(z.string()), commands: z.array(z.string()), env: z.array(z.string()), ports: z.array(z.number().int().min(1).max(65535)) }).strict(),
  ),
  model: z.object({ $comment: z.string().optional(), args: z.array(z.string()), positionalAfter: z.array(z.string()), env: z.array(z.string()), mountPrefixes: z.array(z.string()) }).strict(),
  llmKeys: z.object({ $comment: z.string().optional(), rules: z.array(z.object({ pattern: z.string(), provider: z.string() }).strict()) }).strict(),
});

interface EngineRule {
  engine: string;
  label: 'InferenceServer' | 'VectorStore';
  product: string;
  images: RegExp[];
  commands: RegExp[];
  env: RegExp[];
  ports: number[];
}
interface Rules {
  engines: EngineRule[];
  model: z.infer<typeof rulesSchema>['model'];
  llmKeys: { pattern: RegExp; provider: string }[];
}

let rules: Rules | undefined;

/** The rule table (cached); a bad row or pattern fails at load, naming the file and field. */
export function k8sAiRules(): Rules {
  if (rules) return rules;
  const file = 'k8s-rules.json';
  const data = loadAibomData(file, rulesSchema);
  const re = (p: string, where: string) => {
    try {
      return new RegExp(p, 'i');
    } catch (e) {
      throw new InputError(`${file}: ${where}: ${(e as Error).message}`);
    }
  };
  rules = {
    engines: data.engines.map((e, i) => ({
      ...e,
      images: e.images.map((p, j) => re(p, `engines.${i}.images.${j}`)),
      commands: e.commands.map((p, j) => re(p, `engines.${i}.commands.${j}`)),
      env: e.env.map((p, j) => re(p, `engines.${i}.env.${j}`)),
    })),
    model: data.model,
    llmKeys: data.llmKeys.rules.map((k, i) => ({ pattern: re(k.pattern, `llmKeys.rules.${i}.pattern`), provider: k.provider })),
  };
  return rules;
}

export type Confidence = 'declared' | 'inferred' | 'unresolved';

/** One attribute of a detection: its value (absent when unresolved and unknown), how sure, and the evidence. */
export interface Attribute {
  value?: string;
  confidence: Confidence;
  /** Where it was read: `image vllm/vllm-openai:v0.6`, `port 6333`, `env MODEL from configMapKeyRef llm/model`. */
  evidence: string;
}

/** An inference server or vector store found in one container. */
export interface AiServerDetection {
  label: 'InferenceServer' | 'VectorStore';
  container: string;
  image: string;
  engine: Attribute & { value: string };
  product: string;
  model?: Attribute;
  /** Registry/org of the model (model-source.ts), when the model names one. */
  modelSource?: string;
  port?: Attribute;
}

/** An LLM API credential a container receives: its variable name and where it comes from, never its value. */
export interface LlmKeyDetection {
  container: string;
  /** The env variable name (or, for envFrom, the prefix-less secret name it expands). */
  env: string;
  provider?: string;
  confidence: Confidence;
  /** `secretKeyRef llm-keys/openai`, `configMapKeyRef x/y`, `literal value`, `envFrom secret llm-keys`. */
  from: string;
}

/** The shape read from a pod spec (client-node's V1Container / V1PodSpec fields used here). */
export interface ContainerLike {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name?: string; key: string }; configMapKeyRef?: { name?: string; key: string }; fieldRef?: unknown; resourceFieldRef?: unknown } }[];
  envFrom?: { prefix?: string; secretRef?: { name?: string }; configMapRef?: { name?: string } }[];
  ports?: { containerPort: number; name?: string }[];
  volumeMounts?: { mountPath: string; name: string }[];
}
export interface PodSpecLike {
  containers: ContainerLike[];
}

export interface AiDetections {
  servers: AiServerDetection[];
  llmKeys: LlmKeyDetection[];
}

/** What one env variable of a container holds, for naming a model: a literal, a reference, or nothing known. */
function envValue(c: ContainerLike, name: string): Attribute | undefined {
  const e = c.env?.find((x) => x.name === name);
  if (!e) return undefined;
  if (e.value !== undefined && e.value !== '') return { value: e.value, confidence: 'declared', evidence: `env ${name}` };
  const cm = e.valueFrom?.configMapKeyRef;
  if (cm) return { confidence: 'unresolved', evidence: `env ${name} from configMapKeyRef ${cm.name ?? ''}/${cm.key}` };
  const sec = e.valueFrom?.secretKeyRef;
  if (sec) return { confidence: 'unresolved', evidence: `env ${name} from secretKeyRef ${sec.name ?? ''}/${sec.key}` };
  return { confidence: 'unresolved', evidence: `env ${name} from ${e.valueFrom ? Object.keys(e.valueFrom).join(',') : 'an empty value'}` };
}

/** `$(VAR)` in an argument refers to the container's env (Kubernetes expands it at start). */
function expand(c: ContainerLike, v: string, evidence: string): Attribute {
  const ref = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(v);
  if (!ref) return { value: v, confidence: 'declared', evidence };
  const e = envValue(c, ref[1]!);
  if (!e) return { confidence: 'unresolved', evidence: `${evidence} = $(${ref[1]}), not set in the container's env` };
  return { ...e, evidence: `${evidence} = ${e.evidence}` };
}

/** Command and args as tokens: a `sh -c "vllm serve …"` string splits into its words too. */
function tokens(c: ContainerLike): string[] {
  return [...(c.command ?? []), ...(c.args ?? [])].flatMap((t) => t.split(/\s+/)).filter((t) => t !== '');
}

function modelOf(c: ContainerLike, toks: string[], rules: Rules): Attribute | undefined {
  const m = rules.model;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    for (const flag of m.args) {
      if (t === flag && toks[i + 1] !== undefined && !toks[i + 1]!.startsWith('-')) return expand(c, toks[i + 1]!, `args ${flag}`);
      if (t.startsWith(`${flag}=`)) return expand(c, t.slice(flag.length + 1), `args ${flag}`);
    }
    if (m.positionalAfter.includes(t) && i > 0 && toks[i + 1] !== undefined && !toks[i + 1]!.startsWith('-')) return expand(c, toks[i + 1]!, `args ${toks[i - 1]!.split('/').pop()} ${t}`);
  }
  for (const name of m.env) {
    const v = envValue(c, name);
    if (v) return v;
  }
  const mount = c.volumeMounts?.find((v) => m.mountPrefixes.some((p) => v.mountPath === p || v.mountPath.startsWith(`${p}/`)));
  if (mount) return { value: mount.mountPath, confidence: 'inferred', evidence: `volume ${mount.name} mounted at ${mount.mountPath}` };
  return undefined;
}

/** The engine of a container, strongest evidence first: image, command/args (declared), env names, ports (inferred). */
function engineOf(c: ContainerLike, toks: string[], rules: Rules): { rule: EngineRule; attr: Attribute & { value: string }; port?: Attribute } | undefined {
  const image = c.image ?? '';
  const joined = toks.join(' ');
  const ports = (c.ports ?? []).map((p) => p.containerPort);
  const portOf = (r: EngineRule): Attribute | undefined => {
    const p = ports.find((x) => r.ports.includes(x)) ?? ports[0];
    return p === undefined ? undefined : { value: String(p), confidence: 'declared', evidence: `containerPort ${p}` };
  };
  for (const r of rules.engines) if (r.images.some((re) => re.test(image))) return { rule: r, attr: { value: r.engine, confidence: 'declared', evidence: `image ${image}` }, ...opt('port', portOf(r)) };
  for (const r of rules.engines) {
    const hit = r.commands.find((re) => re.test(joined)) ? joined : toks.find((t) => r.commands.some((re) => re.test(t)));
    if (hit) return { rule: r, attr: { value: r.engine, confidence: 'declared', evidence: `command ${toks.slice(0, 4).join(' ')}` }, ...opt('port', portOf(r)) };
  }
  for (const r of rules.engines) {
    const env = c.env?.find((e) => r.env.some((re) => re.test(e.name)));
    if (env) return { rule: r, attr: { value: r.engine, confidence: 'inferred', evidence: `env ${env.name}` }, ...opt('port', portOf(r)) };
  }
  // A port names an engine only when exactly one rule claims it.
  for (const p of ports) {
    const claim = rules.engines.filter((r) => r.ports.includes(p));
    if (claim.length === 1) return { rule: claim[0]!, attr: { value: claim[0]!.engine, confidence: 'inferred', evidence: `containerPort ${p}` }, port: { value: String(p), confidence: 'declared', evidence: `containerPort ${p}` } };
  }
  return undefined;
}

const opt = <K extends string, V>(k: K, v: V | undefined): Partial<Record<K, V>> => (v === undefined ? {} : ({ [k]: v } as Record<K, V>));

function keysOf(c: ContainerLike, rules: Rules): LlmKeyDetection[] {
  const out: LlmKeyDetection[] = [];
  const provider = (n: string) => rules.llmKeys.find((k) => k.pattern.test(n))?.provider;
  for (const e of c.env ?? []) {
    const sec = e.valueFrom?.secretKeyRef;
    // The variable's name says the provider; a secretKeyRef's key may say it when the variable is named freely.
    const p = provider(e.name) ?? (sec ? provider(sec.key) : undefined);
    if (!p) continue;
    const from = sec ? `secretKeyRef ${sec.name ?? ''}/${sec.key}` : e.valueFrom?.configMapKeyRef ? `configMapKeyRef ${e.valueFrom.configMapKeyRef.name ?? ''}/${e.valueFrom.configMapKeyRef.key}` : e.value !== undefined ? 'literal value' : 'valueFrom';
    out.push({ container: c.name, env: e.name, provider: p, confidence: 'declared', from });
  }
  // A whole secret as env: its variable names live in its data, which is never read.
  for (const ef of c.envFrom ?? []) if (ef.secretRef?.name) out.push({ container: c.name, env: `${ef.prefix ?? ''}*`, confidence: 'unresolved', from: `envFrom secret ${ef.secretRef.name}` });
  return out;
}

/** Every inference server, vector store and LLM API key variable of one pod spec (or pod template). */
export function detectAi(spec: PodSpecLike | undefined): AiDetections {
  const r = k8sAiRules();
  const out: AiDetections = { servers: [], llmKeys: [] };
  for (const c of spec?.containers ?? []) {
    const toks = tokens(c);
    out.llmKeys.push(...keysOf(c, r));
    const e = engineOf(c, toks, r);
    if (!e) continue;
    const model = e.rule.label === 'InferenceServer' ? modelOf(c, toks, r) : undefined;
    const source = model?.value && model.confidence !== 'inferred' ? modelSource(model.value, { engine: e.rule.engine }) : undefined;
    out.servers.push({ label: e.rule.label, container: c.name, image: c.image ?? '', engine: e.attr, product: e.rule.product, ...opt('model', model), ...opt('modelSource', source), ...opt('port', e.port) });
  }
  return out;
}

/** KServe's InferenceService (serving.kserve.io/v1beta1): the predictor's model format, storage URI and runtime. */
export interface InferenceServiceLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { predictor?: Record<string, unknown> };
}

/** The server an InferenceService declares: engine kserve, model from storageUri (or the legacy per-framework predictor). */
export function detectInferenceService(isvc: InferenceServiceLike): { engine: Attribute & { value: string }; model?: Attribute; modelSource?: string; modelFormat?: Attribute; runtime?: string } {
  const pred = isvc.spec?.predictor ?? {};
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  // v1beta1 `predictor.model`, or the older `predictor.<framework>` (sklearn, pytorch, huggingface…).
  const [fmtName, body] = isObj(pred.model)
    ? [isObj(pred.model.modelFormat) ? str(pred.model.modelFormat.name) : undefined, pred.model]
    : (Object.entries(pred).find(([k, v]) => isObj(v) && k !== 'containers' && (v.storageUri !== undefined || v.args !== undefined || v.runtimeVersion !== undefined)) ?? [undefined, {}]);
  const b = body as Record<string, unknown>;
  const storage = str(b.storageUri);
  const args = Array.isArray(b.args) ? b.args.filter((a): a is string => typeof a === 'string') : [];
  const argModel = modelOf({ name: 'kserve-container', args }, args.flatMap((a) => a.split(/\s+/)), k8sAiRules());
  const model: Attribute | undefined = storage ? { value: storage, confidence: 'declared', evidence: 'spec.predictor storageUri' } : argModel;
  const source = model?.value && model.confidence === 'declared' ? modelSource(model.value) : undefined;
  const runtime = str(b.runtime);
  return {
    engine: { value: 'kserve', confidence: 'declared', evidence: 'InferenceService (serving.kserve.io)' },
    ...opt('model', model),
    ...opt('modelSource', source),
    ...(fmtName ? { modelFormat: { value: fmtName, confidence: 'declared' as const, evidence: 'spec.predictor modelFormat' } } : {}),
    ...opt('runtime', runtime),
  };
}
