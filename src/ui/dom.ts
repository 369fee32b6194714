/**
 * The only way the explorer makes DOM: every string becomes a text node or an attribute value, never
 * markup. Graph data (tool descriptions, names, Cypher results) is untrusted; nothing here parses HTML,
 * so `<script>` or `<img onerror>` in the data is shown as the characters it is.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

/** Attributes that take a URL: only fragment links inside the explorer are written. */
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction']);

/** Appends children: strings as text nodes, arrays flattened, falsy skipped. */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, ...(c as Child[]));
    else if (c instanceof Node) parent.appendChild(c);
    else parent.appendChild(document.createTextNode(String(c)));
  }
}

/**
 * `h('a', { href: '#/agent/x', class: 'link' }, 'text')`. Functions under `on…` keys are listeners;
 * `true` sets a boolean attribute, false/null/undefined leave it out. A URL attribute that is not a
 * fragment (`#…`) is refused, so data can never become a `javascript:` link.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') {
      el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
      continue;
    }
    if (URL_ATTRS.has(k) && !String(v).startsWith('#')) throw new Error(`refusing a non-fragment ${k}: the explorer links only inside itself`);
    if (k === 'value' && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) el.value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

/** Removes every child, then appends `children`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/** A cell's text for any JSON value: strings as they are, the rest as compact JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** A table with a header row; `cells` returns the row's cells (strings become text). */
export function table<T>(columns: readonly string[], rows: readonly T[], cells: (row: T) => Child[], opts: { caption?: string; empty?: string; testId?: string } = {}): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty', 'data-testid': opts.testId }, opts.empty ?? 'nothing to show');
  return h(
    'table',
    { 'data-testid': opts.testId },
    opts.caption ? h('caption', {}, opts.caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, cells(r).map((c) => h('td', {}, c))))),
  );
}

/** A small coloured label: severity, status, edge kind. */
export function badge(text: string, kind = text): HTMLElement {
  return h('span', { class: `badge badge-${kind.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` }, text);
}

/** A section with a heading; its body is filled later (each section loads on its own). */
export function section(title: string, testId: string): { root: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'section-body' }, h('p', { class: 'loading' }, 'loading…'));
  return { root: h('section', { 'data-testid': testId }, h('h2', {}, title), body), body };
}

/** An error line for a section that could not load (the API's message and code, as text). */
export function errorLine(e: unknown): HTMLElement {
  const code = (e as { code?: string }).code;
  return h('p', { class: 'error', role: 'alert' }, `${(e as Error).message ?? String(e)}${code ? ` (${code})` : ''}`);
}

/** `#/path?a=b` link. */
export function link(route: string, text: Child, attrs: Attrs = {}): HTMLAnchorElement {
  return h('a', { href: `#${route}`, ...attrs }, text);
}

/** Route helper: `#/agent/` + encoded id. */
export const agentRoute = (id: string) => `/agent/${encodeURIComponent(id)}`;
export const nodeRoute = (id: string) => `/node/${encodeURIComponent(id)}`;
