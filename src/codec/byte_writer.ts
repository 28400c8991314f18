/**
 * A growable little-endian output buffer, reused from message to message so
 * encoding does not allocate on the hot path.
 *
 * @module
 */
import { EncodeError } from "../errors.ts";
import { encodeLoopMax, encodeUtf8, encodeUtf8From } from "./_utf8.ts";

const MAX_U16 = 0xffff;
// Past this, reset() gives the memory back: one burst of huge messages should
// not pin a large buffer for the life of the session.
const SHRINK_ABOVE = 64 * 1024;

/**
 * UTF-8 byte length of `s` without encoding it. Lone surrogates count 3 bytes,
 * as TextEncoder writes them as U+FFFD.
 */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/**
 * Growable byte buffer with little-endian writers.
 *
 * @example
 * ```ts
 * import { ByteWriter } from "@cellnet/cellnet";
 * const w = new ByteWriter();
 * w.u16(0); w.u16(4673); w.string16("hello"); w.i32(1234);
 * w.setU16At(0, w.pos - 2); // back-patch a tcp.ltv Length
 * console.log(w.view()); // the frame 0d 00 41 12 05 00 68 65 6c 6c 6f d2 04 00 00
 * w.reset();
 * ```
 */
export class ByteWriter {
  /** The storage; bytes 0..pos are the output. Replaced when it grows. */
  buf: Uint8Array;
  /** Write position = number of bytes written since the last reset. */
  pos: number;
  #dv: DataView;
  readonly #initial: number;

  /**
   * Create a writer.
   * @param initialCapacity Starting size in bytes; also what reset() shrinks back to.
   */
  constructor(initialCapacity = 256) {
    this.#initial = Math.max(16, Math.floor(initialCapacity));
    this.buf = new Uint8Array(this.#initial);
    this.#dv = new DataView(this.buf.buffer);
    this.pos = 0;
  }

  /** Ensure at least `n` more bytes fit after `pos` (capacity doubles as needed). */
  reserve(n: number): void {
    const need = this.pos + n;
    if (need > this.buf.length) this.#grow(need);
  }

  #grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.#dv = new DataView(next.buffer);
  }

  /** Write one unsigned byte (the value is taken modulo 256). */
  u8(v: number): void {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }

  /** Write one signed byte (two's complement). */
  i8(v: number): void {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }

  /** Write a uint16, little-endian. */
  u16(v: number): void {
    this.reserve(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    this.pos = p + 2;
  }

  /** Write an int16, little-endian two's complement. */
  i16(v: number): void {
    this.u16(v);
  }

  /** Write a uint32, little-endian. */
  u32(v: number): void {
    this.reserve(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  /** Write an int32, little-endian two's complement. */
  i32(v: number): void {
    this.u32(v);
  }

  /** Write a float32 (IEEE-754 bits, little-endian); the number is rounded to float32. */
  f32(v: number): void {
    this.reserve(4);
    this.#dv.setFloat32(this.pos, v, true);
    this.pos += 4;
  }

  /** Write a float64 (IEEE-754 bits, little-endian). */
  f64(v: number): void {
    this.reserve(8);
    this.#dv.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Write an int64, little-endian two's complement (wraps modulo 2^64). */
  i64(v: bigint): void {
    this.reserve(8);
    this.#dv.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }

  /** Write a uint64, little-endian (wraps modulo 2^64). */
  u64(v: bigint): void {
    this.reserve(8);
    this.#dv.setBigUint64(this.pos, v, true);
    this.pos += 8;
  }

  /** Append raw bytes. */
  bytes(src: Uint8Array): void {
    const n = src.length;
    this.reserve(n);
    this.buf.set(src, this.pos);
    this.pos += n;
  }

  /** Append `n` zero bytes. */
  zeros(n: number): void {
    this.reserve(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }

  /** Overwrite a uint16 (little-endian) at an earlier offset, e.g. a length header. */
  setU16At(offset: number, v: number): void {
    this.buf[offset] = v;
    this.buf[offset + 1] = v >>> 8;
  }

  /**
   * Write a uint16 little-endian UTF-8 byte length, then the UTF-8 bytes.
   * Lone surrogates are written as U+FFFD (what TextEncoder does).
   *
   * @throws {EncodeError} when the UTF-8 form is longer than 65535 bytes;
   * `pos` is then unchanged.
   */
  string16(s: string): void {
    const len = s.length;
    if (len > MAX_U16) {
      throw new EncodeError(`string of ${utf8Length(s)} bytes exceeds ${MAX_U16}`);
    }
    const start = this.pos;
    // A UTF-16 unit never needs more than 3 UTF-8 bytes (a pair: 4 for 2 units).
    this.reserve(2 + 3 * len);
    const buf = this.buf;
    const body = start + 2;
    // The ASCII loop inline (the common case); the rest from the first other unit.
    let i = 0;
    if (len <= encodeLoopMax) {
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[body + i] = c;
      }
      if (i === len) {
        buf[start] = len;
        buf[start + 1] = len >>> 8;
        this.pos = body + len;
        return;
      }
    }
    const written = encodeUtf8From(buf, body, s, i);
    if (written > MAX_U16) {
      throw new EncodeError(`string of ${written} bytes exceeds ${MAX_U16}`);
    }
    buf[start] = written;
    buf[start + 1] = written >>> 8;
    this.pos = body + written;
  }

  /** Append the UTF-8 bytes of `s` with no length prefix. */
  utf8(s: string): void {
    this.reserve(3 * s.length);
    this.pos += encodeUtf8(this.buf, this.pos, s);
  }

  /** The bytes written so far (a view into `buf`, valid until the next write or reset). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Start over at position 0, giving back memory if the buffer grew past 64 KiB. */
  reset(): void {
    this.pos = 0;
    if (this.buf.length > SHRINK_ABOVE && this.buf.length > this.#initial) {
      this.buf = new Uint8Array(this.#initial);
      this.#dv = new DataView(this.buf.buffer);
    }
  }
}
