/**
 * Untrusted text (MCP tool descriptions, names from config files) shown to a human: control,
 * zero-width, bidirectional and tag characters become visible \u{…} escapes, so a terminal shows
 * what the text is instead of doing what it says (no ANSI sequences, no hidden lines).
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/gu;

export function escapeUntrusted(s: string, max = 160): string {
  const out = s.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
