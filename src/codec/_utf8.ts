/**
 * Internal: UTF-8 for the codecs' strings, with fast paths for the short
 * strings game messages are made of (names, keys, chat lines).
 *
 * Decode: a short all-ASCII run becomes a string in one
 * `String.fromCharCode(b0, …, bn)` call, generated per length, with no view
 * of the buffer; everything else goes to `TextDecoder` (fatal: false,
 * ignoreBOM), so invalid UTF-8 still becomes U+FFFD exactly as before.
 * Encode: a short string is written by a JS loop (ASCII first, then full
 * UTF-8 with lone surrogates as U+FFFD, as TextEncoder writes them); longer
 * ones go to `TextEncoder.encodeInto`. Where code generation is forbidden (a
 * page with a content security policy) decoding uses TextDecoder only. The
 * node and bun entries add `Buffer#latin1Slice` and `Buffer#utf8Write`
 * (see {@link useNativeStrings}).
 *
 * Thresholds, in process, 26-byte ASCII (taskset, CPU time): decode
 * `fromCharCode` 49–77 ns vs TextDecoder 110–190 ns on V8 (Node, Deno),
 * where TextDecoder wins only past ~48 bytes. Encode: the loop 44–58 ns vs
 * encodeInto 87–106 ns for 26 ASCII units, and for 8 non-ASCII units
 * 24–51 vs 96–138 ns; encodeInto wins past ~48 units.
 *
 * @module
 */

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/** Longest byte run decoded by the generated ASCII path. */
export const SHORT_DECODE_MAX = 32;
/** Longest string (UTF-16 units) encoded by the JS loop; encodeInto past it. */
export const SHORT_ENCODE_MAX = 32;

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
      const test = `(${c.join(" | ")}) < 0x80`;
      const body = `const ${loads}; return ${test} ? f(${c.join(", ")}) : undefined;`;
      fns.push(
        new Function("f", `"use strict"; return function (b, p) { ${body} };`)(String.fromCharCode),
      );
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

/**
 * A runtime's native UTF-8 write of `s` at `b[p]` returning the byte count,
 * byte for byte what TextEncoder writes (lone surrogates as U+FFFD); Node's
 * and Bun's `Buffer#utf8Write`. The caller has made room for 3 bytes a unit.
 */
export type Utf8Write = (b: Uint8Array, p: number, s: string) => number;

/** ASCII runs up to this many bytes take the native slice (past it TextDecoder is as fast). */
export const NATIVE_ASCII_MAX = 1024;

/** What a runtime adapter may give the codecs (see {@link useNativeStrings}). */
export interface NativeStrings {
  /** Makes ASCII runs longer than `decodeGeneratedUpTo` bytes. */
  readonly latin1Slice?: Latin1Slice;
  /** Writes strings longer than `encodeLoopUpTo` units, instead of encodeInto. */
  readonly utf8Write?: Utf8Write;
  /** ASCII runs up to this many bytes keep the generated decode path (at most 32). */
  readonly decodeGeneratedUpTo: number;
  /** Strings up to this many UTF-16 units keep the JS encode loop (at most 32). */
  readonly encodeLoopUpTo: number;
}

// The codec seam: a runtime entry may install native helpers (useNativeStrings).
let latin1: Latin1Slice | undefined;
let generatedMax = SHORT_DECODE_MAX;
let nativeWrite: Utf8Write | undefined;
/** Strings up to this many units take the JS loop (live: a runtime may lower it). */
export let encodeLoopMax: number = SHORT_ENCODE_MAX;

/**
 * Install a runtime's native string helpers. Output is unchanged: only
 * bytes checked to be ASCII reach `latin1Slice`, and `utf8Write` must write
 * what TextEncoder writes. Called by the node and bun entries (JSC builds a
 * 16-bit string from a many-argument fromCharCode, so Bun slices from 1 byte).
 */
export function useNativeStrings(native: NativeStrings): void {
  latin1 = native.latin1Slice;
  generatedMax = latin1 === undefined
    ? SHORT_DECODE_MAX
    : Math.min(SHORT_DECODE_MAX, native.decodeGeneratedUpTo);
  nativeWrite = native.utf8Write;
  encodeLoopMax = nativeWrite === undefined
    ? SHORT_ENCODE_MAX
    : Math.min(SHORT_ENCODE_MAX, native.encodeLoopUpTo);
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
  if (latin1 !== undefined && n <= NATIVE_ASCII_MAX && n > 0 && isAscii(b, p, n)) {
    return latin1(b, p, p + n);
  }
  return n === 0 ? "" : decoder.decode(b.subarray(p, p + n));
}

/**
 * Write `s` as UTF-8 at `b[p]` and return the byte count; lone surrogates
 * become U+FFFD (EF BF BD), as TextEncoder writes them. The caller has made
 * room for `3 * s.length` bytes.
 */
export function encodeUtf8(b: Uint8Array, p: number, s: string): number {
  return encodeUtf8From(b, p, s, 0);
}

/**
 * {@link encodeUtf8} when the caller has already written the first `i`
 * units (all ASCII, at `b[p..p+i)`): the hot callers keep the ASCII loop
 * inline (V8 is 10-25 % slower on 26 ASCII units through a call) and hand
 * over at the first non-ASCII unit. `i` is 0 for strings longer than
 * {@link encodeLoopMax}.
 */
export function encodeUtf8From(b: Uint8Array, p: number, s: string, i: number): number {
  const n = s.length;
  if (n > encodeLoopMax) {
    return nativeWrite !== undefined
      ? nativeWrite(b, p, s)
      : encoder.encodeInto(s, b.subarray(p, p + 3 * n)).written;
  }
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    b[p + i] = c;
  }
  if (i === n) return n;
  return encodeRest(b, p + i, s, i) - p;
}

/** Full UTF-8 from unit `i` on; returns the end offset. */
function encodeRest(b: Uint8Array, q: number, s: string, i: number): number {
  const n = s.length;
  for (; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[q++] = c;
      continue;
    }
    if (c < 0x800) {
      b[q++] = 0xc0 | (c >> 6);
      b[q++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff && i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        b[q++] = 0xf0 | (c >> 18);
        b[q++] = 0x80 | ((c >> 12) & 0x3f);
        b[q++] = 0x80 | ((c >> 6) & 0x3f);
        b[q++] = 0x80 | (c & 0x3f);
        continue;
      }
      // A lone surrogate: TextEncoder writes U+FFFD.
      c = 0xfffd;
    }
    b[q++] = 0xe0 | (c >> 12);
    b[q++] = 0x80 | ((c >> 6) & 0x3f);
    b[q++] = 0x80 | (c & 0x3f);
  }
  return q;
}
