/**
 * The tcp.ltv transmitter: cellnet's `TCPMessageTransmitter` framing,
 * `uint16 LE Length | uint16 LE MsgID | body` with Length = 2 + body length.
 *
 * Frames are parsed in place from the read chunk; only the tail of a frame
 * split across reads is copied, into a buffer sized from its header after
 * the header passed the limits.
 *
 * @module
 */
import type { ByteWriter } from "../../codec/byte_writer.ts";
import {
  DecodeError,
  EncodeError,
  PacketTooLargeError,
  ProtocolError,
  UnknownMessageError,
  UnregisteredMessageError,
} from "../../errors.ts";
import { type MessageMeta, messageMetaById, messageMetaByMsg } from "../../message/meta.ts";
import { RawPacket } from "../../message/raw_packet.ts";
import type {
  MessageReceiver,
  MessageSink,
  MessageTransmitter,
  ReceiveLimits,
} from "../../cellnet.ts";

/** Bytes before the body: Length and MsgID. */
const HEADER = 4;
/** The Length field's own maximum. */
const MAX_LENGTH = 0xffff;

/**
 * The tcp.ltv framing shared by every session of every tcp.ltv peer (it is stateless).
 *
 * @example Frame one message by hand
 * ```ts
 * import { ByteWriter, defineMessage, LTVTransmitter, t } from "@cellnet/cellnet";
 * const Echo = defineMessage("ltvdoc.Echo", { Msg: t.string });
 * const out = new ByteWriter();
 * new LTVTransmitter().writeMessage(out, new Echo({ Msg: "hi" }));
 * console.log(out.view()); // Length, MsgID, then the body
 * ```
 */
export class LTVTransmitter implements MessageTransmitter {
  /** Make the inbound parser of one session. */
  newReceiver(sink: MessageSink, limits: ReceiveLimits): MessageReceiver {
    return new LTVReceiver(sink, limits.maxPacketSize);
  }

  /** Append `Length | MsgID | body` for `message` to `out`. */
  writeMessage(out: ByteWriter, message: object): void {
    const start = out.pos;
    out.reserve(HEADER);
    out.pos = start + HEADER;
    let id: number;
    if (message instanceof RawPacket) {
      id = message.msgId;
      if (!Number.isInteger(id) || id < 0 || id > 0xffff) {
        throw new EncodeError(`RawPacket msgId must be 0..65535, got ${id}`);
      }
      out.bytes(message.msgData);
    } else {
      const meta = messageMetaByMsg(message);
      if (!meta) {
        const name = (message as { constructor?: { name?: string } })?.constructor?.name ??
          typeof message;
        throw new UnregisteredMessageError(
          `cannot send ${name}: its type is not a registered message`,
        );
      }
      id = meta.id;
      meta.bound.encode(message, out);
    }
    const length = out.pos - start - 2;
    if (length > MAX_LENGTH) {
      throw new EncodeError(
        `frame of ${length + 2} bytes does not fit tcp.ltv: Length ${length} exceeds ${MAX_LENGTH}`,
      );
    }
    out.setU16At(start, length);
    out.setU16At(start + 2, id);
  }
}

class LTVReceiver implements MessageReceiver {
  readonly #sink: MessageSink;
  readonly #maxPacketSize: number;
  /** Holds one incomplete frame (header included) between reads. */
  #partial: Uint8Array | undefined;
  #partialLen = 0;
  /** Total size of the frame in #partial once its header is known, else 0. */
  #partialNeed = 0;
  // The last id seen and its meta: a connection's frames are mostly of a few
  // types, and ids never change meaning once registered, so this skips the
  // registry lookup per frame.
  #lastId = -1;
  #lastMeta: MessageMeta<object> | undefined;

  constructor(sink: MessageSink, maxPacketSize: number) {
    this.#sink = sink;
    this.#maxPacketSize = maxPacketSize;
  }

  get partialBytes(): number {
    return this.#partialLen;
  }

