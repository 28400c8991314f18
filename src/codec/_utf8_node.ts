/**
 * Node's and Bun's native string slice for the codecs (a runtime adapter:
 * it imports `node:buffer`, so only the node and bun entries and the auto
 * loader reach it). `Buffer#latin1Slice` called on a plain Uint8Array makes
 * an ASCII string about twice as fast as TextDecoder (26 bytes, CPU time:
 * Node 62–78 vs 97–107 ns, Bun 49–60 vs 120–143 ns).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { type Latin1Slice, useNativeLatin1 } from "./_utf8.ts";

type NativeSlice = (this: Uint8Array, start: number, end: number) => string;
const native = (Buffer.prototype as unknown as { latin1Slice?: NativeSlice }).latin1Slice;

/** `b[start..end)` as Latin-1, by the runtime; undefined where Buffer has no latin1Slice. */
export const latin1Slice: Latin1Slice | undefined = typeof native === "function"
  ? (b, start, end) => native.call(b, start, end)
  : undefined;

/**
 * Install {@link latin1Slice} in the codecs; `generatedUpTo` as in
 * {@link useNativeLatin1} (32 on V8, 0 on JSC).
 */
export function installNativeStrings(generatedUpTo: number): void {
  if (latin1Slice !== undefined) useNativeLatin1(latin1Slice, generatedUpTo);
}
