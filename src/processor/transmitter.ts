/**
 * cellnet's `MessageTransmitter`: the part of a processor that frames and
 * encodes outgoing messages and parses incoming bytes into messages.
 *
 * The receive side is stateful (bytes of a frame can arrive over several
 * reads), so a transmitter makes one {@link MessageReceiver} per session.
 *
 * @module
 */
import type { ByteWriter } from "../codec/byte_writer.ts";

/** Where a receiver delivers decoded messages: the session. */
export interface MessageSink {
  /** One decoded message, in arrival order. */
  onRecvMessage(message: object): void;
  /** False once the session stopped reading (closed from a handler): the receiver stops. */
  readonly receiving: boolean;
}

/** Per-session inbound state of a transmitter. */
export interface MessageReceiver {
  /**
   * Parse `chunk` (valid only during the call), delivering every complete
   * message to the sink. Throws a `ProtocolError` on bad input; messages
   * before the bad one have been delivered.
   */
  receive(chunk: Uint8Array): void;
  /** Bytes held of a message not yet complete (a close now cuts it: "unexpected EOF"). */
  readonly partialBytes: number;
}

/** Limits a receiver enforces before it buffers anything. */
export interface ReceiveLimits {
  /** Reject frames whose Length field is at or above this (0: only the format's own limit). */
  readonly maxPacketSize: number;
}

/** Frames messages out and parses them in. */
export interface MessageTransmitter {
  /** Make the inbound parser of one session. */
  newReceiver(sink: MessageSink, limits: ReceiveLimits): MessageReceiver;
  /**
   * Append one framed message to `out`. Throws `EncodeError` or
   * `UnregisteredMessageError`; the caller restores `out.pos`.
   */
  writeMessage(out: ByteWriter, message: object): void;
}
