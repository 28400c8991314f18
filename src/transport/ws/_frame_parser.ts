/**
 * The receive side of RFC 6455 framing: a state machine fed with the byte
 * stream's chunks, reporting whole messages, control frames and protocol
 * violations to a {@link FrameSink}.
 *
 * Chunks are consumed in place: a frame that lies whole in one chunk is
 * unmasked in that chunk's memory and handed over as a view of it. Only a
 * frame header cut by a chunk boundary, a control payload cut likewise, and
 * the pieces of a message that spans frames or chunks are copied. Every limit
 * is checked from the frame header, before anything is buffered.
 *
 * @module
 */

import { CloseCode, isValidCloseCode, MAX_CONTROL_PAYLOAD, Opcode } from "./_protocol.ts";
import { Utf8Validator } from "./_utf8.ts";

/** Receives what a {@link FrameParser} finds. Payload views are valid only during the call. */
export interface FrameSink {
  /** A whole data message (all fragments joined). */
  onMessage(data: Uint8Array, text: boolean): void;
  /** A ping; the payload is what the pong must carry. */
  onPing(payload: Uint8Array): void;
  /** A pong. */
  onPong(payload: Uint8Array): void;
  /** A close frame; `code` is 1005 when it had no payload. The parser stops. */
  onCloseFrame(code: number, reason: string): void;
  /** A violation: close the connection with `code`. The parser stops. */
  onProtocolError(code: number, reason: string): void;
}

/** Limits and role of a {@link FrameParser}. */
export interface FrameParserOptions {
  /** "server" requires masked frames (from a client); "client" requires unmasked ones. */
  readonly role: "server" | "client";
  /** Largest message payload accepted, all fragments together (close 1009 above). */
  readonly maxPacketSize: number;
  /** Most frames one data message may come in (close 1008 above). */
  readonly maxFragments: number;
  /**
   * Accept text messages (UTF-8 checked, close 1007 if invalid); false
   * closes with 1003 at the first text frame.
   */
  readonly allowText: boolean;
}

const HEAD = 0;
const PAYLOAD = 1;
const DONE = 2;

/** Longest frame header: 2 + 8 (64-bit length) + 4 (mask key). */
const MAX_HEADER = 14;
/** A reassembly buffer above this is dropped after its message, not kept for the next. */
const KEEP_BUFFER = 64 * 1024;

const decoder = new TextDecoder();

/** RFC 6455 frame parser; see the module documentation. */
export class FrameParser {
  readonly #sink: FrameSink;
  readonly #expectMask: boolean;
  readonly #maxPacketSize: number;
  readonly #maxFragments: number;
  readonly #allowText: boolean;

  #state = HEAD;
  /** Header bytes gathered so far when a header spans chunks (made the first time one does). */
  #head: Uint8Array | undefined;
  #headLen = 0;

  // The frame being read.
  #fin = false;
  #opcode = 0;
  #remaining = 0;
  #masked = false;
  /** The frame's mask key (made at the first masked frame). */
  #mask: Uint8Array | undefined;
  /** Payload bytes of this frame already unmasked: where the mask key cycle stands. */
  #maskPos = 0;

  // The data message being assembled (when fragmented or cut by chunks).
  /** Opcode of the message in progress (text or binary); 0 when none is. */
  #msgOpcode = 0;
  #fragments = 0;
  #msg: Uint8Array | undefined;
  #msgLen = 0;
  /** For text messages and close reasons (made at the first one). */
  #utf8: Utf8Validator | undefined;

  // A control frame cut by a chunk boundary (the buffer is made the first
  // time one is: an idle connection holds none).
  #ctrl: Uint8Array | undefined;
  #ctrlLen = 0;

  /** Create a parser reporting to `sink`. */
  constructor(sink: FrameSink, options: FrameParserOptions) {
    this.#sink = sink;
    this.#expectMask = options.role === "server";
    this.#maxPacketSize = options.maxPacketSize;
    this.#maxFragments = options.maxFragments;
    this.#allowText = options.allowText;
  }

  /** True once a close frame or a violation stopped the parser; later input is ignored. */
  get done(): boolean {
    return this.#state === DONE;
  }

  /** True while a frame or a fragmented message is part way in: more bytes are owed. */
  get midMessage(): boolean {
    return this.#state === PAYLOAD || this.#headLen > 0 || this.#msgOpcode !== 0;
  }

  /** Bytes held between calls (header, control and message pieces), for memory checks. */
  get bufferedBytes(): number {
    return this.#headLen + this.#ctrlLen + (this.#msg?.length ?? 0);
  }

  /** Stop parsing: input after this is ignored (the connection is closing). */
  stop(): void {
    this.#state = DONE;
    this.#msg = undefined;
    this.#msgLen = 0;
  }

