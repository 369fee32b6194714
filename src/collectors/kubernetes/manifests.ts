/**
 * Offline Kubernetes input: read a directory of manifests (`.yaml`/`.yml`, multi-document, and
 * `.json`, including `kubectl get -o json` List dumps and raw API `*List` responses) into the same
 * typed objects the API client returns (`V1Pod`, `V1NetworkPolicy`, …), grouped by kind.
 *
 * - Errors are InputErrors naming the file, the document (1-based) and its line. They never quote
 *   the offending text: a malformed Secret must not leak its value through an error message.
 * - Secrets and ConfigMaps keep their metadata only: `data`, `stringData`, `binaryData` and the
 *   `kubectl.kubernetes.io/last-applied-configuration` annotation (which repeats the whole object,
 *   values included) are dropped at read time, before anything else sees the object.
 * - Kinds this reader does not know (custom resources, other built-ins) and known kind names from an
 *   unexpected API group go to `other`, metadata only, and are counted.
 * - Files are read one at a time (`iterateManifests`); a large `.json` file (a `kubectl get -o json`
 *   dump of a big cluster) is streamed item by item (`streamJsonFile`); a large `.yaml`/`.yml` file
 *   is streamed document by document (`streamYamlFile`), small ones are parsed whole. Both YAML
 *   paths run the same parser and the same per-document rules (`addYamlDocument`), so a document
 *   gets the same number, line and error text whichever path read it.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Composer, isMap, isPair, isScalar, isSeq, LineCounter, Parser, parseAllDocuments, type Document } from 'yaml';
// The generated serializer is what the API client runs on every response; it is not re-exported
// from the package index, and the package has no exports map, so the deep import is stable.
import * as models from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1ConfigMap,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Job,
  V1Namespace,
  V1NetworkPolicy,
  V1Node,
  V1ObjectMeta,
  V1Pod,
  V1ReplicaSet,
  V1Role,
  V1RoleBinding,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { InputError } from '../../errors.js';

/** Where an object came from: file (relative to the directory read), 1-based document, line, and list item. */
export interface ManifestSource {
  readonly file: string;
  readonly document: number;
  readonly line: number;
  /** 0-based index inside a List's `items`, when the object came from a List. */
  readonly item?: number;
}

/** An object of a kind this reader does not type: identity and metadata only, never a body. */
export interface OtherObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: V1ObjectMeta;
  readonly source: ManifestSource;
}

/** A KServe InferenceService as the API serves it; only `spec.predictor` is read (src/collectors/aibom/k8s-detect.ts). */
export interface KServeInferenceService {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: { predictor?: Record<string, unknown> };
}

/** Every object read, grouped by kind. */
export interface Manifests {
  namespaces: V1Namespace[];
  nodes: V1Node[];
  pods: V1Pod[];
  deployments: V1Deployment[];
  replicaSets: V1ReplicaSet[];
  statefulSets: V1StatefulSet[];
  daemonSets: V1DaemonSet[];
  jobs: V1Job[];
  cronJobs: V1CronJob[];
  services: V1Service[];
  endpointSlices: V1EndpointSlice[];
  serviceAccounts: V1ServiceAccount[];
  roles: V1Role[];
  clusterRoles: V1ClusterRole[];
  roleBindings: V1RoleBinding[];
  clusterRoleBindings: V1ClusterRoleBinding[];
  networkPolicies: V1NetworkPolicy[];
  /** Metadata only: `data`/`stringData` were dropped at read time. */
  secrets: V1Secret[];
  /** Metadata only: `data`/`binaryData` were dropped at read time. */
  configMaps: V1ConfigMap[];
  /** KServe InferenceServices (serving.kserve.io custom resources), untyped: the AI-BOM reads their predictor. */
  inferenceServices: KServeInferenceService[];
  /** Unknown kinds and custom resources: counted and kept as metadata, not interpreted. */
  other: OtherObject[];
}

export type ManifestBucket = Exclude<keyof Manifests, 'other'>;

interface KindDef {
  readonly group: string;
  readonly bucket: ManifestBucket;
  /** Serializer type name: the API version suffix decides it (`V1Pod`). */
  readonly type: string;
}

