/**
 * Node's and Bun's native string helpers for the codecs (a runtime adapter:
 * it imports `node:buffer`, so only the node and bun entries and the auto
 * loader reach it). Called on plain Uint8Arrays, `Buffer#latin1Slice` makes
 * an ASCII string about twice as fast as TextDecoder (26 bytes, CPU time:
 * Node 62–78 vs 97–107 ns, Bun 49–60 vs 120–143 ns), and `Buffer#utf8Write`
 * writes exactly what TextEncoder writes (lone surrogates as U+FFFD), faster
 * than encodeInto (Node 64+ units 80–114 vs 105–150 ns; Bun 26 units 21–31 vs
 * 61–81 ns, also ahead of the JS loop's 40–48).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { type Latin1Slice, useNativeStrings, type Utf8Write } from "../../codec/_utf8.ts";

type NativeSlice = (this: Uint8Array, start: number, end: number) => string;
type NativeWrite = (this: Uint8Array, s: string, offset: number) => number;
const proto = Buffer.prototype as unknown as { latin1Slice?: NativeSlice; utf8Write?: NativeWrite };
const slice = proto.latin1Slice;
const write = proto.utf8Write;

/** `b[start..end)` as Latin-1, by the runtime; undefined where Buffer has no latin1Slice. */
export const latin1Slice: Latin1Slice | undefined = typeof slice === "function"
  ? (b, start, end) => slice.call(b, start, end)
  : undefined;

/** `s` as UTF-8 at `b[p]`, by the runtime; undefined where Buffer has no utf8Write. */
export const utf8Write: Utf8Write | undefined = typeof write === "function"
  ? (b, p, s) => write.call(b, s, p)
  : undefined;

/**
 * Install both in the codecs. V8 (Node) keeps the generated decode and the
 * JS encode loop up to 32; JSC (Bun) goes native from the first byte.
 */
export function installNativeStrings(engine: "v8" | "jsc"): void {
  const upTo = engine === "jsc" ? 0 : 32;
  useNativeStrings({ latin1Slice, utf8Write, decodeGeneratedUpTo: upTo, encodeLoopUpTo: upTo });
}
