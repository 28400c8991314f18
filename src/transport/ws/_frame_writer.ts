/**
 * The send side of RFC 6455 framing: frame headers (7-, 16- or 64-bit
 * lengths), masking with a fresh random key per frame on the client side,
 * and close payloads. Frames are built in one buffer shared by every
 * connection and written with one {@link Connection.write}; many small
 * messages leave in one write ({@link FrameWriter.writeMany}); a large
 * payload is written after its header instead of being copied behind it.
 *
 * @module
 */

import { ByteWriter } from "../../codec/byte_writer.ts";
import type { Connection } from "../transport.ts";
import { CloseCode } from "./_protocol.ts";

/**
 * Payloads above this are not copied behind their header: a server writes
 * the payload as is, a client masks it in {@link MASK_PIECE} pieces.
 */
const SEPARATE_ABOVE = 16 * 1024;
/** Size of the scratch buffer a client masks a large payload through. */
const MASK_PIECE = 64 * 1024;
/** Random bytes fetched per crypto.getRandomValues call: 256 mask keys. */
const RANDOM_POOL = 1024;
/** Payloads up to this are copied byte by byte: cheaper than a view and `set` for a game message. */
const SMALL_COPY = 64;
/** {@link FrameWriter.writeMany} writes once this much is framed (so the buffer stays under 64 KiB). */
const BATCH_BYTES = 32 * 1024;

const encoder = new TextEncoder();

/**
 * The one buffer frames are built in, for every connection: frames are
 * written at once and `Connection.write` lets its caller reuse the bytes as
 * soon as it returns, so no connection needs a buffer of its own (an idle
 * WebSocket holds none). Used re-entrantly (a write that calls back into
 * another writer), a call builds in a fresh buffer instead.
 */
let shared: ByteWriter | undefined;
let sharedBusy = false;

function takeBuffer(): ByteWriter {
  if (sharedBusy) return new ByteWriter(1024);
  sharedBusy = true;
  const out = (shared ??= new ByteWriter(64 * 1024));
  out.reset();
  return out;
}

function releaseBuffer(out: ByteWriter): void {
  if (out !== shared) return;
  out.reset();
  sharedBusy = false;
}

/** Builds and writes frames for one connection; see the module documentation. */
export class FrameWriter {
  readonly #masking: boolean;
  #random: Uint8Array | undefined;
  #randomPos = RANDOM_POOL;
  #scratch: Uint8Array | undefined;

  /** "client" masks every frame (RFC 6455 §5.3); "server" never does. */
  constructor(role: "server" | "client") {
    this.#masking = role === "client";
  }

  /** Write one frame to `conn`; returns the last `conn.write` result (false: backpressured). */
  write(conn: Connection, opcode: number, payload: Uint8Array, fin = true): boolean {
    const out = takeBuffer();
    try {
      return this.#write(conn, out, opcode, payload, fin);
    } finally {
      releaseBuffer(out);
    }
  }

  /**
   * Write one frame per message, message `i` being `data[ends[i-1]..ends[i])`
   * (from 0): small frames are framed side by side and leave in as few
   * `conn.write` calls as fit {@link BATCH_BYTES}. Returns the last write's
   * result.
   */
  writeMany(conn: Connection, opcode: number, data: Uint8Array, ends: readonly number[]): boolean {
    const out = takeBuffer();
    try {
      let ok = true;
      let start = 0;
      for (let i = 0; i < ends.length; i++) {
        const end = ends[i];
        if (end - start > SEPARATE_ABOVE) {
          if (out.pos > 0) conn.write(out.view());
          out.reset();
          ok = this.#write(conn, out, opcode, data.subarray(start, end), true);
          out.reset();
        } else {
          // By range: no view object per message (subarray is dear on JSC).
          this.#frame(out, opcode, data, start, end, true);
        }
        start = end;
        if (out.pos >= BATCH_BYTES) {
          ok = conn.write(out.view());
          out.reset();
        }
      }
      if (out.pos > 0) ok = conn.write(out.view());
      return ok;
    } finally {
      releaseBuffer(out);
    }
  }