/** Kinds read into typed buckets, with the API group each must come from. */
const KINDS: Readonly<Record<string, KindDef>> = {
  Namespace: { group: '', bucket: 'namespaces', type: 'V1Namespace' },
  Node: { group: '', bucket: 'nodes', type: 'V1Node' },
  Pod: { group: '', bucket: 'pods', type: 'V1Pod' },
  Service: { group: '', bucket: 'services', type: 'V1Service' },
  ServiceAccount: { group: '', bucket: 'serviceAccounts', type: 'V1ServiceAccount' },
  Secret: { group: '', bucket: 'secrets', type: 'V1Secret' },
  ConfigMap: { group: '', bucket: 'configMaps', type: 'V1ConfigMap' },
  Deployment: { group: 'apps', bucket: 'deployments', type: 'V1Deployment' },
  ReplicaSet: { group: 'apps', bucket: 'replicaSets', type: 'V1ReplicaSet' },
  StatefulSet: { group: 'apps', bucket: 'statefulSets', type: 'V1StatefulSet' },
  DaemonSet: { group: 'apps', bucket: 'daemonSets', type: 'V1DaemonSet' },
  Job: { group: 'batch', bucket: 'jobs', type: 'V1Job' },
  CronJob: { group: 'batch', bucket: 'cronJobs', type: 'V1CronJob' },
  EndpointSlice: { group: 'discovery.k8s.io', bucket: 'endpointSlices', type: 'V1EndpointSlice' },
  Role: { group: 'rbac.authorization.k8s.io', bucket: 'roles', type: 'V1Role' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', bucket: 'clusterRoles', type: 'V1ClusterRole' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', bucket: 'roleBindings', type: 'V1RoleBinding' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', bucket: 'clusterRoleBindings', type: 'V1ClusterRoleBinding' },
  NetworkPolicy: { group: 'networking.k8s.io', bucket: 'networkPolicies', type: 'V1NetworkPolicy' },
  // A custom resource: no client model, so it passes through untyped ('any') and is read defensively.
  InferenceService: { group: 'serving.kserve.io', bucket: 'inferenceServices', type: 'any' },
};

/** The annotation `kubectl apply` writes: a full copy of the applied object, Secret values included. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** One object read from a file, before grouping. */
export type ManifestEntry =
  | { readonly bucket: ManifestBucket; readonly object: object; readonly source: ManifestSource }
  | { readonly bucket: 'other'; readonly object: OtherObject; readonly source: ManifestSource };

const sources = new WeakMap<object, ManifestSource>();

/** Where a typed object returned by this module was read from (undefined for objects from elsewhere). */
export function manifestSource(obj: object): ManifestSource | undefined {
  return sources.get(obj);
}

/** Human form of a source for messages: `dir/a.yaml document 2 (line 14)`, `list.json item 3`. */
export function describeSource(s: ManifestSource): string {
  return `${s.file} document ${s.document} (line ${s.line})${s.item === undefined ? '' : ` item ${s.item}`}`;
}

export function emptyManifests(): Manifests {
  return {
    namespaces: [], nodes: [], pods: [], deployments: [], replicaSets: [], statefulSets: [], daemonSets: [], jobs: [],
    cronJobs: [], services: [], endpointSlices: [], serviceAccounts: [], roles: [], clusterRoles: [], roleBindings: [],
    clusterRoleBindings: [], networkPolicies: [], secrets: [], configMaps: [], inferenceServices: [], other: [],
  };
}

/**
 * Parse one file's text. `file` names the input in errors and sources. `.json` files (and files of
 * other names that start with `{`/`[`) go through JSON.parse; `.yaml`/`.yml` through the YAML
 * parser, document by document (a JSON document is YAML too).
 */
export function parseManifestText(text: string, file: string): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  const trimmed = text.trimStart();
  const asJson = /\.json$/i.test(file) || (!/\.ya?ml$/i.test(file) && (trimmed.startsWith('{') || trimmed.startsWith('[')));
  if (asJson) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Node's message quotes the text around the error; locate it with the YAML parser instead
      // (JSON is YAML flow syntax) and report the position only.
      const lc = new LineCounter();
      const pos = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
      const e = Array.isArray(pos) ? pos.flatMap((d) => d.errors)[0] : undefined;
      const where = e ? ` at line ${lc.linePos(e.pos[0]).line}, column ${lc.linePos(e.pos[0]).col}` : '';
      throw new InputError(`${file}: document 1: invalid JSON${where}`);
    }
    const docs = Array.isArray(value) ? value : [value];
    docs.forEach((doc, i) => addDocument(out, doc, { file, document: i + 1, line: 1 }));
    return out;
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(docs)) return out; // an empty stream
  docs.forEach((doc, i) => addYamlDocument(out, doc, { file, document: i + 1 }, lineCounter.linePos));
  return out;
}

/**
 * A line that is nothing but a document marker (`---` or `...`, then at most blanks and a comment),
 * newline included. YAML 1.2 forbids such a line as content, so it ends whatever came before it,
 * in any context; right after it the parser is at the start of a line with nothing pending.
 */
