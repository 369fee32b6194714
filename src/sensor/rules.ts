/**
 * The watched-file catalogue: which opens the kernel counts. Rules are matched IN THE KERNEL
 * (bpf/files.bpf.c) against the path passed to open(); every non-empty part of a rule must
 * match. A relative path is matched as if it started with "/", so suffix rules that start
 * with "/" still catch `open(".aws/credentials")` from a home directory. docs/sensor.md
 * explains each entry.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { NativeFileRule } from './native.js';

export const FILE_CLASSES = { credential: 1, model: 2, 'agent-package': 3, other: 4 } as const;
export type FileClass = keyof typeof FILE_CLASSES;

export const fileRuleSchema = z
  .object({
    class: z.enum(['credential', 'model', 'agent-package', 'other']),
    prefix: z.string().max(63).startsWith('/').optional(),
    suffix: z.string().min(1).max(31).optional(),
    contains: z.string().min(1).max(31).optional(),
    why: z.string().optional(),
  })
  .strict()
  .refine((r) => r.prefix !== undefined || r.suffix !== undefined || r.contains !== undefined, { message: 'a rule needs a prefix, suffix or contains' });
export type FileRule = z.infer<typeof fileRuleSchema>;

/** At most this many rules fit the kernel's configuration (RK_MAX_RULES). */
export const MAX_FILE_RULES = 24;

export const DEFAULT_FILE_RULES: readonly FileRule[] = [
  // Credentials
  { class: 'credential', prefix: '/var/run/secrets/', why: 'Kubernetes service account tokens, EKS/IRSA web identity tokens, mounted secrets' },
  { class: 'credential', prefix: '/run/secrets/', why: 'the same folder through /run, Docker/Compose secrets' },
  { class: 'credential', suffix: '/.aws/credentials', why: 'AWS shared credentials file in any home' },
  { class: 'credential', suffix: '/.aws/config', why: 'AWS profiles (role_arn, credential_process, SSO)' },
  { class: 'credential', contains: '/.aws/sso/cache/', suffix: '.json', why: 'AWS SSO cached tokens' },
  { class: 'credential', contains: '/gcloud/', suffix: '_credentials.json', why: 'Google Cloud application default credentials' },
  { class: 'credential', contains: '/.azure/', suffix: '.json', why: 'Azure CLI tokens (msal_token_cache.json, accessTokens.json)' },
  { class: 'credential', suffix: '/.kube/config', why: 'kubeconfig' },
  { class: 'credential', suffix: '/.docker/config.json', why: 'registry credentials' },
  { class: 'credential', suffix: '/.netrc', why: 'machine passwords' },
  { class: 'credential', suffix: '/.git-credentials', why: 'git credential store' },
  { class: 'credential', suffix: '/huggingface/token', why: 'Hugging Face access token' },
  { class: 'credential', suffix: '/.ssh/id_rsa', why: 'SSH private key (RSA)' },
  { class: 'credential', suffix: '/.ssh/id_ed25519', why: 'SSH private key (Ed25519)' },
  // Model weights. Rules that need a substring also carry a suffix: the kernel checks the
  // suffix first, so the substring scan runs only for candidate paths.
  { class: 'model', suffix: '.safetensors', why: 'model weights (safetensors)' },
  { class: 'model', suffix: '.gguf', why: 'model weights (llama.cpp GGUF)' },
  { class: 'model', suffix: '.onnx', why: 'model weights (ONNX)' },
  { class: 'model', contains: '/models/', suffix: '.pt', why: 'PyTorch weights under a model folder' },
  { class: 'model', contains: '/models/', suffix: '.bin', why: 'weights (.bin) under a model folder' },
  { class: 'model', contains: '/hub/models--', suffix: '.bin', why: 'weights (.bin) in the Hugging Face hub cache' },
  // Agent framework packages (the package's entry module being loaded)
  { class: 'agent-package', contains: '/site-packages/langchain', suffix: '/__init__.py', why: 'LangChain loaded' },
  { class: 'agent-package', contains: '/site-packages/crewai/', suffix: '/__init__.py', why: 'CrewAI loaded' },
  { class: 'agent-package', contains: '/node_modules/@langchain/', suffix: 'package.json', why: 'LangChain.js loaded' },
  { class: 'agent-package', contains: '/node_modules/@modelcontext', suffix: 'package.json', why: 'an MCP SDK loaded' },
];

/** Validates rules (from a file or code); errors name the rule's index and field. */
export function parseFileRules(input: unknown, where = 'file rules'): FileRule[] {
  if (!Array.isArray(input)) throw new InputError(`${where}: must be an array of rules`);
  if (input.length > MAX_FILE_RULES) throw new InputError(`${where}: at most ${MAX_FILE_RULES} rules fit the kernel's table, got ${input.length}`);
  return input.map((r, i) => {
    const res = fileRuleSchema.safeParse(r);
    if (!res.success) {
      const issue = res.error.issues[0]!;
      throw new InputError(`${where}[${i}]${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`);
    }
    return res.data;
  });
}

export function toNativeRules(rules: readonly FileRule[]): NativeFileRule[] {
  return rules.map((r) => ({
    ...(r.prefix !== undefined ? { prefix: r.prefix } : {}),
    ...(r.suffix !== undefined ? { suffix: r.suffix } : {}),
    ...(r.contains !== undefined ? { contains: r.contains } : {}),
    klass: FILE_CLASSES[r.class],
  }));
}

/** The same match the kernel makes, for tests and for `sensor record` summaries. */
export function matchRule(rules: readonly FileRule[], path: string): number {
  const p = path.startsWith('/') ? path : '/' + path;
  for (const [i, r] of rules.entries()) {
    if (r.prefix !== undefined && !(path.startsWith('/') && path.startsWith(r.prefix))) continue;
    if (r.suffix !== undefined && !p.endsWith(r.suffix)) continue;
    if (r.contains !== undefined && !p.includes(r.contains)) continue;
    return i;
  }
  return -1;
}
