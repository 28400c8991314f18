/**
 * Internal: protoplus's wire primitives (protoplus v0.1.0 `proto/buffer.go`,
 * `proto/wiretype.go`): keys, base-128 varints up to 10 bytes, little-endian
 * fixed32/fixed64, and varint length prefixes written in place.
 *
 * 64-bit values travel as two unsigned 32-bit halves (`lo`, `hi`) so the hot
 * path uses number arithmetic; a bigint is made only for int64/uint64 fields.
 *
 * @module
 */
import type { ByteWriter } from "./byte_writer.ts";
import { DecodeError } from "../errors.ts";
import { decodeUtf8, encodeUtf8 } from "./_utf8.ts";

/** protoplus wire types (not protobuf's numbers). */
export const WIRE = {
  varint: 1,
  bytes: 2,
  zigzag32: 3,
  zigzag64: 4,
  fixed32: 5,
  fixed64: 6,
} as const;

const TWO_32 = 4294967296;
// |hi| below this keeps hi * 2^32 + lo a safe integer.
const SAFE_HI = 0x200000;
const M32 = 0xffffffffn;
const EMPTY = new Uint8Array(0);
const NO_BYTES: readonly number[] = Object.freeze([]);
const SHORT_COPY = 64;
const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);

/** int64 from the two halves of its 64-bit two's complement. */
export function int64Of(lo: number, hi: number): bigint {
  if (hi === 0) return BigInt(lo);
  const shi = hi | 0;
  if (shi >= -SAFE_HI && shi < SAFE_HI) return BigInt(shi * TWO_32 + lo);
  return (BigInt(shi) << 32n) | BigInt(lo);
}

