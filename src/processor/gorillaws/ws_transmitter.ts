/**
 * The gorillaws.ltv transmitter: cellnet's `WSMessageTransmitter`. One
 * cellnet message is one binary WebSocket message, `uint16 LE MsgID | body`,
 * with no length field (the WebSocket layer carries it), so bodies above
 * 65533 bytes are legal here.
 *
 * @module
 */
import type {
  MessageReceiver,
  MessageSink,
  MessageTransmitter,
  ReceiveLimits,
} from "../../cellnet.ts";
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

/**
 * Frames messages for a message-oriented WebSocket connection.
 *
 * @example The payload of one message
 * ```ts
 * import { ByteWriter, defineMessage, t, WSMessageTransmitter } from "@cellnet/cellnet";
 * const Echo = defineMessage("wsdoc.Echo", { Msg: t.string });
 * const out = new ByteWriter();
 * new WSMessageTransmitter().writeMessage(out, new Echo({ Msg: "hi" }));
 * console.log(out.view()); // MsgID (2 bytes LE), then the body
 * ```
 */
export class WSMessageTransmitter implements MessageTransmitter {
  /** Make the inbound parser of one session (each chunk it gets is one whole message). */
  newReceiver(sink: MessageSink, limits: ReceiveLimits): MessageReceiver {
    return new WSReceiver(sink, limits.maxPacketSize);
  }

  /** Append `MsgID | body` for `message` to `out`. */
  writeMessage(out: ByteWriter, message: object): void {
    const start = out.pos;
    out.reserve(2);
    out.pos = start + 2;
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
    out.setU16At(start, id);
  }
}

class WSReceiver implements MessageReceiver {
  readonly #sink: MessageSink;
  readonly #maxPacketSize: number;
  #lastId = -1;
  #lastMeta: MessageMeta<object> | undefined;

  constructor(sink: MessageSink, maxPacketSize: number) {
    this.#sink = sink;
    this.#maxPacketSize = maxPacketSize;
  }

  /** Whole messages only: nothing is ever held between calls. */
  get partialBytes(): number {
    return 0;
  }

  receive(message: Uint8Array): void {
    const n = message.length;
    // cellnet checks this before anything else (ErrMinPacket).
    if (n < 2) throw new ProtocolError(`packet short size: a message of ${n} bytes has no msgid`);
    const max = this.#maxPacketSize;
    if (max > 0 && n >= max) {
      throw new PacketTooLargeError(`packet over size: ${n} bytes >= maxPacketSize ${max}`);
    }
    const id = message[0] | (message[1] << 8);
    let meta = this.#lastMeta;
    if (id !== this.#lastId || meta === undefined) {
      meta = messageMetaById(id);
      if (meta === undefined || meta.system) throw new UnknownMessageError(id);
      this.#lastId = id;
      this.#lastMeta = meta;
    }
    let decoded: object;
    try {
      const bound = meta.bound;
      decoded = bound.decodeRange !== undefined
        ? bound.decodeRange(message, 2, n)
        : bound.decode(message.subarray(2));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new DecodeError(`${meta.name} (id ${id}): ${why}`, { cause: e });
    }
    this.#sink.onRecvMessage(decoded);
  }
}
