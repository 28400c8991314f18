/**
 * Internal: bounds-checked little-endian reads over one message body.
 *
 * Every read checks the body's end and throws a {@link DecodeError} saying
 * what ran past it and where; cellnet panics in the same situations, and a
 * RangeError or a silent `undefined` would be worse.
 *
 * @module
 */
import { DecodeError } from "../errors.ts";
import { decodeUtf8 } from "./_utf8.ts";

// Scratch space for floats and 64-bit integers, so a decode needs no DataView
// over the (transport-owned, varying) body.
const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);
const EMPTY = new Uint8Array(0);
const SHORT_COPY = 64;
const NO_BYTES: readonly number[] = Object.freeze([]);

/**
 * Cursor over a body: `buf[base..end)`. Reusable: call {@link ByteReader.reset}
 * or {@link ByteReader.resetRange} per body. Offsets in errors are relative to
 * the body's start.
 */
export class ByteReader {
  /** The buffer holding the body (the body itself, or a whole read chunk). */
  body: Uint8Array = EMPTY;
  /** Next index in `body` to read. */
  pos = 0;
  /** Index in `body` where the body ends. */
  end = 0;
  /** Index in `body` where the body starts. */
  base = 0;

  /** Start reading `body` from offset 0. */
  reset(body: Uint8Array): void {
    this.body = body;
    this.pos = this.base = 0;
    this.end = body.length;
  }

  /**
   * Read `buf[start..end)` in place, so a frame inside a read chunk is
   * decoded without making a view of it (a view is an allocation per message).
   */
  resetRange(buf: Uint8Array, start: number, end: number): void {
    this.body = buf;
    this.pos = this.base = start;
    this.end = end;
  }

  /** Drop the body reference so a transport chunk is not pinned. */
  release(): void {
    this.body = EMPTY;
    this.pos = this.base = this.end = 0;
  }

  /** Bytes left after `pos`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  #past(what: string, n: number): DecodeError {
    return new DecodeError(
      `${what} (${n} byte${n === 1 ? "" : "s"}) at offset ${
        this.pos - this.base
      } runs past the body (${this.end - this.base} bytes)`,
    );
  }

  #need(n: number, what: string): number {
    const p = this.pos;
    if (p + n > this.end) throw this.#past(what, n);
    this.pos = p + n;
    return p;
  }

  /** Read an unsigned byte. `what` names the value in the error message. */
  u8(what: string): number {
    return this.body[this.#need(1, what)]!;
  }

  /** Read a signed byte. */
  i8(what: string): number {
    return (this.body[this.#need(1, what)]! << 24) >> 24;
  }

  /** Read a uint16, little-endian. */
  u16(what: string): number {
    const p = this.#need(2, what);
    const b = this.body;
    return b[p]! | (b[p + 1]! << 8);
  }

  /** Read an int16, little-endian. */
  i16(what: string): number {
    return (this.u16(what) << 16) >> 16;
  }

  /** Read an int32, little-endian. */
  i32(what: string): number {
    const p = this.#need(4, what);
    const b = this.body;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
  }

  /** Read a uint32, little-endian. */
  u32(what: string): number {
    return this.i32(what) >>> 0;
  }

  #toScratch(n: number, what: string): void {
    const p = this.#need(n, what);
    const b = this.body;
    for (let i = 0; i < n; i++) scratch[i] = b[p + i]!;
  }

  /** Read a float32 (widened to a JS number). */
  f32(what: string): number {
    this.#toScratch(4, what);
    return scratchView.getFloat32(0, true);
  }

  /** Read a float64. */
  f64(what: string): number {
    this.#toScratch(8, what);
    return scratchView.getFloat64(0, true);
  }

  /** Read an int64 as a bigint. */
  i64(what: string): bigint {
    this.#toScratch(8, what);
    return scratchView.getBigInt64(0, true);
  }

  /** Read a uint64 as a bigint. */
  u64(what: string): bigint {
    this.#toScratch(8, what);
    return scratchView.getBigUint64(0, true);
  }

  /** Read a uint16 length, then check that many bytes remain; returns the length. */
  #length16(what: string): number {
    const at = this.pos;
    const n = this.u16(what);
    if (n > this.end - this.pos) {
      throw new DecodeError(
        `${what} length ${n} at offset ${at - this.base} runs past the body (${
          this.end - this.base
        } bytes)`,
      );
    }
    return n;
  }

  /** Read a uint16-length-prefixed UTF-8 string (invalid sequences become U+FFFD). */
  string16(what: string): string {
    const n = this.#length16(what);
    const p = this.pos;
    const b = this.body;
    this.pos = p + n;
    return decodeUtf8(b, p, n);
  }

  /** Read uint16-length-prefixed bytes into a fresh copy (the body is not retained). */
  bytes16(what: string): Uint8Array {
    const n = this.#length16(what);
    const p = this.pos;
    this.pos = p + n;
    // From an empty array, not a length: V8 takes a slow path for new Uint8Array(0).
    const out = n === 0 ? new Uint8Array(NO_BYTES) : new Uint8Array(n);
    const b = this.body;
    // subarray() allocates a view object; for short runs a loop is cheaper.
    if (n <= SHORT_COPY) { for (let i = 0; i < n; i++) out[i] = b[p + i]!; }
    else out.set(b.subarray(p, p + n));
    return out;
  }

  /**
   * Read a uint16 element count and check that `count * minElemSize` bytes
   * remain, so a forged count fails before anything is allocated.
   */
  count16(what: string, minElemSize: number): number {
    const at = this.pos;
    const n = this.u16(what);
    if (n * minElemSize > this.end - this.pos) {
      throw new DecodeError(
        `${what} count ${n} at offset ${at - this.base} runs past the body (${
          this.end - this.base
        } bytes, each element needs at least ${minElemSize})`,
      );
    }
    return n;
  }
}
