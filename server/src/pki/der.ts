/**
 * A minimal DER (X.690) encoder and reader: just what the PKCS#12 container and the certificate-policy
 * check need. Every encoder returns the complete TLV, so values nest by plain function calls.
 */

const TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
  contextConstructed: 0xa0,
} as const;

export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`Invalid DER length ${length}`);
  if (length < 0x80) return Buffer.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(tag), encodeLength(content.length), content]);
}

export function sequence(...elements: Uint8Array[]): Buffer {
  return tlv(TAG.sequence, Buffer.concat(elements));
}

/** SET OF: DER wants the encoded elements in ascending byte order (X.690 11.6). */
export function setOf(...elements: Uint8Array[]): Buffer {
  const sorted = elements.map((element) => Buffer.from(element)).sort((a, b) => Buffer.compare(a, b));
  return tlv(TAG.set, Buffer.concat(sorted));
}

/** Two's complement, minimal length, as DER requires (a positive value whose top bit is set gets a 0x00). */
export function integer(value: number | bigint): Buffer {
  let rest = BigInt(value);
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(rest & 0xffn);
    bytes.unshift(byte);
    rest >>= 8n;
    const signBitSet = (byte & 0x80) !== 0;
    if ((rest === 0n && !signBitSet) || (rest === -1n && signBitSet)) break;
  }
  return tlv(TAG.integer, Buffer.from(bytes));
}

export function objectIdentifier(oid: string): Buffer {
  return tlv(TAG.objectIdentifier, objectIdentifierContent(oid));
}

/** Arcs are bigints because UUID-based OIDs (2.25.x) have arcs far beyond 2^53. */
export function objectIdentifierContent(oid: string): Buffer {
  if (!/^[0-2](\.\d+)+$/.test(oid)) throw new RangeError(`Invalid OID ${oid}`);
  const [first = 0n, second = 0n, ...rest] = oid.split('.').map(BigInt);
  if (first < 2n && second > 39n) throw new RangeError(`Invalid OID ${oid}`);
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const arcBytes = [Number(arc & 0x7fn)];
    for (let high = arc >> 7n; high > 0n; high >>= 7n) arcBytes.unshift(Number(high & 0x7fn) | 0x80);
    bytes.push(...arcBytes);
  }
  return Buffer.from(bytes);
}

export function octetString(content: Uint8Array): Buffer {
  return tlv(TAG.octetString, content);
}

export function nullValue(): Buffer {
  return Buffer.of(TAG.null, 0x00);
}

/** BMPString is UTF-16 big-endian; PKCS#12 friendly names use it. */
export function bmpString(text: string): Buffer {
  return tlv(TAG.bmpString, utf16be(text));
}

/** `[n] EXPLICIT`: a constructed context-specific tag wrapped around a complete TLV. */
export function explicit(tagNumber: number, element: Uint8Array): Buffer {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) throw new RangeError(`Unsupported tag [${tagNumber}]`);
  return tlv(TAG.contextConstructed | tagNumber, element);
}

export function utf16be(text: string): Buffer {
  // Node has no utf16be codec; swapping the bytes of little-endian UTF-16 gives the same code units.
  return Buffer.from(text, 'utf16le').swap16();
}

export interface DerElement {
  tag: number;
  content: Buffer;
}

/**
 * Splits `data` into its top-level elements. Only what certificates need: single-byte tags and
 * definite lengths; anything else is refused rather than guessed at.
 */
export function readElements(data: Uint8Array): DerElement[] {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const elements: DerElement[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const tag = buffer.readUInt8(offset);
    if ((tag & 0x1f) === 0x1f) throw new RangeError('Multi-byte DER tags are not supported');
    let length = buffer.readUInt8(offset + 1);
    offset += 2;
    if (length >= 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4) throw new RangeError('Unsupported DER length');
      length = buffer.readUIntBE(offset, count);
      offset += count;
    }
    if (offset + length > buffer.length) throw new RangeError('Truncated DER element');
    elements.push({ tag, content: buffer.subarray(offset, offset + length) });
    offset += length;
  }
  return elements;
}
