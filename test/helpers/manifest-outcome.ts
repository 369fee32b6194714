/** What a manifest read produced, for comparing two ways of reading the same text. */
import type { ManifestEntry } from '../../src/collectors/kubernetes/manifests.js';
import { InputError } from '../../src/errors.js';

/** Everything a read produced, in order, sources included; or the error it ended with. */
export type Outcome = { readonly entries: string[] } | { readonly error: string };

export function show(e: ManifestEntry): string {
  return JSON.stringify({ bucket: e.bucket, object: e.object, source: e.source });
}

/** Runs a read to its end: its entries, or the InputError's message (any other error is rethrown). */
export async function outcome(read: () => AsyncIterable<ManifestEntry> | Iterable<ManifestEntry>): Promise<Outcome> {
  const entries: string[] = [];
  try {
    for await (const e of read()) entries.push(show(e));
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { error: err.message };
  }
  return { entries };
}
