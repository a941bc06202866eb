/**
 * A small, deliberately conservative set of payload signatures: each one needs syntax that ordinary
 * names, addresses and notes never contain (an SQL keyword right after a closing quote, a script tag,
 * a `..` between path separators), so that "O'Brien", "Straße des 17. Juni 1–3" or "c/o Müller & Söhne"
 * never count. It detects attempts; it protects nothing by itself — queries are parameterised and
 * output is encoded anyway. A hit is a signal for intrusion prevention, never a refusal on its own.
 */
const SIGNATURES: ReadonlyArray<readonly [string, RegExp]> = [
  ['sql_union_select', /\bunion\b[\s/*()]+(?:(?:all|distinct)[\s/*()]+)?select\b/i],
  // ' or 1=1, ' or 'a'='a, admin' and 1=1
  ['sql_tautology', /['"`]\s*\)*\s*\b(?:or|and|xor)\b\s+(?:\d+|['"`][^'"`]*['"`]?)\s*(?:=|<>|!=|\blike\b)\s*(?:\d|['"`])/i],
  // admin'-- / admin';--  (a comment that cuts off the rest of the statement)
  ['sql_comment', /['"`]\s*\)*\s*;?\s*--(?:\s|$)/],
  ['sql_stacked', /;\s*(?:(?:drop|truncate|alter)\s+(?:table|database|schema|role|user)\b|delete\s+from\b|insert\s+into\b|update\s+\w+\s+set\b|exec(?:ute)?\s+\w)/i],
  ['sql_delay', /\bpg_sleep\s*\(|\bsleep\(\s*\d+\s*\)|\bbenchmark\s*\(\s*\d+\s*,|\bwaitfor\s+delay\s+['"]/i],
  ['sql_catalog', /\binformation_schema\b|\bpg_catalog\b|\bpg_shadow\b|\bsysobjects\b/i],
  ['script_tag', /<\s*\/?\s*script\b/i],
  ['script_frame', /<\s*(?:iframe|object|embed)\b/i],
  // <img src=x onerror=…>, <svg onload=…>
  ['script_handler', /<\s*[a-z][a-z0-9]*\b[^>]*[\s/]on[a-z]{3,}\s*=/i],
  ['script_url', /\bjavascript\s*:\s*[\w$.]+\s*\(/i],
  ['path_traversal', /(?:^|[\\/])\.\.(?:[\\/]|$)/],
  ['path_target', /\/etc\/(?:passwd|shadow)\b|\/proc\/self\/|\bwin\.ini\b|\bboot\.ini\b/i],
  ['nul_byte', /\u0000/],
  ['jndi_lookup', /\$\{\s*jndi\s*:/i],
];

// Values longer than this are checked on their first part only: detection, not protection.
const MAX_CHECKED_LENGTH = 4096;
const MAX_VALUES = 1000;
const MAX_DEPTH = 20;
// Secrets are never inspected (a password may hold any character) and never stored as a sample.
const SECRET_KEY = /pass(?:word|phrase)?|secret|token|\bpin\b/i;

export interface InjectionHit {
  signature: string;
  /** Where it was found: `path`, `query.<name>` or `body.<path>`. */
  where: string;
  /** The start of the offending value, for the operator's view. */
  sample: string;
}

/** The first signature a text matches, or undefined. */
export function matchSignature(text: string): string | undefined {
  const checked = text.length > MAX_CHECKED_LENGTH ? text.slice(0, MAX_CHECKED_LENGTH) : text;
  for (const [name, pattern] of SIGNATURES) if (pattern.test(checked)) return name;
  return undefined;
}

/** Percent-decodes up to twice (double encoding hides `%252e%252e%252f`); undecodable text stays as it is. */
function decodeTwice(text: string): string {
  let current = text;
  for (let i = 0; i < 2 && current.includes('%'); i += 1) {
    try {
      current = decodeURIComponent(current);
    } catch {
      break;
    }
  }
  return current;
}

function hit(signature: string, where: string, value: string): InjectionHit {
  return { signature, where, sample: value.slice(0, 120) };
}

/** Checks the path of a request URL (without the query), decoded. */
export function inspectPath(url: string): InjectionHit | undefined {
  const path = url.split('?')[0] ?? '';
  const decoded = decodeTwice(path);
  const signature = matchSignature(decoded);
  return signature === undefined ? undefined : hit(signature, 'path', decoded);
}

/**
 * Walks parsed query or JSON body values (strings, arrays, objects; keys too) up to a bounded number of
 * values and depth, and returns the first hit. Values under secret-looking keys (password, token, …)
 * are skipped: any character is allowed in a password, and its text must not end up in a sample.
 */
export function inspectValues(value: unknown, prefix: 'query' | 'body'): InjectionHit | undefined {
  let seen = 0;
  const walk = (node: unknown, where: string, depth: number): InjectionHit | undefined => {
    if (seen >= MAX_VALUES || depth > MAX_DEPTH) return undefined;
    if (typeof node === 'string') {
      seen += 1;
      const text = prefix === 'query' ? decodeTwice(node) : node;
      const signature = matchSignature(text);
      return signature === undefined ? undefined : hit(signature, where, text);
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) {
        const found = walk(node[i], `${where}[${i}]`, depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        seen += 1;
        if (SECRET_KEY.test(key)) continue;
        const keySignature = matchSignature(key);
        if (keySignature !== undefined) return hit(keySignature, `${where}.${key.slice(0, 40)}`, key);
        const found = walk(child, `${where}.${key.slice(0, 40)}`, depth + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return walk(value, prefix, 0);
}
