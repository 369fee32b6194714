/**
 * Package manifests and lock files → declared dependencies. Pure: text in, dependencies and
 * per-line problems out; the scan decides which of them are AI components (catalog.json).
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parse as smolParse, TomlError } from 'smol-toml';
import type { Ecosystem } from './catalog.js';

export interface DeclaredDep {
  ecosystem: Ecosystem;
  name: string;
  version: string | null;
  pinned: boolean;
  /** Lock files pin what manifests only constrain: a lock entry wins over a manifest entry. */
  fromLock: boolean;
}

export interface ParsedManifest {
  deps: DeclaredDep[];
  /** Problems inside a file that still parsed: "line N: …". */
  problems: string[];
}

/** Manifest and lock file names the scan reads, with their parser. */
export function manifestKind(base: string): 'package.json' | 'package-lock' | 'requirements' | 'pyproject' | 'toml-lock' | undefined {
  if (base === 'package.json') return 'package.json';
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return 'package-lock';
  if (/^requirements([-_.][\w.-]*)?\.(txt|in)$/.test(base)) return 'requirements';
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'poetry.lock' || base === 'uv.lock') return 'toml-lock';
  return undefined;
}

export function parseManifest(kind: NonNullable<ReturnType<typeof manifestKind>>, text: string): ParsedManifest {
  switch (kind) {
    case 'package.json':
      return parsePackageJson(text);
    case 'package-lock':
      return parsePackageLock(text);
    case 'requirements':
      return parseRequirements(text);
    case 'pyproject':
      return parsePyproject(text);
    case 'toml-lock':
      return parseTomlLock(text);
  }
}

/** TOML with a one-line error naming line and column. */
function parseToml(text: string): unknown {
  try {
    return smolParse(text);
  } catch (e) {
    if (e instanceof TomlError) throw new Error(`line ${e.line}, column ${e.column}: invalid TOML (${e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')})`);
    throw e;
  }
}

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:[-+][\w.+-]*)?$/;

/** JSON with a line number in the error, so "bad input" names where. */
export function parseJsonStrict(text: string): unknown {
  const errors: ParseError[] = [];
  const v: unknown = parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0) throw new Error(jsonErrorMessage(text, errors[0]!));
  return v;
}

/** JSON with comments and trailing commas (VS Code and several MCP clients accept them). */
export function parseJsonLenient(text: string): unknown {
  const errors: ParseError[] = [];
  const v: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) throw new Error(jsonErrorMessage(text, errors[0]!));
  return v;
}

function jsonErrorMessage(text: string, e: ParseError): string {
  const line = text.slice(0, e.offset).split('\n').length;
  return `line ${line}: invalid JSON (${printParseErrorCode(e.error)})`;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parsePackageJson(text: string): ParsedManifest {
  const j = parseJsonStrict(text);
  if (!isObj(j)) throw new Error('not a JSON object');
  const deps: DeclaredDep[] = [];
  const problems: string[] = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    const d = j[field];
    if (d === undefined) continue;
    if (!isObj(d)) {
      problems.push(`field \`${field}\`: not an object`);
      continue;
    }
    for (const [name, range] of Object.entries(d)) {
      if (typeof range !== 'string') {
        problems.push(`field \`${field}.${name}\`: version is not a string`);
        continue;
      }
      deps.push({ ecosystem: 'npm', name, version: range || null, pinned: EXACT_SEMVER.test(range), fromLock: false });
    }
  }
  return { deps, problems };
}

function parsePackageLock(text: string): ParsedManifest {
  const j = parseJsonStrict(text);
  if (!isObj(j)) throw new Error('not a JSON object');
  const deps: DeclaredDep[] = [];
  const problems: string[] = [];
  if (isObj(j.packages)) {
    // lockfileVersion 2/3: keys are install paths; the package name is what follows the last node_modules/.
    for (const [key, v] of Object.entries(j.packages)) {
      if (key === '' || !isObj(v)) continue;
      const i = key.lastIndexOf('node_modules/');
      if (i < 0) continue;
      const name = key.slice(i + 'node_modules/'.length);
      if (typeof v.version !== 'string') {
        problems.push(`field \`packages.${key}.version\`: missing`);
        continue;
      }
      deps.push({ ecosystem: 'npm', name, version: v.version, pinned: true, fromLock: true });
    }
  } else if (isObj(j.dependencies)) {
    for (const [name, v] of Object.entries(j.dependencies)) {
      if (isObj(v) && typeof v.version === 'string') deps.push({ ecosystem: 'npm', name, version: v.version, pinned: true, fromLock: true });
    }
  } else throw new Error('neither `packages` nor `dependencies`: not an npm lock file');
  return { deps, problems };
}

/** PEP 508 requirement: name, optional extras, optional version spec; markers after ';' ignored. */
const REQ = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(\(?\s*((?:===?|~=|!=|<=?|>=?)\s*[^;,\s)]+(?:\s*,\s*(?:===?|~=|!=|<=?|>=?)\s*[^;,\s)]+)*)\s*\)?)?\s*(;.*)?$/;

