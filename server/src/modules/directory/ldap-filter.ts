/**
 * RFC 4515 §3: in a filter's assertion value the characters `*`, `(`, `)`, `\` and NUL must be written
 * as `\` and two hex digits. Escaping them is what makes a login name like `*)(uid=*` search for that
 * literal text instead of widening the filter. Every other character is left as it is (UTF-8 on the wire).
 */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '*':
        out += '\\2a';
        break;
      case '(':
        out += '\\28';
        break;
      case ')':
        out += '\\29';
        break;
      case '\\':
        out += '\\5c';
        break;
      case '\0':
        out += '\\00';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/**
 * A rough syntax check of a configured filter (balanced parentheses, one outer pair, no bare NUL), so
 * that a typo is refused when the administrator saves it rather than at the first sign-in. The
 * directory server remains the judge of the full grammar.
 */
export function isPlausibleFilter(filter: string): boolean {
  if (!filter.startsWith('(') || !filter.endsWith(')') || filter.includes('\0')) return false;
  let depth = 0;
  for (let i = 0; i < filter.length; i += 1) {
    const ch = filter[i];
    if (ch === '\\') {
      if (!/^[0-9a-fA-F]{2}$/.test(filter.slice(i + 1, i + 3))) return false;
      i += 2;
    } else if (ch === '(') depth += 1;
    else if (ch === ')') {
      depth -= 1;
      if (depth < 0 || (depth === 0 && i !== filter.length - 1)) return false;
    }
  }
  return depth === 0;
}
