/**
 * Every error class cellnet-ts throws or reports, in one place so callers can
 * `instanceof` them. Each sets `name` and accepts `ErrorOptions` so a
 * `cause` is kept.
 *
 * @module
 */

/** Base class of all cellnet-ts errors. */
export class CellnetError extends Error {
  /** Create an error; `options.cause` is kept. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The bytes from the wire break the protocol: a frame shorter than its id,
 * a length over the limit, an unknown or system message id. The session that
 * sent them is closed with reason `ProtocolError`.
 */
export class ProtocolError extends CellnetError {}

/** A frame carries a message id that no registered message has. */
export class UnknownMessageError extends ProtocolError {
  /** The id found on the wire. */
  readonly messageId: number;
  /** Create the error for `messageId`. */
  constructor(messageId: number, options?: ErrorOptions) {
    super(`msg not exists, '${messageId}'`, options);
    this.messageId = messageId;
  }
}

/** A frame's Length field is at or above the peer's `maxPacketSize`. */
export class PacketTooLargeError extends ProtocolError {}

/** A message body could not be decoded by its codec (truncated, lengths past the end). */
export class DecodeError extends ProtocolError {}

/**
 * A message cannot be encoded: a field of the wrong type, a string or slice
 * longer than the 16-bit length allows, or a frame over 65535 bytes. Thrown by
 * `send`; nothing is queued and the session stays usable.
 */
export class EncodeError extends CellnetError {}

/** A message meta could not be registered: id 0, a duplicate id or a duplicate name. */
export class MessageRegistrationError extends CellnetError {}

/** A message has no registered meta, so it cannot be sent. */
export class UnregisteredMessageError extends CellnetError {}

/** A session's unsent bytes passed the peer's send-queue high-water mark. */
export class SlowConsumerError extends CellnetError {}

/** An operation did not complete in time (idle read, write drain, connect). */
export class TimeoutError extends CellnetError {}

/** Dialling a remote address failed. */
export class ConnectError extends CellnetError {}

/** A per-peer limit (such as the connection limit) refused a connection. */
export class LimitError extends CellnetError {}

/** The requested runtime adapter cannot run here, or no runtime was detected. */
export class RuntimeNotSupportedError extends CellnetError {}

/** A peer, processor or codec name was not found in its registry. */
export class NotRegisteredError extends CellnetError {}

/**
 * An RPC call got no reply within its timeout (cellnet's `rpc.ErrTimeout`,
 * "RPC time out"). A reply that arrives later is dropped and counted in
 * `rpc.stats().lateReplies`.
 *
 * @example Tell a timeout from other failures
 * ```ts
 * import { rpc, RpcTimeoutError, type Session } from "@cellnet/cellnet";
 * async function ask(session: Session, request: object): Promise<object | undefined> {
 *   try {
 *     return await rpc.call(session, request, { timeoutMs: 500 });
 *   } catch (e) {
 *     if (e instanceof RpcTimeoutError) return undefined; // "RPC time out: …"
 *     throw e;
 *   }
 * }
 * ```
 */
export class RpcTimeoutError extends TimeoutError {}

/**
 * The session an RPC call was made on closed (or was already closed) before
 * the reply came. cellnet leaves such calls until their timeout; cellnet-ts
 * fails them at once.
 *
 * @example Retry after a reconnect
 * ```ts
 * import { rpc, RpcSessionClosedError, tcp } from "@cellnet/cellnet";
 * async function askOnce(connector: tcp.Connector, request: object): Promise<object | undefined> {
 *   try {
 *     return await rpc.call(connector, request);
 *   } catch (e) {
 *     if (e instanceof RpcSessionClosedError) return undefined; // the connection dropped
 *     throw e;
 *   }
 * }
 * ```
 */
export class RpcSessionClosedError extends CellnetError {}