  #write(
    conn: Connection,
    out: ByteWriter,
    opcode: number,
    payload: Uint8Array,
    fin: boolean,
  ): boolean {
    const n = payload.length;
    if (n <= SEPARATE_ABOVE) {
      this.#frame(out, opcode, payload, 0, n, fin);
      return conn.write(out.view());
    }
    this.#header(out, opcode, n, fin);
    if (!this.#masking) {
      conn.write(out.view());
      return conn.write(payload);
    }
    const key = this.#maskKey();
    out.bytes(key);
    conn.write(out.view());
    const piece = (this.#scratch ??= new Uint8Array(MASK_PIECE));
    let ok = true;
    // Pieces are multiples of 4 bytes, so each starts at key byte 0.
    for (let at = 0; at < n; at += MASK_PIECE) {
      const len = Math.min(MASK_PIECE, n - at);
      for (let i = 0; i < len; i++) piece[i] = payload[at + i] ^ key[i & 3];
      ok = conn.write(piece.subarray(0, len));
    }
    return ok;
  }

  /** Append the whole frame (header, mask key, payload `data[from..to)`) to `out`. */
  #frame(
    out: ByteWriter,
    opcode: number,
    data: Uint8Array,
    from: number,
    to: number,
    fin: boolean,
  ): void {
    const n = to - from;
    out.reserve(14 + n);
    this.#header(out, opcode, n, fin);
    const buf = out.buf;
    let at = out.pos;
    if (this.#masking) {
      // The key is read in place from the pool: no view per frame.
      const k = this.#nextKey();
      const pool = this.#random!;
      buf[at] = pool[k];
      buf[at + 1] = pool[k + 1];
      buf[at + 2] = pool[k + 2];
      buf[at + 3] = pool[k + 3];
      at += 4;
      for (let i = 0; i < n; i++) buf[at + i] = data[from + i] ^ pool[k + (i & 3)];
    } else if (n <= SMALL_COPY) {
      for (let i = 0; i < n; i++) buf[at + i] = data[from + i];
    } else {
      buf.set(data.subarray(from, to), at);
    }
    out.pos = at + n;
  }

  /** First two bytes and the extended length (the mask key, if any, follows). */
  #header(out: ByteWriter, opcode: number, n: number, fin: boolean): void {
    out.reserve(10);
    const buf = out.buf;
    let p = out.pos;
    buf[p++] = (fin ? 0x80 : 0) | opcode;
    const maskBit = this.#masking ? 0x80 : 0;
    if (n < 126) {
      buf[p++] = maskBit | n;
    } else if (n <= 0xffff) {
      buf[p++] = maskBit | 126;
      buf[p++] = n >>> 8;
      buf[p++] = n;
    } else {
      buf[p++] = maskBit | 127;
      const hi = Math.floor(n / 0x100000000);
      buf[p++] = hi >>> 24;
      buf[p++] = hi >>> 16;
      buf[p++] = hi >>> 8;
      buf[p++] = hi;
      buf[p++] = n >>> 24;
      buf[p++] = n >>> 16;
      buf[p++] = n >>> 8;
      buf[p++] = n;
    }
    out.pos = p;
  }

  /** Four fresh random bytes, from a pool refilled 256 keys at a time (clients only). */
  #maskKey(): Uint8Array {
    const k = this.#nextKey();
    return this.#random!.slice(k, k + 4);
  }

  /** Where the next four fresh random bytes start in the pool. */
  #nextKey(): number {
    const pool = (this.#random ??= new Uint8Array(RANDOM_POOL));
    if (this.#randomPos + 4 > RANDOM_POOL) {
      crypto.getRandomValues(pool);
      this.#randomPos = 0;
    }
    const k = this.#randomPos;
    this.#randomPos += 4;
    return k;
  }
}

/**
 * The payload of a close frame: the code, big-endian, then the reason in
 * UTF-8; empty for code 1005 (no status), which is never sent as a code.
 */
export function closePayload(code: number, reason = ""): Uint8Array {
  if (code === CloseCode.noStatus) return new Uint8Array(0);
  const text = encoder.encode(reason);
  const out = new Uint8Array(2 + text.length);
  out[0] = code >>> 8;
  out[1] = code;
  out.set(text, 2);
  return out;
}
