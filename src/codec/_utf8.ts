/**
 * Internal: UTF-8 for the codecs' strings, with fast paths for the short
 * strings game messages are made of (names, keys, chat lines).
 *
 * Decode: a short all-ASCII run becomes a string in one
 * `String.fromCharCode(b0, …, bn)` call, generated per length, with no view
 * of the buffer; everything else goes to `TextDecoder` (fatal: false,
 * ignoreBOM), so invalid UTF-8 still becomes U+FFFD exactly as before.
 * Where code generation is forbidden (a page with a content security
 * policy) decoding uses TextDecoder only. Node and Bun entries add their
 * native `Buffer#latin1Slice` for ASCII runs (see {@link useNativeLatin1}).
 *
 * Thresholds, in process, 26-byte ASCII (taskset, CPU time): decode
 * `fromCharCode` 49–77 ns vs TextDecoder 110–190 ns on V8 (Node, Deno),
 * where TextDecoder wins only past ~48 bytes.
 *
 * @module
 */

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** Longest byte run decoded by the generated ASCII path. */
export const SHORT_DECODE_MAX = 32;

/** Decodes `b[p..p+n)` for one fixed n when every byte is ASCII, else undefined. */
type AsciiOf = (b: Uint8Array, p: number) => string | undefined;

/**
 * One function per length 1..{@link SHORT_DECODE_MAX}: each byte loaded
 * once, one OR to test for ASCII, one `fromCharCode` call. Empty where the
 * runtime forbids code generation.
 */
export function asciiDecoders(): readonly (AsciiOf | undefined)[] {
  try {
    const fns: (AsciiOf | undefined)[] = [undefined];
    for (let n = 1; n <= SHORT_DECODE_MAX; n++) {
      const c = Array.from({ length: n }, (_, i) => `c${i}`);
      const loads = c.map((v, i) => `${v} = b[p + ${i}]`).join(", ");
      const body = `const ${loads}; return (${c.join(" | ")}) < 0x80 ? f(${c.join(", ")}) : undefined;`;
      fns.push(new Function("f", `"use strict"; return function (b, p) { ${body} };`)(String.fromCharCode));
    }
    return fns;
  } catch {
    return [];
  }
}

const ASCII = asciiDecoders();

/**
 * A runtime's native Latin-1 slice of `b[start..end)` (Node's and Bun's
 * `Buffer#latin1Slice`); for ASCII bytes Latin-1 and UTF-8 agree.
 */
export type Latin1Slice = (b: Uint8Array, start: number, end: number) => string;

/** ASCII runs up to this many bytes take the native slice (past it TextDecoder is as fast). */
export const NATIVE_ASCII_MAX = 1024;

// The codec seam: a runtime entry may install a native slice (see useNativeLatin1).
let latin1: Latin1Slice | undefined;
let generatedMax = SHORT_DECODE_MAX;

/**
 * Use `slice` for ASCII runs longer than `generatedUpTo` bytes (up to
 * {@link NATIVE_ASCII_MAX}); shorter ones keep the generated path. Output
 * is unchanged: only ASCII ever reaches `slice`. Called by the node and bun
 * entries (JSC builds a 16-bit string from a many-argument fromCharCode, so
 * Bun passes 0).
 */
export function useNativeLatin1(slice: Latin1Slice, generatedUpTo: number): void {
  latin1 = slice;
  generatedMax = Math.min(SHORT_DECODE_MAX, generatedUpTo);
}

function isAscii(b: Uint8Array, p: number, n: number): boolean {
  let or = 0;
  for (let i = p, e = p + n; i < e; i++) or |= b[i]!;
  return or < 0x80;
}

/**
 * `b[p..p+n)` as a string, UTF-8 with U+FFFD for invalid sequences and a
 * leading BOM kept (`TextDecoder("utf-8", { ignoreBOM: true })`). The caller
 * has checked that the range is inside `b`.
 */
export function decodeUtf8(b: Uint8Array, p: number, n: number): string {
  if (n <= generatedMax) {
    if (n === 0) return "";
    const ascii = ASCII[n];
    if (ascii !== undefined) {
      const s = ascii(b, p);
      if (s !== undefined) return s;
      // Not ASCII: only TextDecoder knows what to do.
      return decoder.decode(b.subarray(p, p + n));
    }
  }
  if (latin1 !== undefined && n <= NATIVE_ASCII_MAX && n > 0 && isAscii(b, p, n)) return latin1(b, p, p + n);
  return n === 0 ? "" : decoder.decode(b.subarray(p, p + n));
}
