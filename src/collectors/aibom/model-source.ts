/**
 * Where a model comes from, as one comparable string: a registry and the organisation inside it
 * (`huggingface.co/meta-llama`), a hosted provider (`aws.bedrock`), an Ollama library
 * (`ollama.com/library`) or a bucket (`s3://models-prod`). The findings catalog compares it with an
 * allowlist (cypher/findings/model-sources.json). Pure.
 */
import { aibomCatalog } from './catalog.js';

/** Hugging Face repository ids: `org/name`, each part of the Hub's allowed characters. */
const HF_REPO = /^([A-Za-z0-9][\w.-]*)\/[A-Za-z0-9][\w.-]*$/;

/**
 * The source of a model reference, or undefined when the reference does not say (a local path, a
 * bare file name). `ref` is what a pod, BOM or config names (a repo id, a URI, a purl); `supplier` is
 * a BOM's supplier/group; `engine` the serving engine (Ollama names models from its own library).
 */
export function modelSource(ref: string | undefined, opts: { supplier?: string | undefined; engine?: string | undefined } = {}): string | undefined {
  const r = ref?.trim();
  if (r) {
    const purl = /^pkg:huggingface\/([^/@?#]+)\/[^@?#]+/i.exec(r);
    if (purl) return `huggingface.co/${decodeURIComponent(purl[1]!)}`;
    const hf = /^(?:hf:\/\/|https?:\/\/(?:www\.)?huggingface\.co\/)([^/]+)\/[^/]+/i.exec(r);
    if (hf) return `huggingface.co/${hf[1]}`;
    const bucket = /^(s3|gs|gcs|az|azureml|abfss?|oci|pvc):\/\/([^/]+)/i.exec(r);
    if (bucket) return bucket[1]!.toLowerCase() === 'oci' ? `oci://${bucket[2]}${ociOrg(r)}` : `${bucket[1]!.toLowerCase()}://${bucket[2]}`;
    const http = /^https?:\/\/([^/]+)/i.exec(r);
    if (http) return http[1]!.toLowerCase();
    if (opts.engine === 'ollama' && /^[\w.-]+(:[\w.-]+)?$/.test(r)) return 'ollama.com/library';
    if (opts.engine === 'ollama' && /^[\w.-]+\/[\w.-]+(:[\w.-]+)?$/.test(r)) return `ollama.com/${r.split('/')[0]}`;
    if (!r.startsWith('/') && !r.startsWith('.') && HF_REPO.test(r)) return `huggingface.co/${HF_REPO.exec(r)![1]}`;
  }
  const s = opts.supplier?.trim();
  if (s) return aibomCatalog().llmApiHosts.aliases[s.toLowerCase()] ?? s;
  return undefined;
}

/** `oci://registry/org/repo:tag` → `/org`: the organisation inside the registry, when there is one. */
function ociOrg(r: string): string {
  const parts = r.replace(/^oci:\/\/[^/]+\/?/i, '').split('/');
  return parts.length > 1 ? `/${parts[0]}` : '';
}