  /** Consume one chunk of the byte stream. Unmasks in place, so `chunk` is modified. */
  push(chunk: Uint8Array): void {
    let pos = 0;
    const end = chunk.length;
    while (pos < end && this.#state !== DONE) {
      if (this.#state === HEAD) pos = this.#readHead(chunk, pos, end);
      else pos = this.#readPayload(chunk, pos, end);
    }
  }

  /** Read a frame header from `chunk[pos..]`, straight from the chunk when it is all there. */
  #readHead(chunk: Uint8Array, pos: number, end: number): number {
    if (this.#headLen === 0 && end - pos >= 2) {
      const size = headerSize(chunk[pos + 1]);
      if (end - pos >= size) {
        this.#onHead(chunk, pos);
        return pos + size;
      }
    }
    // The header spans chunks: gather it in #head.
    const head = (this.#head ??= new Uint8Array(MAX_HEADER));
    while (pos < end) {
      head[this.#headLen++] = chunk[pos++];
      if (this.#headLen >= 2 && this.#headLen === headerSize(head[1])) {
        this.#headLen = 0;
        this.#onHead(head, 0);
        break;
      }
    }
    return pos;
  }

  /** A complete header at `b[p..]`: check it, then start reading its payload. */
  #onHead(b: Uint8Array, p: number): void {
    const b0 = b[p];
    const b1 = b[p + 1];
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    const masked = (b1 & 0x80) !== 0;
    let length = b1 & 0x7f;
    let q = p + 2;
    if (length === 126) {
      length = (b[q] << 8) | b[q + 1];
      q += 2;
    } else if (length === 127) {
      const hi = ((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0;
      const lo = ((b[q + 4] << 24) | (b[q + 5] << 16) | (b[q + 6] << 8) | b[q + 7]) >>> 0;
      q += 8;
      if (hi >= 0x80000000) {
        return this.#fail(CloseCode.protocolError, "64-bit payload length has its high bit set");
      }
      // Above 2^53 the number is inexact, but it is far over any limit anyway.
      length = hi * 0x100000000 + lo;
    }
    if ((b0 & 0x70) !== 0) {
      return this.#fail(CloseCode.protocolError, `reserved bits 0x${(b0 & 0x70).toString(16)} set`);
    }
    if (masked !== this.#expectMask) {
      return this.#fail(
        CloseCode.protocolError,
        masked ? "a server frame is masked" : "a client frame is not masked",
      );
    }
    if (opcode >= 0x8) {
      if (opcode > Opcode.pong) {
        return this.#fail(CloseCode.protocolError, `unknown opcode ${opcode}`);
      }
      if (!fin) return this.#fail(CloseCode.protocolError, "control frame not final");
      if (length > MAX_CONTROL_PAYLOAD) {
        return this.#fail(CloseCode.protocolError, "control frame payload over 125 bytes");
      }
    } else if (opcode === Opcode.continuation) {
      if (this.#msgOpcode === 0) {
        return this.#fail(
          CloseCode.protocolError,
          "continuation frame without a message to continue",
        );
      }
    } else if (opcode === Opcode.text || opcode === Opcode.binary) {
      if (this.#msgOpcode !== 0) {
        return this.#fail(CloseCode.protocolError, "new data frame inside a fragmented message");
      }
      if (opcode === Opcode.text && !this.#allowText) {
        return this.#fail(CloseCode.unsupportedData, "text messages are not accepted");
      }
    } else {
      return this.#fail(CloseCode.protocolError, `unknown opcode ${opcode}`);
    }
    if (opcode < 0x8) {
      // Limits first: nothing of an oversized message is ever buffered.
      if (length > this.#maxPacketSize - this.#msgLen) {
        return this.#fail(
          CloseCode.messageTooBig,
          `message over maxPacketSize ${this.#maxPacketSize}`,
        );
      }
      if (++this.#fragments > this.#maxFragments) {
        return this.#fail(
          CloseCode.policyViolation,
          `message in over ${this.#maxFragments} frames`,
        );
      }
      if (opcode !== Opcode.continuation) {
        this.#msgOpcode = opcode;
        if (opcode === Opcode.text) (this.#utf8 ??= new Utf8Validator()).reset();
      }
    }
    this.#fin = fin;
    this.#opcode = opcode;
    this.#masked = masked;
    this.#remaining = length;
    this.#maskPos = 0;
    if (masked) {
      const m = (this.#mask ??= new Uint8Array(4));
      m[0] = b[q];
      m[1] = b[q + 1];
      m[2] = b[q + 2];
      m[3] = b[q + 3];
    }
    this.#state = PAYLOAD;
    // An empty payload has no bytes to wait for.
    if (length === 0) this.#endFrame(b, q, q);
  }

  /** Read payload bytes from `chunk[pos..]`. */
  #readPayload(chunk: Uint8Array, pos: number, end: number): number {
    const n = Math.min(this.#remaining, end - pos);
    const stop = pos + n;
    if (this.#masked) this.#unmask(chunk, pos, stop);
    this.#remaining -= n;
    const control = this.#opcode >= 0x8;
    if (control) {
      if (this.#remaining === 0 && this.#ctrlLen === 0) {
        this.#endFrame(chunk, pos, stop);
        return stop;
      }
      const ctrl = (this.#ctrl ??= new Uint8Array(MAX_CONTROL_PAYLOAD));
      ctrl.set(chunk.subarray(pos, stop), this.#ctrlLen);
      this.#ctrlLen += n;
      if (this.#remaining === 0) {
        const len = this.#ctrlLen;
        this.#ctrlLen = 0;
        this.#endFrame(ctrl, 0, len);
      }
      return stop;
    }
    if (this.#msgOpcode === Opcode.text && !this.#utf8!.update(chunk, pos, stop)) {
      this.#fail(CloseCode.invalidPayload, "text message is not valid UTF-8");
      return stop;
    }
    // A single-frame message lying whole in this chunk goes out as a view of it.
    if (this.#remaining === 0 && this.#fin && this.#msgLen === 0) {
      this.#endFrame(chunk, pos, stop);
      return stop;
    }
    this.#append(chunk, pos, stop);
    if (this.#remaining === 0) this.#endFrame(chunk, stop, stop);
    return stop;
  }

  /** XOR `b[from..to)` with the mask key, continuing the key cycle of this frame. */
  #unmask(b: Uint8Array, from: number, to: number): void {
    const m = this.#mask!;
    let k = this.#maskPos;
    let i = from;
    // Bring the key cycle to 0, then four bytes per step with the key in locals.
    while (k !== 0 && i < to) {
      b[i++] ^= m[k];
      k = (k + 1) & 3;
    }
    const m0 = m[0];
    const m1 = m[1];
    const m2 = m[2];
    const m3 = m[3];
    for (const last = to - 3; i < last; i += 4) {
      b[i] ^= m0;
      b[i + 1] ^= m1;
      b[i + 2] ^= m2;
      b[i + 3] ^= m3;
    }
    while (i < to) {
      b[i++] ^= m[k];
      k = (k + 1) & 3;
    }
    this.#maskPos = k;
  }

  /** Copy a message piece into the reassembly buffer, growing it (never past maxPacketSize). */
  #append(b: Uint8Array, from: number, to: number): void {
    const need = this.#msgLen + (to - from);
    let buf = this.#msg;
    if (buf === undefined || buf.length < need) {
      // Grow by doubling as bytes arrive, not to the header's claim at once:
      // a peer announcing a large frame and sending it slowly costs only what it sent.
      let cap = Math.max(buf?.length ?? 0, 1024);
      while (cap < need) cap *= 2;
      const next = new Uint8Array(Math.min(cap, this.#maxPacketSize));
      if (buf !== undefined) next.set(buf.subarray(0, this.#msgLen));
      buf = next;
      this.#msg = buf;
    }
    buf.set(b.subarray(from, to), this.#msgLen);
    this.#msgLen = need;
  }

  /** The current frame's payload is complete; `b[from..to)` is it when not buffered. */
  #endFrame(b: Uint8Array, from: number, to: number): void {
    this.#state = HEAD;
    const opcode = this.#opcode;
    if (opcode === Opcode.ping) return this.#sink.onPing(b.subarray(from, to));
    if (opcode === Opcode.pong) return this.#sink.onPong(b.subarray(from, to));
    if (opcode === Opcode.close) return this.#onClose(b.subarray(from, to));
    if (!this.#fin) {
      // An empty non-final frame leaves nothing to buffer.
      if (to > from) this.#append(b, from, to);
      return;
    }
    const text = this.#msgOpcode === Opcode.text;
    if (text && !this.#utf8!.complete) {
      return this.#fail(CloseCode.invalidPayload, "text message ends inside a UTF-8 character");
    }
    let data: Uint8Array;
    if (this.#msgLen === 0) data = b.subarray(from, to);
    else data = this.#msg!.subarray(0, this.#msgLen);
    this.#msgOpcode = 0;
    this.#fragments = 0;
    this.#msgLen = 0;
    if (this.#msg !== undefined && this.#msg.length > KEEP_BUFFER) this.#msg = undefined;
    this.#sink.onMessage(data, text);
  }

  #onClose(payload: Uint8Array): void {
    if (payload.length === 0) {
      this.stop();
      return this.#sink.onCloseFrame(CloseCode.noStatus, "");
    }
    if (payload.length === 1) {
      return this.#fail(CloseCode.protocolError, "close frame with a 1-byte payload");
    }
    const code = (payload[0] << 8) | payload[1];
    if (!isValidCloseCode(code)) {
      return this.#fail(CloseCode.protocolError, `invalid close code ${code}`);
    }
    const reasonBytes = payload.subarray(2);
    const v = (this.#utf8 ??= new Utf8Validator());
    // The validator is free: a message in progress is abandoned by the close.
    v.reset();
    if (!v.update(reasonBytes) || !v.complete) {
      return this.#fail(CloseCode.invalidPayload, "close reason is not valid UTF-8");
    }
    const reason = decoder.decode(reasonBytes);
    this.stop();
    this.#sink.onCloseFrame(code, reason);
  }

  #fail(code: number, reason: string): void {
    this.stop();
    this.#sink.onProtocolError(code, reason);
  }
}

/** Header size implied by a frame's second byte: 2, + 2 or 8 length bytes, + 4 mask bytes. */
function headerSize(b1: number): number {
  const len = b1 & 0x7f;
  return 2 + (len === 126 ? 2 : len === 127 ? 8 : 0) + ((b1 & 0x80) !== 0 ? 4 : 0);
}
