/**
 * cellnet's `util.StringHash`: the 16-bit message id derived from a name.
 *
 * Go walks the string with `range`, i.e. by Unicode code point after UTF-8
 * decoding, so hashing UTF-16 units or UTF-8 bytes gives wrong ids for any
 * non-ASCII name. Both functions below reproduce the rune walk exactly.
 *
 * @module
 */

const REPLACEMENT = 0xfffd;

/**
 * Hash a message name the way cellnet's `util.StringHash` does.
 *
 * Lone UTF-16 surrogates count as U+FFFD, which is what the name becomes once
 * encoded to UTF-8 and is therefore what a Go peer would hash.
 *
 * @param name The full message name, e.g. `proto.ChatREQ`.
 * @returns The id, an integer in 0..65535.
 * @example
 * ```ts
 * stringHash("main.TestEchoACK"); // 4673
 * ```
 */
export function stringHash(name: string): number {
  let h = 0;
  const n = name.length;
  for (let i = 0; i < n; i++) {
    let c = name.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? name.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        // Code point above U+FFFF; only its low 16 bits survive Go's uint16 cast.
        c = (((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000) & 0xffff;
        i++;
      } else {
        c = REPLACEMENT;
      }
    }
    h = (33 * h + 129 * c) & 0xffff;
  }
  return h;
}

/**
 * Hash raw name bytes exactly as Go would hash `string(bytes)`: UTF-8 is
 * decoded like Go's `range` loop, each byte of an invalid sequence being one
 * U+FFFD. Useful when a name arrives as bytes that may not be valid UTF-8.
 *
 * @param bytes The name's bytes.
 * @returns The id, an integer in 0..65535.
 *
 * @example
 * ```ts
 * import { stringHashBytes } from "@cellnet/cellnet";
 * stringHashBytes(new TextEncoder().encode("main.TestEchoACK")); // 4673
 * ```
 */
export function stringHashBytes(bytes: Uint8Array): number {
  let h = 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b0 = bytes[i];
    let c = REPLACEMENT;
    let width = 1;
    if (b0 < 0x80) {
      c = b0;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      const b1 = i + 1 < n ? bytes[i + 1] : 0;
      if ((b1 & 0xc0) === 0x80) {
        c = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
        width = 2;
      }
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      // Go's accept ranges: no overlongs (E0 A0..), no surrogates (ED ..9F).
      const lo = b0 === 0xe0 ? 0xa0 : 0x80;
      const hi = b0 === 0xed ? 0x9f : 0xbf;
      const b1 = i + 1 < n ? bytes[i + 1] : 0;
      const b2 = i + 2 < n ? bytes[i + 2] : 0;
      if (b1 >= lo && b1 <= hi && (b2 & 0xc0) === 0x80) {
        c = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
        width = 3;
      }
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      const lo = b0 === 0xf0 ? 0x90 : 0x80;
      const hi = b0 === 0xf4 ? 0x8f : 0xbf;
      const b1 = i + 1 < n ? bytes[i + 1] : 0;
      const b2 = i + 2 < n ? bytes[i + 2] : 0;
      const b3 = i + 3 < n ? bytes[i + 3] : 0;
      if (b1 >= lo && b1 <= hi && (b2 & 0xc0) === 0x80 && (b3 & 0xc0) === 0x80) {
        c = (((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f)) & 0xffff;
        width = 4;
      }
    }
    h = (33 * h + 129 * c) & 0xffff;
    i += width;
  }
  return h;
}