/** uint64 from its two halves. */
export function uint64Of(lo: number, hi: number): bigint {
  if (hi === 0) return BigInt(lo);
  if (hi < SAFE_HI) return BigInt(hi * TWO_32 + lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Low 32 bits (unsigned) of a bigint's 64-bit two's complement. */
export function loOf(v: bigint): number {
  return Number(v & M32);
}

/** High 32 bits (unsigned) of a bigint's 64-bit two's complement. */
export function hiOf(v: bigint): number {
  return Number((v >> 32n) & M32);
}

/** Append `v` (an unsigned 32-bit number) as a varint. */
export function writeVarint32(w: ByteWriter, v: number): void {
  w.reserve(5);
  const b = w.buf;
  let p = w.pos;
  while (v > 0x7f) {
    b[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  b[p++] = v;
  w.pos = p;
}

/** Append the 64-bit value `hi * 2^32 + lo` (both unsigned 32-bit) as a varint. */
export function writeVarint64(w: ByteWriter, lo: number, hi: number): void {
  w.reserve(10);
  const b = w.buf;
  let p = w.pos;
  while (hi !== 0 || lo > 0x7f) {
    b[p++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  b[p++] = lo;
  w.pos = p;
}

/**
 * Reserve one byte for a length prefix and return its offset; the payload
 * follows. {@link endLength} fills it in (and makes room if it needs more).
 */
export function beginLength(w: ByteWriter): number {
  w.reserve(1);
  return w.pos++;
}

/** Write the length of everything after the prefix at `at`, widening the prefix if needed. */
export function endLength(w: ByteWriter, at: number): void {
  let n = w.pos - at - 1;
  if (n < 0x80) {
    w.buf[at] = n;
    return;
  }
  let extra = 1;
  while (n >= 2 ** (7 * (extra + 1))) extra++;
  w.reserve(extra);
  const b = w.buf;
  // Rare (payloads of 128 bytes and more): one memmove beats a sizing pass over every value.
  b.copyWithin(at + 1 + extra, at + 1, w.pos);
  w.pos += extra;
  let p = at;
  while (n > 0x7f) {
    b[p++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  b[p] = n;
}

/** Append the UTF-8 bytes of `s` (lone surrogates as U+FFFD, like TextEncoder). */
export function writeUtf8(w: ByteWriter, s: string): void {
  w.reserve(3 * s.length);
  w.pos += encodeUtf8(w.buf, w.pos, s);
}

/**
 * Cursor over one protoplus body `buf[base..end)`. Every read is checked
 * against `end`, which nested structs and packed slices narrow while they
 * are read; offsets in errors are relative to `base`.
 */
export class WireReader {
  /** The buffer holding the body. */
  buf: Uint8Array = EMPTY;
  /** Next index to read. */
  pos = 0;
  /** Current limit (the body's end, or a nested payload's). */
  end = 0;
  /** Index where the body starts. */
  base = 0;
  /** Length of the whole body, for error messages. */
  size = 0;
  /** High 32 bits (unsigned) of the last varint or fixed64 read. */
  hi = 0;

  /** Read `buf[start..end)` in place. */
  resetRange(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.pos = this.base = start;
    this.end = end;
    this.size = end - start;
    this.hi = 0;
  }

  /** Drop the buffer reference so a transport chunk is not pinned. */
  release(): void {
    this.buf = EMPTY;
    this.pos =
      this.base =
      this.end =
      this.size =
        0;
  }

  /** A DecodeError saying `what` at offset `at` runs past the end of its data. */
  past(what: string, at: number): DecodeError {
    return new DecodeError(
      `${what} at offset ${
        at - this.base
      } runs past the end (unexpected EOF, body of ${this.size} bytes)`,
    );
  }

  /** A DecodeError for a field that came with the wrong wire type. */
  badWireType(what: string, wt: number): DecodeError {
    return new DecodeError(`${what}: bad wire type ${wt} at offset ${this.pos - this.base}`);
  }

  /** Read a varint; returns its low 32 bits (unsigned) and leaves the high ones in `hi`. */
  varint(what: string): number {
    const p = this.pos;
    if (p < this.end) {
      const c = this.buf[p]!;
      if (c < 0x80) {
        this.pos = p + 1;
        this.hi = 0;
        return c;
      }
    }
    return this.#varintSlow(what);
  }

  #varintSlow(what: string): number {
    const b = this.buf;
    const start = this.pos;
    const end = this.end;
    let p = start;
    let lo = 0;
    let c = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (p >= end) throw this.past(`${what}: varint`, start);
      c = b[p++]!;
      lo |= (c & 0x7f) << shift;
      if (c < 0x80) return this.#done(p, lo, 0);
    }
    if (p >= end) throw this.past(`${what}: varint`, start);
    c = b[p++]!;
    lo |= (c & 0x0f) << 28;
    let hi = (c & 0x7f) >> 4;
    if (c < 0x80) return this.#done(p, lo, hi);
    // Bits 35..63; as in Go, bits past 64 in the 10th byte are dropped.
    for (let shift = 3; shift < 32; shift += 7) {
      if (p >= end) throw this.past(`${what}: varint`, start);
      c = b[p++]!;
      hi |= (c & 0x7f) << shift;
      if (c < 0x80) return this.#done(p, lo, hi);
    }
    throw new DecodeError(
      `${what}: varint at offset ${start - this.base} is longer than 10 bytes (integer overflow)`,
    );
  }

  #done(p: number, lo: number, hi: number): number {
    this.pos = p;
    this.hi = hi >>> 0;
    return lo >>> 0;
  }

  /** Read 4 bytes little-endian, unsigned. */
  fixed32(what: string): number {
    const p = this.pos;
    if (p + 4 > this.end) throw this.past(`${what}: fixed32`, p);
    const b = this.buf;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** Read 8 bytes little-endian; returns the low half and leaves the high one in `hi`. */
  fixed64(what: string): number {
    const p = this.pos;
    if (p + 8 > this.end) throw this.past(`${what}: fixed64`, p);
    const b = this.buf;
    this.pos = p + 8;
    this.hi = (b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24)) >>> 0;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** Read a float32 (4 bytes LE). */
  float32(what: string): number {
    const p = this.pos;
    if (p + 4 > this.end) throw this.past(`${what}: fixed32`, p);
    const b = this.buf;
    for (let i = 0; i < 4; i++) scratch[i] = b[p + i]!;
    this.pos = p + 4;
    return scratchView.getFloat32(0, true);
  }

  /** Read a float64 (8 bytes LE). */
  float64(what: string): number {
    const p = this.pos;
    if (p + 8 > this.end) throw this.past(`${what}: fixed64`, p);
    const b = this.buf;
    for (let i = 0; i < 8; i++) scratch[i] = b[p + i]!;
    this.pos = p + 8;
    return scratchView.getFloat64(0, true);
  }

  /**
   * Read a varint length and check that many bytes remain before the
   * current end, so a forged length fails before anything is allocated.
   */
  length(what: string): number {
    const at = this.pos;
    const n = this.varint(what);
    if (this.hi !== 0 || n > this.end - this.pos) {
      const len = this.hi !== 0 ? uint64Of(n, this.hi) : n;
      throw new DecodeError(
        `${what}: length ${len} at offset ${at - this.base} runs past the end (${
          this.end - this.pos
        } bytes left, body of ${this.size} bytes)`,
      );
    }
    return n;
  }

  /** Read a length-prefixed UTF-8 string (invalid sequences become U+FFFD). */
  string(what: string): string {
    const n = this.length(what);
    const p = this.pos;
    const b = this.buf;
    this.pos = p + n;
    return decodeUtf8(b, p, n);
  }

  /** Read length-prefixed bytes into a fresh copy (the body is never retained). */
  bytes(what: string): Uint8Array {
    const n = this.length(what);
    const p = this.pos;
    this.pos = p + n;
    // From an empty array, not a length: V8 takes a slow path for new Uint8Array(0).
    const out = n === 0 ? new Uint8Array(NO_BYTES) : new Uint8Array(n);
    const b = this.buf;
    if (n <= SHORT_COPY) { for (let i = 0; i < n; i++) out[i] = b[p + i]!; }
    else out.set(b.subarray(p, p + n));
    return out;
  }

  /** Skip the payload of an unknown field, by its wire type (protoplus `skipField`). */
  skip(wt: number, what: string): void {
    switch (wt) {
      case WIRE.varint:
      case WIRE.zigzag32:
      case WIRE.zigzag64:
        this.varint(what);
        return;
      case WIRE.bytes: {
        const n = this.length(what);
        this.pos += n;
        return;
      }
      case WIRE.fixed32:
        this.fixed32(what);
        return;
      case WIRE.fixed64:
        this.fixed64(what);
        return;
      default:
        throw this.badWireType(what, wt);
    }
  }
}