/** One PEP 508 string → dependency, or undefined when it is not one. */
export function parsePep508(s: string): DeclaredDep | undefined {
  const m = REQ.exec(s.trim());
  if (!m) return undefined;
  const spec = m[4]?.replace(/\s+/g, '') ?? null;
  const exact = spec !== null && /^===?[^,*]+$/.test(spec);
  return { ecosystem: 'pypi', name: m[1]!, version: exact ? spec.replace(/^===?/, '') : spec, pinned: exact, fromLock: false };
}

function parseRequirements(text: string): ParsedManifest {
  const deps: DeclaredDep[] = [];
  const problems: string[] = [];
  // Backslash continuations join lines; hashes (--hash=…) pin a requirement as firmly as ==.
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line.startsWith('-') || /^(git\+|https?:|file:|\.{0,2}\/)/.test(line)) return;
    const hashed = /--hash=/.test(line);
    const d = parsePep508(line.replace(/\s--[\w-]+(=\S+)?/g, ''));
    if (!d) {
      problems.push(`line ${i + 1}: not a requirement: ${JSON.stringify(line.slice(0, 80))}`);
      return;
    }
    deps.push(hashed && d.version ? { ...d, pinned: true } : d);
  });
  return { deps, problems };
}

function parsePyproject(text: string): ParsedManifest {
  const t = parseToml(text) as Record<string, unknown>;
  const deps: DeclaredDep[] = [];
  const problems: string[] = [];
  const pep508List = (list: unknown, where: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((s, i) => {
      const d = typeof s === 'string' ? parsePep508(s) : undefined;
      if (d) deps.push(d);
      else if (!(isObj(s) && 'include-group' in s)) problems.push(`field \`${where}[${i}]\`: not a requirement`);
    });
  };
  const project = t.project;
  if (isObj(project)) {
    pep508List(project.dependencies, 'project.dependencies');
    if (isObj(project['optional-dependencies'])) for (const [g, l] of Object.entries(project['optional-dependencies'])) pep508List(l, `project.optional-dependencies.${g}`);
  }
  if (isObj(t['dependency-groups'])) for (const [g, l] of Object.entries(t['dependency-groups'])) pep508List(l, `dependency-groups.${g}`);
  const poetry = isObj(t.tool) && isObj(t.tool.poetry) ? t.tool.poetry : undefined;
  if (poetry) {
    const tables: [string, unknown][] = [['tool.poetry.dependencies', poetry.dependencies]];
    if (isObj(poetry.group)) for (const [g, v] of Object.entries(poetry.group)) if (isObj(v)) tables.push([`tool.poetry.group.${g}.dependencies`, v.dependencies]);
    for (const [where, table] of tables) {
      if (!isObj(table)) continue;
      for (const [name, v] of Object.entries(table)) {
        if (name.toLowerCase() === 'python') continue;
        const spec = typeof v === 'string' ? v : isObj(v) && typeof v.version === 'string' ? v.version : null;
        if (spec === null && !isObj(v)) {
          problems.push(`field \`${where}.${name}\`: not a version or table`);
          continue;
        }
        // Poetry: a bare version ("1.2.3") or "==1.2.3" is exact; ^ ~ * ranges are not.
        const exact = spec !== null && /^(==)?\d[\w.+-]*$/.test(spec);
        deps.push({ ecosystem: 'pypi', name, version: exact ? spec.replace(/^==/, '') : spec, pinned: exact, fromLock: false });
      }
    }
  }
  return { deps, problems };
}

function parseTomlLock(text: string): ParsedManifest {
  const t = parseToml(text) as Record<string, unknown>;
  if (!Array.isArray(t.package)) throw new Error('no [[package]] entries: not a poetry or uv lock file');
  const deps: DeclaredDep[] = [];
  const problems: string[] = [];
  t.package.forEach((p, i) => {
    if (isObj(p) && typeof p.name === 'string' && typeof p.version === 'string') deps.push({ ecosystem: 'pypi', name: p.name, version: p.version, pinned: true, fromLock: true });
    else if (!(isObj(p) && typeof p.name === 'string' && isObj(p.source) && ('editable' in p.source || 'virtual' in p.source))) problems.push(`package[${i}]: name or version missing`);
  });
  return { deps, problems };
}

/**
 * An installed Python distribution's core metadata (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO` or an
 * `.egg-info` file): the `Name` and `Version` header fields before the first blank line (the body is the
 * long description). Installed versions are exact, so they count like a lock entry.
 */
export function parseInstalledMetadata(text: string): DeclaredDep {
  const head = text.replace(/\r\n?/g, '\n').split('\n\n', 1)[0]!;
  const field = (name: string) => {
    const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(head);
    const v = m?.[1]?.trim();
    if (!v) throw new Error(`field \`${name}\`: missing from the metadata header`);
    return v;
  };
  const name = field('Name');
  const version = field('Version');
  if (!/^[A-Za-z0-9]([\w.-]*[A-Za-z0-9])?$/.test(name)) throw new Error(`field \`Name\`: not a distribution name: ${JSON.stringify(name.slice(0, 80))}`);
  return { ecosystem: 'pypi', name, version, pinned: true, fromLock: true };
}