  receive(chunk: Uint8Array): void {
    let off = 0;
    const end = chunk.length;
    if (end === 0) return;
    if (this.#partialLen > 0) {
      off = this.#completePartial(chunk);
      if (off < 0) return;
    }
    const sink = this.#sink;
    const max = this.#maxPacketSize;
    while (end - off >= 2 && sink.receiving) {
      const length = chunk[off] | (chunk[off + 1] << 8);
      // The common case inline: a private method call per frame shows in JSC's profile.
      if (length < 2 || (max > 0 && length >= max)) this.#checkLength(length);
      if (end - off - 2 < length) break;
      this.#frame(chunk, off + 2, length);
      off += 2 + length;
    }
    if (off < end && sink.receiving) this.#keep(chunk, off);
  }

  /** Add the start of `chunk` to the held partial frame; returns where the rest begins, or -1 if all was consumed. */
  #completePartial(chunk: Uint8Array): number {
    let off = 0;
    let buf = this.#partial!;
    if (this.#partialNeed === 0) {
      // Only the first byte of the header is held.
      const lo = buf[0];
      const hi = chunk[0];
      off = 1;
      const length = lo | (hi << 8);
      this.#checkLength(length);
      buf = this.#grow(2 + length);
      buf[0] = lo;
      buf[1] = hi;
      this.#partialLen = 2;
      this.#partialNeed = 2 + length;
    }
    const take = Math.min(this.#partialNeed - this.#partialLen, chunk.length - off);
    buf.set(chunk.subarray(off, off + take), this.#partialLen);
    this.#partialLen += take;
    off += take;
    if (this.#partialLen < this.#partialNeed) return -1;
    const length = this.#partialNeed - 2;
    this.#partialLen = 0;
    this.#partialNeed = 0;
    // A buffer grown for one big frame is dropped so it does not stay pinned.
    if (buf.length > 4096) this.#partial = undefined;
    this.#frame(buf, 2, length);
    return off;
  }

  #keep(chunk: Uint8Array, off: number): void {
    const rest = chunk.length - off;
    if (rest === 1) {
      const buf = this.#grow(64);
      buf[0] = chunk[off];
      this.#partialLen = 1;
      this.#partialNeed = 0;
      return;
    }
    // The length was checked by the parse loop before we got here.
    const need = 2 + (chunk[off] | (chunk[off + 1] << 8));
    const buf = this.#grow(need);
    buf.set(chunk.subarray(off), 0);
    this.#partialLen = rest;
    this.#partialNeed = need;
  }

  #grow(size: number): Uint8Array {
    if (this.#partial === undefined || this.#partial.length < size) {
      this.#partial = new Uint8Array(Math.max(size, 64));
    }
    return this.#partial;
  }

  #checkLength(length: number): void {
    if (length < 2) throw new ProtocolError(`short msgid: frame Length ${length} is less than 2`);
    const max = this.#maxPacketSize;
    if (max > 0 && length >= max) {
      throw new PacketTooLargeError(`packet over size: Length ${length} >= maxPacketSize ${max}`);
    }
  }

  #frame(buf: Uint8Array, start: number, length: number): void {
    const id = buf[start] | (buf[start + 1] << 8);
    let meta = this.#lastMeta;
    if (id !== this.#lastId || meta === undefined) {
      meta = messageMetaById(id);
      if (meta === undefined || meta.system) throw new UnknownMessageError(id);
      this.#lastId = id;
      this.#lastMeta = meta;
    }
    let message: object;
    try {
      const bound = meta.bound;
      // In place when the codec can: no view of the body per message.
      message = bound.decodeRange !== undefined
        ? bound.decodeRange(buf, start + 2, start + length)
        : bound.decode(buf.subarray(start + 2, start + length));
    } catch (e) {
      if (e instanceof ProtocolError) {
        throw new DecodeError(`${meta.name} (id ${id}): ${e.message}`, { cause: e });
      }
      // A user codec may throw anything; to the session it is still bad input.
      throw new DecodeError(`${meta.name} (id ${id}): ${(e as Error)?.message ?? e}`, { cause: e });
    }
    this.#sink.onRecvMessage(message);
  }
}