const BARE_MARKER_LINE = /^(?:---|\.\.\.)(?:[ \t]+(?:#[^\n]*)?)?\r?\n/gm;

/**
 * YAML text that arrives in pieces (split anywhere), read document by document, with the same
 * numbers, lines, entries and errors as `parseManifestText` gives for the whole text.
 *
 * One `yaml` Parser and Composer run over the whole stream (so stream state carries over as in a
 * whole-file parse: a `%YAML 1.1` directive, and its `%TAG`s, hold for the documents after it), but
 * they are fed only text that ends right after a bare marker line. The package's incremental lexer
 * miscounts a line's indentation when its input stops in the middle of that indentation (yaml
 * 2.9.1: `m:\n  - a\n  - b` cut after `m:\n ` reads as `{m: ["a - b"]}`), and forgets a flow
 * collection's line indent across a stop; after a bare marker line it is at a line start with
 * nothing pending, where stopping is safe. Held at once: the text since the last such line (one
 * document, or a run of marker-less ones, plus a read chunk) and the document being converted.
 */
export async function* parseYamlChunks(chunks: AsyncIterable<string> | Iterable<string>, file: string): AsyncGenerator<ManifestEntry> {
  const lines = new LineWindow();
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
  let document = 0;
  let fed = 0; // characters given to the parser so far: its offsets count from the stream's start
  let lists: ListRegion[] = []; // List items held back from the parser, by absolute offset
  // The original text of the documents not yet converted: a document whose List items were hidden from the
  // parser, and that turns out to need the whole-document path, is parsed again from it.
  let history: Array<{ readonly base: number; readonly text: string }> = [];
  const original = (from: number, to: number): string =>
    history
      .filter((h) => h.base < to && h.base + h.text.length > from)
      .map((h) => h.text.slice(Math.max(0, from - h.base), to - h.base))
      .join('');
  function* feed(text: string, incomplete: boolean): Generator<ManifestEntry> {
    // Items are cut out only where the parser starts this text at rest (no scalar or collection left open
    // across the document marker before it).
    const top = parser.stack[0] as { type: string; value?: unknown } | undefined;
    const atRest = parser.stack.length === 0 || (parser.stack.length === 1 && top?.type === 'document' && top.value === undefined);
    const found = atRest ? listRegions(text, fed) : [];
    history.push({ base: fed, text });
    fed += text.length;
    if (found.length > 0) {
      lists.push(...found);
      const hidden = hideRegions(text, found, fed - text.length);
      text = hidden.text;
      lines.queue(hidden.lineStarts);
    }
    for (const token of parser.parse(text, incomplete)) {
      for (const doc of composer.next(token)) yield* entries(doc);
    }
    lines.flushQueued(fed + 1);
    if (!incomplete) for (const doc of composer.end()) yield* entries(doc);
  }
  function* entries(doc: Document.Parsed): Generator<ManifestEntry> {
    const where = { file, document: ++document };
    const region = lists.find((r) => r.key >= doc.range[0] && r.key < doc.range[2]);
    if (region) {
      lists = lists.filter((r) => r !== region);
      yield* listDocument(doc, region, where, lines.linePos, original, () => fed);
    } else {
      const out: ManifestEntry[] = [];
      addYamlDocument(out, doc, where, lines.linePos);
      yield* out;
    }
    // Later documents, and errors the composer attaches to them, all lie after this one's start.
    lines.forgetBefore(doc.range[0]);
    history = history.filter((h) => h.base + h.text.length > doc.range[0]);
  }
  let pending = '';
  let scanFrom = 0; // pending[0, scanFrom) is whole lines without a bare marker line
  for await (const chunk of chunks) {
    pending += chunk;
    let cut = -1;
    BARE_MARKER_LINE.lastIndex = scanFrom;
    for (let m; (m = BARE_MARKER_LINE.exec(pending)); ) cut = m.index + m[0].length;
    if (cut >= 0) {
      yield* feed(pending.slice(0, cut), true);
      pending = pending.slice(cut);
    }
    scanFrom = pending.lastIndexOf('\n') + 1;
  }
  yield* feed(pending, false);
}

/** One parsed YAML document into `out`: the rules both the whole-file and the streamed read apply. */
function addYamlDocument(
  out: ManifestEntry[],
  doc: Document.Parsed,
  where: { readonly file: string; readonly document: number },
  linePos: (offset: number) => { line: number; col: number },
): void {
  const { file, document } = where;
  const line = linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
  const first = doc.errors[0];
  if (first) {
    const pos = linePos(first.pos[0]);
    throw new InputError(`${file}: document ${document}: malformed YAML at line ${pos.line}, column ${pos.col} (${first.code})`);
  }
  const dup = firstDuplicateKey(doc);
  if (dup !== undefined) {
    const pos = linePos(dup);
    throw new InputError(`${file}: document ${document}: malformed YAML at line ${pos.line}, column ${pos.col} (DUPLICATE_KEY)`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new InputError(`${file}: document ${document} (line ${line}): ${err instanceof Error ? firstLine(err.message) : 'unreadable'}`);
  }
  addDocument(out, value, { file, document, line });
}

/**
 * The `items` of a List document in a streamed YAML file, cut out of the text so the parser never builds the
 * whole List (a 22 MB List took 1.9 GB as one parsed document); each item is parsed on its own when its
 * document is converted. `start` is the offset of the first item line; `items` the offsets and texts of the
 * items (each from its `-` line up to the next item at the same indent), with the `-` made a blank, so an
 * item parses as the block mapping it is, at the same columns.
 */
interface ListRegion {
  /** Offset of the `items:` key (inside its document's range, which may end before the blanked items). */
  readonly key: number;
  readonly start: number;
  readonly items: ReadonlyArray<{ readonly offset: number; readonly text: string }>;
}

const ITEMS_KEY = /^items:[ \t]*(?:#[^\n]*)?\r?\n/gm;

/**
 * The List item regions of `text` (which starts at absolute offset `base`): a top-level `items:` key (column 1)
 * followed by a block sequence whose entries all start at one indent. A region ends at the first line at column 1
 * that is not an entry (the next key, a document marker) or at the end of the text; blank and comment-only
 * lines belong to the entry before them. Anything else (an entry line at another indent, a line between the
 * entries' indent and column 1) leaves the document to the parser whole, as do anchors (`&a`), which an alias
 * in a later item may need.
 */
function listRegions(text: string, base: number): ListRegion[] {
  const out: ListRegion[] = [];
  ITEMS_KEY.lastIndex = 0;
  for (let m; (m = ITEMS_KEY.exec(text)); ) {
    let pos = m.index + m[0].length;
    let indent = -1;
    const items: Array<{ offset: number; text: string }> = [];
    let itemStart = -1;
    let ok = true;
    let end = text.length;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      const lineEnd = nl < 0 ? text.length : nl + 1;
      let sp = pos;
      while (sp < lineEnd && text.charCodeAt(sp) === 32) sp++;
      const c = text.charCodeAt(sp);
      const blank = sp >= lineEnd || c === 10 || c === 13 || c === 35; /* # */
      if (!blank) {
        const ind = sp - pos;
        const entry = c === 45 /* - */ && (sp + 1 >= lineEnd || text.charCodeAt(sp + 1) === 32 || text.charCodeAt(sp + 1) === 10 || text.charCodeAt(sp + 1) === 13);
        if (indent < 0) {
          if (!entry) {
            ok = false; // `items:` with a value on the next lines that is not a block sequence
            break;
          }
          indent = ind;
        }
        if (entry && ind === indent) {
          if (itemStart >= 0) items.push({ offset: base + itemStart, text: itemText(text, itemStart, pos) });
          itemStart = pos;
        } else if (ind === 0) {
          end = pos;
          break;
        } else if (ind <= indent) {
          ok = false;
          break;
        }
      }
      pos = lineEnd;
    }
    if (!ok || itemStart < 0) continue;
    if (pos >= text.length) end = text.length;
    items.push({ offset: base + itemStart, text: itemText(text, itemStart, end) });
    const first = items[0]!.offset - base;
    if (/(?:^|[\s\-\[{,:])&[^\s]/.test(text.slice(first, end))) continue;
    if (!closedBefore(text, m.index)) continue;
    out.push({ key: base + m.index, start: base + first, items });
    ITEMS_KEY.lastIndex = end;
  }
  return out;
}

/**
 * Whether no quoted scalar or flow collection is open at `to` in `text` (scanned from its start): only then is
 * an `items:` line there a key. Conservative: a quote that opens a scalar (after a blank, `:`, `,`, `[`, `{`, `-`
 * or at a line start) and never closes, even in a block scalar's text, counts as open, which only costs the cut.
 */
function closedBefore(text: string, to: number): boolean {
  let quote = 0; // 34 ("), 39 ('), or 0
  let depth = 0;
  let comment = false;
  for (let i = 0; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote === 34) {
      if (c === 92 /* \ */) i++;
      else if (c === 34) quote = 0;
      continue;
    }
    if (quote === 39) {
      if (c === 39) {
        if (text.charCodeAt(i + 1) === 39) i++;
        else quote = 0;
      }
      continue;
    }
    const prev = i === 0 ? 10 : text.charCodeAt(i - 1);
    const opens = prev === 10 || prev === 32 || prev === 9 || prev === 58 || prev === 44 || prev === 91 || prev === 123 || prev === 45;
    if (c === 35 /* # */ && (prev === 10 || prev === 32 || prev === 9)) comment = true;
    else if ((c === 34 || c === 39) && opens) quote = c;
    else if (c === 91 || c === 123) depth++;
    else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return quote === 0 && depth === 0;
}

/** One item's text with its `-` indicator made a blank (same offsets, same columns). */
function itemText(text: string, from: number, to: number): string {
  const dash = text.indexOf('-', from);
  return `${text.slice(from, dash)} ${text.slice(dash + 1, to)}`;
}

/**
 * `text` with every region's items turned into one comment line of the same length (a `#`, blanks, and the
 * region's last newline): offsets stay, the parser skips it at once (it lexes blank lines one by one, which for
 * a 22 MB List took 10 s), and the line starts it no longer sees are returned, to be counted for it.
 */
function hideRegions(text: string, regions: readonly ListRegion[], base: number): { text: string; lineStarts: number[] } {
  const parts: string[] = [];
  const lineStarts: number[] = [];
  let at = 0;
  for (const r of regions) {
    const from = r.start - base;
    const last = r.items[r.items.length - 1]!;
    const to = last.offset - base + last.text.length;
    const endsWithNewline = text.charCodeAt(to - 1) === 10;
    const inner = endsWithNewline ? to - 1 : to;
    for (let nl = text.indexOf('\n', from); nl >= 0 && nl < inner; nl = text.indexOf('\n', nl + 1)) lineStarts.push(base + nl + 1);
    parts.push(text.slice(at, from), '#', ' '.repeat(Math.max(0, inner - from - 1)), endsWithNewline ? '\n' : '');
    at = to;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), lineStarts };
}

/**
 * A YAML document whose List items were cut out (`listRegions`): the rest is checked as any document, then the
 * items are parsed and converted one at a time. Any YAML error, a repeated key, or a document that is no List
 * after all sends the document's own text through the whole-document path instead, so messages, numbers and
 * lines are exactly that path's (a broken List costs the whole parse; a good one never does).
 */
function* listDocument(
  doc: Document.Parsed,
  region: ListRegion,
  where: { readonly file: string; readonly document: number },
  linePos: (offset: number) => { line: number; col: number },
  original: (from: number, to: number) => string,
  fedSoFar: () => number,
): Generator<ManifestEntry> {
  const { file, document } = where;
  const version = doc.directives?.yaml.version;
  const options = { prettyErrors: false, uniqueKeys: false, ...(version ? { version } : {}) } as const;
  /** The whole-document path over the document's original text, without its first `skip` entries (already given). */
  const whole = function* (skip: number): Generator<ManifestEntry> {
    const start = doc.range[0];
    const last = region.items[region.items.length - 1]!;
    // Up to everything read so far: where this document ends in the original text is for the parser to say.
    const text = original(start, Math.max(doc.range[2], last.offset + last.text.length, fedSoFar()));
    const docs = parseAllDocuments(text, options);
    const out: ManifestEntry[] = [];
    const d = Array.isArray(docs) ? docs[0] : undefined;
    if (d) addYamlDocument(out, d, where, (off) => linePos(off + start));
    yield* out.slice(skip);
  };
  const contents = doc.contents;
  if (doc.errors.length > 0 || firstDuplicateKey(doc) !== undefined || !isMap(contents) || contents.flow || contents.get('items') != null) {
    yield* whole(0);
    return;
  }
  const line = linePos(contents.range?.[0] ?? doc.range[0]).line;
  const at: ManifestSource = { file, document, line };
  const toValue = (d: Document.Parsed): unknown => {
    try {
      return d.toJS({ maxAliasCount: 100 });
    } catch (err) {
      throw new InputError(`${file}: document ${document} (line ${line}): ${err instanceof Error ? firstLine(err.message) : 'unreadable'}`);
    }
  };
  const obj = toValue(doc) as Record<string, unknown>;
  const kind = obj['kind'];
  const apiVersion = obj['apiVersion'];
  if (typeof kind !== 'string' || !(kind === 'List' || kind.endsWith('List')) || typeof apiVersion !== 'string' || apiVersion === '') {
    yield* whole(0);
    return;
  }
  const parseItem = (it: { text: string }): Document.Parsed | undefined => {
    const d = parseAllDocuments(it.text, options);
    const item = Array.isArray(d) && d.length === 1 ? d[0]! : undefined;
    return !item || item.errors.length > 0 || firstDuplicateKey(item) !== undefined ? undefined : item;
  };
  for (let i = 0; i < region.items.length; i++) {
    const item = parseItem(region.items[i]!);
    if (!item) {
      yield* whole(i);
      return;
    }
    let entry: ManifestEntry;
    try {
      entry = listItem(toValue(item), kind, apiVersion, { ...at, item: i });
    } catch (err) {
      // The whole-document path reports YAML errors anywhere in the document before any item's content.
      if (region.items.slice(i + 1).some((it) => !parseItem(it))) {
        yield* whole(i);
        return;
      }
      throw err;
    }
    yield entry;
  }
}

/**
 * Offset of the first repeated key of any mapping in the document, or undefined. The `yaml` package's own
 * check (`uniqueKeys`) compares each new key with every earlier key of its mapping, which makes one mapping
 * with n keys cost n²/2 comparisons (a 10 MB mapping: minutes); parsing runs with it off and this pass
 * does the same check with one set per mapping: the same keys count as equal (scalars of equal value).
 */
function firstDuplicateKey(doc: Document.Parsed): number | undefined {
  let first: number | undefined;
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        if (isScalar(key)) {
          // Keys are compared by value, as the package does (`1` and `"1"` differ: a number and a string).
          if (seen.has(key.value)) {
            const at = key.range?.[0] ?? 0;
            if (first === undefined || at < first) first = at;
          } else seen.add(key.value);
        } else if (key !== null && key !== undefined) stack.push(key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return first;
}

/**
 * The `yaml` package's LineCounter, answering the same `{ line, col }` for an offset, but keeping
 * only the line starts from a given offset on: a streamed file's memory must not grow with its
 * line count.
 */
class LineWindow {
  private starts: number[] = [];
  /** Index in `starts` of the first line start still in use. */
  private head = 0;
  /** Line starts dropped from the front of `starts`. */
  private dropped = 0;

  /** Line starts the parser will not see (inside List items cut out of its input), in order, from `queuedHead` on. */
  private queued: number[] = [];
  private queuedHead = 0;

  readonly addNewLine = (offset: number): void => {
    this.flushQueued(offset);
    // The parser reports offset 0 on every call made before its first token; count it once.
    const last = this.starts[this.starts.length - 1];
    if (last !== undefined && last >= offset) return;
    this.starts.push(offset);
  };

  /** Line starts of text the parser is given in another form (same length, fewer newlines): counted in order. */
  queue(offsets: readonly number[]): void {
    if (this.queuedHead === this.queued.length) {
      this.queued = [];
      this.queuedHead = 0;
    }
    for (const o of offsets) this.queued.push(o);
  }

  /** Counts the queued line starts before `offset`. */
  flushQueued(offset: number): void {
    const q = this.queued;
    while (this.queuedHead < q.length && q[this.queuedHead]! < offset) {
      const o = q[this.queuedHead++]!;
      const last = this.starts[this.starts.length - 1];
      if (last === undefined || last < o) this.starts.push(o);
    }
  }

  readonly linePos = (offset: number): { line: number; col: number } => {
    const s = this.starts;
    let low = this.head;
    let high = s.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (s[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    const base = this.dropped;
    if (s[low] === offset) return { line: base + low + 1, col: 1 };
    if (low === this.head) return { line: base + low, col: offset }; // before the first known line: as LineCounter does
    return { line: base + low, col: offset - s[low - 1]! + 1 };
  };

  /** Drop the line starts no offset at or after `offset` needs (the line containing it is kept). */
  forgetBefore(offset: number): void {
    const s = this.starts;
    while (this.head + 1 < s.length && s[this.head + 1]! <= offset) this.head++;
    if (this.head > 4096 && this.head * 2 > s.length) {
      s.splice(0, this.head);
      this.dropped += this.head;
      this.head = 0;
    }
  }
}

/** Yield every object under `path` (a directory, walked recursively in name order, or one file), one file at a time. */
export async function* iterateManifests(path: string, options: ReadOptions = {}): AsyncGenerator<ManifestEntry> {
  const streamJsonAbove = options.streamJsonAbove ?? STREAM_JSON_BYTES;
  const streamYamlAbove = options.streamYamlAbove ?? STREAM_YAML_BYTES;
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file or directory`);
  }
  const files = st.isDirectory() ? await listFiles(path) : [path];
  const base = st.isDirectory() ? path : '';
  for (const f of files) {
    const name = base === '' ? f : relative(base, f);
    const isJson = /\.json$/i.test(f);
    const isYaml = /\.ya?ml$/i.test(f);
    if (isJson || isYaml) {
      let size: number;
      try {
        size = (await stat(f)).size;
      } catch (err) {
        throw cannotRead(name, err); // a dangling symlink
      }
      if (size >= (isJson ? streamJsonAbove : streamYamlAbove)) {
        yield* isJson ? streamJsonFile(f, name) : streamYamlFile(f, name);
        continue;
      }
    }
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch (err) {
      throw cannotRead(name, err);
    }
    yield* parseManifestText(text, name);
  }
}

/** Read a directory (or one file) into typed buckets. */
export async function readManifestDir(path: string, options: ReadOptions = {}): Promise<Manifests> {
  const m = emptyManifests();
  for await (const e of iterateManifests(path, options)) addEntry(m, e);
  return m;
}

export interface ReadOptions {
  /** `.json` files of at least this many bytes are streamed item by item (default 32 MiB). */
  readonly streamJsonAbove?: number;
  /** `.yaml`/`.yml` files of at least this many bytes are streamed document by document (default 1 MiB). */
  readonly streamYamlAbove?: number;
}

const STREAM_JSON_BYTES = 32 * 1024 * 1024;
// Streaming a YAML file is as fast as parsing it whole from about 64 KiB up (faster from 1 MiB,
// ~2x at 100 MB, with 1/20 of the memory); only a file of a few hundred bytes reads faster whole.
const STREAM_YAML_BYTES = 1024 * 1024;

/** A large YAML file, read in chunks and parsed document by document (`parseYamlChunks`). */
async function* streamYamlFile(file: string, name: string): AsyncGenerator<ManifestEntry> {
  yield* parseYamlChunks(readChunks(file, name), name);
}

/** The error for a file that cannot be read: its name and the system's code, never its content. */
function cannotRead(name: string, err: unknown): InputError {
  return new InputError(`${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
}

/** A file's text in 1 MiB chunks; a read failure is an InputError naming the file. */
async function* readChunks(file: string, name: string): AsyncGenerator<string> {
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) yield chunk;
  } catch (err) {
    throw cannotRead(name, err);
  }
}

/**
 * A large `.json` file, read in chunks: the items of a List are cut out one by one (by brace depth,
 * outside strings) and parsed separately, so neither the whole text nor the whole parsed tree is
 * ever held. Everything outside `items` (apiVersion, kind, metadata) is kept as a skeleton and
 * parsed at the end; a file without top-level `items` ends up parsed whole from that skeleton.
 * Items without their own kind (raw API lists) take it from the list's kind, which the API puts
 * before `items`; should it come after, those items wait for it.
 */
async function* streamJsonFile(file: string, name: string): AsyncGenerator<ManifestEntry> {
  const at = (line: number, item?: number): ManifestSource => (item === undefined ? { file: name, document: 1, line } : { file: name, document: 1, line, item });
  const bad = (line: number, what = 'invalid JSON') => new InputError(`${name}: document 1: ${what} at line ${line}`);
  let depth = 0;
  let inStr = false;
  let esc = false;
  let line = 1;
  const skeleton: string[] = [];
  let item: string[] | undefined; // the current item's text, while inside one
  let itemLine = 0;
  let itemIndex = 0;
  let inItems = false; // inside the top-level items array
  let sawItems = false;
  let expect: 'key' | 'value' = 'key';
  let lastKey = '';
  let str: string[] = []; // a depth-1 string's raw text (keys, kind, apiVersion)
  let listKind: string | undefined;
  let listApiVersion: string | undefined;
  const waiting: Array<[Record<string, unknown>, ManifestSource]> = [];

  const typedItem = (obj: Record<string, unknown>, src: ManifestSource): ManifestEntry | undefined => {
    if (typeof obj['kind'] === 'string') return toEntry(obj, src);
    if (listKind === undefined) {
      waiting.push([obj, src]);
      return undefined;
    }
    const k = listKind === 'List' ? undefined : listKind.replace(/List$/, '');
    return toEntry({ ...obj, kind: obj['kind'] ?? k, apiVersion: obj['apiVersion'] ?? (k ? listApiVersion : undefined) }, src);
  };

  try {
    for await (const chunk of readChunks(file, name)) {
      let seg = 0; // start of the not yet copied part of this chunk
      const flush = (end: number) => {
        if (end > seg) (item ?? (inItems ? undefined : skeleton))?.push(chunk.slice(seg, end));
        seg = end;
      };
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (inStr) {
          if (esc) esc = false;
          else if (c === 92 /* \ */) esc = true;
          else if (c === 34 /* " */) {
            inStr = false;
            if (depth === 1 && !item) {
              str.push(chunk.slice(seg, i));
              const raw = str.join('');
              if (expect === 'key') lastKey = raw;
              else if (lastKey === 'kind') listKind = JSON.parse(`"${raw}"`) as string;
              else if (lastKey === 'apiVersion') listApiVersion = JSON.parse(`"${raw}"`) as string;
              skeleton.push(raw);
              seg = i;
            }
          }
          continue;
        }
        if (c === 10) line++;
        else if (inItems && !item && depth === 2 && c !== 123 && c !== 93 && c !== 44 && c !== 32 && c !== 9 && c !== 13) {
          throw bad(line, `item ${itemIndex} is not an object`);
        } else if (c === 34) {
          inStr = true;
          if (depth === 1 && !item) {
            flush(i + 1);
            str = [];
          }
        } else if (c === 123 /* { */ || c === 91 /* [ */) {
          if (inItems && !item && depth === 2) {
            flush(i);
            item = [];
            itemLine = line;
          } else if (depth === 1 && c === 91 && expect === 'value' && lastKey === 'items' && !item) {
            flush(i + 1);
            inItems = true;
            sawItems = true;
          } else if (depth === 0) {
            expect = 'key';
          }
          depth++;
        } else if (c === 125 /* } */ || c === 93 /* ] */) {
          depth--;
          if (depth < 0) throw bad(line);
          if (item && depth === 2) {
            flush(i + 1);
            let obj: unknown;
            try {
              obj = JSON.parse(item.join(''));
            } catch {
              throw bad(itemLine, `item ${itemIndex}: invalid JSON`);
            }
            item = undefined;
            const e = typedItem(obj as Record<string, unknown>, at(itemLine, itemIndex));
            itemIndex++;
            if (e) yield e;
          } else if (inItems && !item && depth === 1) {
            flush(i);
            inItems = false;
          }
        } else if (depth === 1 && !item) {
          if (c === 58 /* : */) expect = 'value';
          else if (c === 44 /* , */) expect = 'key';
        }
      }
      if (inStr && depth === 1 && !item) {
        str.push(chunk.slice(seg));
        seg = chunk.length;
      }
      flush(chunk.length);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw cannotRead(name, err);
  }
  if (depth !== 0 || inStr) throw bad(line, 'unterminated JSON');
  let root: unknown;
  try {
    root = JSON.parse(skeleton.join(''));
  } catch {
    throw bad(1);
  }
  if (!sawItems) {
    const out: ManifestEntry[] = [];
    for (const [i, doc] of (Array.isArray(root) ? root : [root]).entries()) addDocument(out, doc, { file: name, document: i + 1, line: 1 });
    yield* out;
    return;
  }
  const kind = (root as Record<string, unknown>)['kind'];
  if (typeof kind !== 'string' || !kind.endsWith('List')) throw new InputError(`${name}: document 1: a top-level "items" array in a ${typeof kind === 'string' ? kind : 'kindless object'}, not a List`);
  listKind = kind;
  listApiVersion = typeof (root as Record<string, unknown>)['apiVersion'] === 'string' ? ((root as Record<string, unknown>)['apiVersion'] as string) : undefined;
  for (const [obj, src] of waiting) {
    const e = typedItem(obj, src);
    if (e) yield e;
  }
}

/** Group already parsed entries (e.g. from several `parseManifestText` calls). */
export function groupManifests(entries: Iterable<ManifestEntry>): Manifests {
  const m = emptyManifests();
  for (const e of entries) addEntry(m, e);
  return m;
}

/** How many objects of each bucket, and how many unknown objects per `apiVersion/kind`. */
export function countManifests(m: Manifests): { readonly byBucket: Record<string, number>; readonly skipped: Record<string, number> } {
  const byBucket: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (k !== 'other') byBucket[k] = (v as unknown[]).length;
  const skipped: Record<string, number> = {};
  for (const o of m.other) {
    const k = `${o.apiVersion}/${o.kind}`;
    skipped[k] = (skipped[k] ?? 0) + 1;
  }
  return { byBucket, skipped };
}

function addEntry(m: Manifests, e: ManifestEntry): void {
  if (e.bucket === 'other') m.other.push(e.object);
  else (m[e.bucket] as object[]).push(e.object);
}

function addDocument(out: ManifestEntry[], doc: unknown, at: ManifestSource): void {
  if (doc === null || doc === undefined) return; // an empty document (`---` at the end of a file)
  const obj = asRecord(doc, at, 'a document');
  const kind = stringField(obj, 'kind', at);
  const apiVersion = stringField(obj, 'apiVersion', at);
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(obj['items']))) {
    const items = obj['items'];
    if (items === undefined || items === null) return;
    if (!Array.isArray(items)) throw new InputError(`${describeSource(at)}: ${kind}.items is not a list`);
    items.forEach((item, i) => out.push(listItem(item, kind, apiVersion, { ...at, item: i })));
    return;
  }
  out.push(toEntry(obj, at));
}

/** One item of a List of `kind`: a raw API list (PodList) leaves kind/apiVersion off its items; kubectl's List keeps them. */
function listItem(item: unknown, kind: string, apiVersion: string, src: ManifestSource): ManifestEntry {
  const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  const rec = asRecord(item, src, 'a list item');
  return toEntry({ ...rec, kind: rec['kind'] ?? itemKind, apiVersion: rec['apiVersion'] ?? (itemKind ? apiVersion : undefined) }, src);
}

function toEntry(obj: Record<string, unknown>, at: ManifestSource): ManifestEntry {
  const kind = stringField(obj, 'kind', at);
  const apiVersion = stringField(obj, 'apiVersion', at);
  const metaRaw = obj['metadata'];
  const meta = metaRaw === undefined ? undefined : asRecord(metaRaw, at, 'metadata');
  if (!meta || typeof meta['name'] !== 'string' || meta['name'] === '') {
    throw new InputError(`${describeSource(at)}: ${kind} has no metadata.name`);
  }
  for (const f of ['namespace', 'labels', 'annotations'] as const) {
    const v = meta[f];
    if (v === undefined || v === null) continue;
    if (f === 'namespace' ? typeof v !== 'string' : !isStringMap(v)) {
      throw new InputError(`${describeSource(at)}: ${kind} ${String(meta['name'])}: metadata.${f} must be ${f === 'namespace' ? 'a string' : 'a map of strings'}`);
    }
  }
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const def = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  const cleanMeta = stripMeta(meta);
  if (!def || def.group !== group) {
    const other: OtherObject = { apiVersion, kind, metadata: ObjectSerializer.deserialize(cleanMeta, 'V1ObjectMeta', '') as V1ObjectMeta, source: at };
    return { bucket: 'other', object: other, source: at };
  }
  const body: Record<string, unknown> = { ...obj, metadata: cleanMeta };
  if (kind === 'Secret') {
    delete body['data'];
    delete body['stringData'];
  } else if (kind === 'ConfigMap') {
    delete body['data'];
    delete body['binaryData'];
  }
  const problem = shapeProblem(body, def.type, '');
  if (problem) throw new InputError(`${describeSource(at)}: ${kind} ${String(meta['name'])}: ${problem}`);
  const typed = ObjectSerializer.deserialize(body, def.type, '') as object;
  sources.set(typed, at);
  return { bucket: def.bucket, object: typed, source: at };
}

interface AttributeType {
  readonly baseName: string;
  readonly type: string;
}
type ModelClass = { getAttributeTypeMap(): readonly AttributeType[] };
const modelTypes = models as unknown as Record<string, ModelClass | undefined>;

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** A value's kind for messages: never the value itself (it may be a secret). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/**
 * The first place where `value` does not have the shape of the client's model `type` (a list where a
 * mapping belongs, `containers: [null, 3, "x"]`, a number for a string field), as `path: expected X, got Y`;
 * undefined when it fits. The client's deserializer trusts its input (it iterates a string as a list and
 * keeps nulls in lists), and the engines trust the typed objects, so a manifest is checked here, once,
 * with the API server's own types. Quantities may be numbers (`cpu: 1`), as the API server accepts.
 */
export function shapeProblem(value: unknown, type: string, path: string): string | undefined {
  if (value === undefined || value === null) return undefined; // absent; null in a list is caught by the list
  const at = path === '' ? '' : `${path}: `;
  const fail = (expected: string) => `${at}expected ${expected}, got ${kindOf(value)}`;
  switch (type) {
    case 'any':
    case 'object':
      return undefined;
    case 'string':
      return typeof value === 'string' ? undefined : fail('a string');
    case 'number':
    case 'integer':
    case 'double':
    case 'float':
    case 'long':
      return typeof value === 'number' ? undefined : fail('a number');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : fail('a boolean');
    case 'Date':
      return typeof value === 'string' || value instanceof Date ? undefined : fail('a timestamp');
    case 'IntOrString':
      return typeof value === 'string' || typeof value === 'number' ? undefined : fail('a number or a string');
  }
  const arr = ARRAY.exec(type);
  if (arr) {
    if (!Array.isArray(value)) return fail('a list');
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || item === undefined) return `${path}[${i}]: expected ${arr[1] === 'string' ? 'a string' : 'an entry'}, got null`;
      const p = shapeProblem(item, arr[1]!, `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  const map = MAP.exec(type);
  if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) return fail('a mapping');
    const valueType = map[1] === 'string' ? 'quantity-or-string' : map[1]!;
    for (const [k, v] of Object.entries(value)) {
      const p = valueType === 'quantity-or-string' ? (v === null || typeof v === 'string' || typeof v === 'number' ? undefined : `${path}.${k}: expected a string, got ${kindOf(v)}`) : shapeProblem(v, valueType, `${path}.${k}`);
      if (p) return p;
    }
    return undefined;
  }
  const model = Object.hasOwn(modelTypes, type) ? modelTypes[type] : undefined;
  if (!model || typeof model.getAttributeTypeMap !== 'function') return undefined; // a type the client does not describe
  if (typeof value !== 'object' || Array.isArray(value)) return fail('a mapping');
  const rec = value as Record<string, unknown>;
  for (const a of model.getAttributeTypeMap()) {
    if (!Object.hasOwn(rec, a.baseName)) continue;
    // Quantities (sizeLimit and friends) are typed string by the client; the API server also takes numbers.
    const t = a.type === 'string' && typeof rec[a.baseName] === 'number' && QUANTITY_FIELDS.has(a.baseName) ? 'number' : a.type;
    const p = shapeProblem(rec[a.baseName], t, path === '' ? a.baseName : `${path}.${a.baseName}`);
    if (p) return p;
  }
  return undefined;
}

const QUANTITY_FIELDS = new Set(['sizeLimit', 'storage', 'limit', 'request']);

/** Metadata without the last-applied copy (it repeats values) and managedFields (bulk, no meaning here). */
function stripMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const { managedFields: _mf, ...rest } = meta;
  const ann = rest['annotations'];
  if (ann && typeof ann === 'object' && Object.hasOwn(ann, LAST_APPLIED)) {
    const { [LAST_APPLIED]: _la, ...keep } = ann as Record<string, unknown>;
    rest['annotations'] = keep;
  }
  return rest;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p); // symlinked directories are not followed: no loops
      else if ((e.isFile() || e.isSymbolicLink()) && MANIFEST_EXT.test(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

function asRecord(v: unknown, at: ManifestSource, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`${describeSource(at)}: ${what} must be a mapping`);
  return v as Record<string, unknown>;
}

function stringField(obj: Record<string, unknown>, field: string, at: ManifestSource): string {
  const v = obj[field];
  if (typeof v !== 'string' || v === '') throw new InputError(`${describeSource(at)}: missing or non-string "${field}"`);
  return v;
}

function isStringMap(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').replace(/:\s*$/, '');
}
