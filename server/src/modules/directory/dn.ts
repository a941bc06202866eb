/**
 * Distinguished names after RFC 4514. Group DNs come from two sides — what an administrator typed into
 * the mapping and what the directory returns — and must compare equal however each side spaced, cased or
 * escaped them. normalizeDn parses a DN and writes it back in one canonical form: attribute types and
 * values in lower case (the usual attributes of DNs, cn/ou/dc/o/uid, match case-insensitively), no
 * spaces around separators, values escaped as RFC 4514 §2.4 requires.
 */

export class DnSyntaxError extends Error {
  readonly code = 'DN_SYNTAX';
  constructor(message: string) {
    super(message);
    this.name = 'DnSyntaxError';
  }
}

export interface Ava {
  type: string;
  value: string;
}

/** Escapes an attribute value for a DN string (RFC 4514 §2.4). */
export function escapeDnValue(value: string): string {
  let out = '';
  const chars = [...value];
  chars.forEach((ch, i) => {
    if (ch === '\0') out += '\\00';
    else if ('"+,;<>\\='.includes(ch)) out += `\\${ch}`;
    else if (i === 0 && (ch === ' ' || ch === '#')) out += `\\${ch}`;
    else if (i === chars.length - 1 && ch === ' ') out += '\\ ';
    else out += ch;
  });
  return out;
}

/** Parses a string DN into its RDNs (each a list of attribute type/value pairs), unescaping values. */
export function parseDn(dn: string): Ava[][] {
  const rdns: Ava[][] = [];
  let i = 0;
  const skipSpaces = () => {
    while (dn[i] === ' ') i += 1;
  };
  skipSpaces();
  if (i >= dn.length) return rdns;
  let rdn: Ava[] = [];
  for (;;) {
    skipSpaces();
    const typeStart = i;
    while (i < dn.length && /[A-Za-z0-9.-]/.test(dn[i] ?? '')) i += 1;
    const type = dn.slice(typeStart, i);
    if (!/^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)+)$/.test(type)) throw new DnSyntaxError(`bad attribute type at position ${typeStart} of "${dn}"`);
    skipSpaces();
    if (dn[i] !== '=') throw new DnSyntaxError(`"=" expected at position ${i} of "${dn}"`);
    i += 1;
    skipSpaces();
    const bytes: number[] = [];
    let trailingSpaces = 0;
    if (dn[i] === '#') {
      // Hex form of a BER-encoded value: kept as written, which is its only canonical form here.
      const start = i;
      i += 1;
      while (i < dn.length && /[0-9A-Fa-f]/.test(dn[i] ?? '')) i += 1;
      bytes.push(...Buffer.from(dn.slice(start, i).toLowerCase(), 'utf8'));
    } else {
      while (i < dn.length && !',+'.includes(dn[i] ?? '')) {
        const ch = dn[i] as string;
        if (ch === '\\') {
          const pair = dn.slice(i + 1, i + 3);
          if (/^[0-9A-Fa-f]{2}$/.test(pair)) {
            bytes.push(Number.parseInt(pair, 16));
            i += 3;
          } else if (i + 1 < dn.length && ' "#+,;<=>\\'.includes(dn[i + 1] ?? '')) {
            bytes.push(...Buffer.from(dn[i + 1] as string, 'utf8'));
            i += 2;
          } else throw new DnSyntaxError(`bad escape at position ${i} of "${dn}"`);
          trailingSpaces = 0;
          continue;
        }
        if ('";<>'.includes(ch) || ch === '\0') throw new DnSyntaxError(`unescaped "${ch}" at position ${i} of "${dn}"`);
        if (ch === ' ') trailingSpaces += 1;
        else trailingSpaces = 0;
        const cp = dn.codePointAt(i) ?? 0;
        const s = String.fromCodePoint(cp);
        bytes.push(...Buffer.from(s, 'utf8'));
        i += s.length;
      }
      // Unescaped trailing spaces are not part of the value.
      if (trailingSpaces > 0) bytes.splice(bytes.length - trailingSpaces, trailingSpaces);
    }
    const value = new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(bytes));
    rdn.push({ type, value });
    if (i >= dn.length) {
      rdns.push(rdn);
      return rdns;
    }
    if (dn[i] === '+') {
      i += 1;
      continue;
    }
    // dn[i] === ','
    rdns.push(rdn);
    rdn = [];
    i += 1;
    if (i >= dn.length || dn.slice(i).trim() === '') throw new DnSyntaxError(`empty RDN at the end of "${dn}"`);
  }
}

export function formatDn(rdns: readonly (readonly Ava[])[]): string {
  return rdns.map((rdn) => rdn.map((ava) => `${ava.type}=${escapeDnValue(ava.value)}`).join('+')).join(',');
}

/** The canonical form used to store and compare group DNs. Throws DnSyntaxError on a malformed DN. */
export function normalizeDn(dn: string): string {
  const rdns = parseDn(dn);
  if (rdns.length === 0) throw new DnSyntaxError('empty DN');
  return formatDn(
    rdns.map((rdn) =>
      rdn
        .map((ava) => ({ type: ava.type.toLowerCase(), value: ava.value.normalize('NFC').toLowerCase() }))
        .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)),
    ),
  );
}

