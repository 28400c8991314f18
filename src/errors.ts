/**
 * Every error class cellnet-ts throws or reports, in one place so callers can
 * `instanceof` them. Each sets `name` and accepts `ErrorOptions` so a
 * `cause` is kept.
 *
 * @module
 */

/** Options of every cellnet-ts error: the standard `cause`, and the OS error code if any. */
export interface CellnetErrorOptions extends ErrorOptions {
  /** The operating system's error code, e.g. `"ECONNREFUSED"`. */
  readonly code?: string;
}

/**
 * Base class of all cellnet-ts errors.
 *
 * @example Telling a refused dial from other failures
 * ```ts
 * import { CellnetError, loadTransport } from "@cellnet/cellnet";
 * const transport = await loadTransport();
 * try {
 *   await transport.connect({ host: "127.0.0.1", port: 1 });
 * } catch (err) {
 *   if (err instanceof CellnetError && err.code === "ECONNREFUSED") console.log("nobody listens");
 * }
 * ```
 */
export class CellnetError extends Error {
  /**
   * The operating system's error code (`"ECONNREFUSED"`, `"EADDRINUSE"`,
   * `"ECONNRESET"`...) when the error comes from the OS, the same on every
   * runtime; undefined otherwise. The runtime's own error is the `cause`.
   * The WebSocket errors carry their close code (a number) here instead.
   */
  readonly code: string | number | undefined;
  /** Create an error; `options.cause` and `options.code` are kept. */
  constructor(message: string, options?: CellnetErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = options?.code;
  }
}

/**
 * The bytes from the wire break the protocol: a frame shorter than its id,
 * a length over the limit, an unknown or system message id. The session that
 * sent them is closed with reason `ProtocolError`.
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, CloseReason, ProtocolError, SessionClosed, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof SessionClosed && ev.message.error instanceof ProtocolError) {
 *     console.log(ev.message.reason === CloseReason.ProtocolError, ev.message.error.message);
 *   }
 * });
 * ```
 */
export class ProtocolError extends CellnetError {}

/**
 * A frame carries a message id that no registered message has.
 *
 * @example
 * ```ts
 * import { decodeMessage, UnknownMessageError } from "@cellnet/cellnet";
 * try {
 *   decodeMessage(4660, new Uint8Array());
 * } catch (e) {
 *   if (e instanceof UnknownMessageError) console.log(e.messageId); // 4660
 * }
 * ```
 */
export class UnknownMessageError extends ProtocolError {
  /** The id found on the wire. */
  readonly messageId: number;
  /** Create the error for `messageId`. */
  constructor(messageId: number, options?: ErrorOptions) {
    super(`msg not exists, '${messageId}'`, options);
    this.messageId = messageId;
  }
}

/**
 * A frame's Length field is at or above the peer's `maxPacketSize`.
 *
 * @example
 * ```ts
 * import { PacketTooLargeError, ProtocolError } from "@cellnet/cellnet";
 * const e = new PacketTooLargeError("packet over size: Length 9000 >= maxPacketSize 4096");
 * console.log(e instanceof ProtocolError); // true: the session closes with ProtocolError
 * ```
 */
export class PacketTooLargeError extends ProtocolError {}

/**
 * A message body could not be decoded by its codec (truncated, lengths past the end).
 *
 * @example
 * ```ts
 * import { DecodeError, decodeMessage, defineMessage, t } from "@cellnet/cellnet";
 * const Named = defineMessage("errdoc.Named", { Name: t.string });
 * try {
 *   decodeMessage(Named.meta.id, new Uint8Array([9, 0]));
 * } catch (e) {
 *   console.log(e instanceof DecodeError); // true: a string length past the body
 * }
 * ```
 */
export class DecodeError extends ProtocolError {}

/**
 * A message cannot be encoded: a field of the wrong type, a string or slice
 * longer than the 16-bit length allows, or a frame over 65535 bytes. Thrown by
 * `send`; nothing is queued and the session stays usable.
 *
 * @example
 * ```ts
 * import { defineMessage, EncodeError, encodeMessage, t } from "@cellnet/cellnet";
 * const Short = defineMessage("errdoc.Short", { Value: t.int8 });
 * try {
 *   encodeMessage(new Short({ Value: 1000 }));
 * } catch (e) {
 *   console.log(e instanceof EncodeError); // true: 1000 does not fit an int8
 * }
 * ```
 */
export class EncodeError extends CellnetError {}

/**
 * A message meta could not be registered: id 0, a duplicate id or a duplicate name.
 *
 * @example
 * ```ts
 * import { defineMessage, MessageRegistrationError, t } from "@cellnet/cellnet";
 * defineMessage("errdoc.Twice", { A: t.int32 });
 * try {
 *   defineMessage("errdoc.Twice", { A: t.int32 });
 * } catch (e) {
 *   console.log(e instanceof MessageRegistrationError); // true: the name is taken
 * }
 * ```
 */
export class MessageRegistrationError extends CellnetError {}

/**
 * A message has no registered meta, so it cannot be sent.
 *
 * @example
 * ```ts
 * import { encodeMessage, UnregisteredMessageError } from "@cellnet/cellnet";
 * class NotAMessage {}
 * try {
 *   encodeMessage(new NotAMessage());
 * } catch (e) {
 *   console.log(e instanceof UnregisteredMessageError); // true
 * }
 * ```
 */
export class UnregisteredMessageError extends CellnetError {}

/**
 * A session's unsent bytes passed the peer's send-queue high-water mark.
 *
 * @example
 * ```ts
 * import { SlowConsumerError, tcp } from "@cellnet/cellnet";
 * // With the "reject" policy, send() throws this instead of closing the session.
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0", slowConsumerPolicy: "reject" });
 * const isSlow = (e: unknown) => e instanceof SlowConsumerError;
 * console.log(acceptor.name, isSlow(new SlowConsumerError("over the bound")));
 * ```
 */
export class SlowConsumerError extends CellnetError {}

/**
 * An operation did not complete in time (idle read, write drain, connect).
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, tcp, TimeoutError } from "@cellnet/cellnet";
 * const client = new tcp.SyncConnector({ address: "127.0.0.1:1", connectTimeoutMs: 200 });
 * bindProcessorHandler(client, "tcp.ltv", () => {});
 * await client.start().catch((e) => console.log(e instanceof TimeoutError ? "timed out" : e.message));
 * ```
 */
export class TimeoutError extends CellnetError {}

/**
 * Dialling a remote address failed; `code` says why when the OS did (`"ECONNREFUSED"`).
 *
 * @example A dial to a port nobody listens on
 * ```ts
 * import { ConnectError, loadTransport } from "@cellnet/cellnet";
 * const transport = await loadTransport();
 * try {
 *   await transport.connect({ host: "127.0.0.1", port: 1 });
 * } catch (err) {
 *   // connect to 127.0.0.1:1 failed: connection refused (ECONNREFUSED)
 *   if (err instanceof ConnectError) console.log(err.message);
 * }
 * ```
 */
export class ConnectError extends CellnetError {}

/**
 * Binding a listening socket failed; `code` says why when the OS did (`"EACCES"`).
 *
 * @example Any bind failure
 * ```ts
 * import { ListenError, loadTransport } from "@cellnet/cellnet";
 * const transport = await loadTransport();
 * try {
 *   await transport.listen({ host: "256.0.0.1", port: 0, onConnection: (c) => c.close(false) });
 * } catch (err) {
 *   if (err instanceof ListenError) console.log(err.message, err.code);
 * }
 * ```
 */
export class ListenError extends CellnetError {}

/**
 * The address to listen on is taken by another socket; `code` is always `"EADDRINUSE"`.
 *
 * @example Falling back to another port
 * ```ts
 * import { AddressInUseError, loadTransport } from "@cellnet/cellnet";
 * const transport = await loadTransport();
 * const onConnection = (conn: { close(graceful?: boolean): void }) => conn.close(false);
 * const first = await transport.listen({ host: "127.0.0.1", port: 0, onConnection });
 * let second;
 * try {
 *   second = await transport.listen({ host: "127.0.0.1", port: first.address.port, onConnection });
 * } catch (err) {
 *   if (!(err instanceof AddressInUseError)) throw err;
 *   second = await transport.listen({ host: "127.0.0.1", port: 0, onConnection });
 * }
 * console.log(`listening on ${second.address.port}`);
 * await second.close();
 * await first.close();
 * ```
 */
export class AddressInUseError extends ListenError {
  /** Create the error; the code is fixed. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, code: "EADDRINUSE" });
  }
}

/**
 * An established connection failed under the transport: reset by the peer,
 * broken pipe, timed out. Reported to `onClose`; `code` is the OS's. A clean
 * close (a FIN) is not an error: `onClose` gets none.
 *
 * @example Telling a lost connection from a clean close
 * ```ts
 * import { type ConnectionHandler, NetworkError } from "@cellnet/cellnet";
 * const handler: ConnectionHandler = {
 *   onData() {},
 *   onDrain() {},
 *   onClose(error) {
 *     if (error instanceof NetworkError) console.log(`lost: ${error.code}`); // e.g. ECONNRESET
 *     else if (error === undefined) console.log("closed");
 *   },
 * };
 * handler.onClose();
 * ```
 */
export class NetworkError extends CellnetError {}

/**
 * A per-peer limit (such as the connection limit) refused a connection.
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, CloseReason, LimitError, SessionClosed, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0", maxMessagesPerSecond: 100 });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof SessionClosed && ev.message.error instanceof LimitError) {
 *     console.log(ev.message.reason === CloseReason.Limit); // true
 *   }
 * });
 * ```
 */
export class LimitError extends CellnetError {}

/**
 * The requested runtime adapter cannot run here, or no runtime was detected.
 *
 * @example
 * ```ts
 * import { loadTransport, RuntimeNotSupportedError } from "@cellnet/cellnet";
 * await loadTransport("no-such-runtime").catch((e) => console.log(e instanceof RuntimeNotSupportedError)); // true
 * ```
 */
export class RuntimeNotSupportedError extends CellnetError {}

/**
 * A peer, processor or codec name was not found in its registry.
 *
 * @example
 * ```ts
 * import { getCodec, NotRegisteredError } from "@cellnet/cellnet";
 * try {
 *   getCodec("no-such-codec");
 * } catch (e) {
 *   console.log(e instanceof NotRegisteredError); // true
 * }
 * ```
 */
export class NotRegisteredError extends CellnetError {}

/**
 * The WebSocket peer broke RFC 6455 (an unmasked client frame, a reserved
 * opcode, invalid UTF-8 in a text message, a message over `maxPacketSize`...),
 * or sent what this side refuses (a text message). The connection answered
 * with a close frame carrying {@link WebSocketProtocolError.code} and closed.
 * A gorillaws session closed by it gets `SessionClosed` with reason
 * `ProtocolError` and this error.
 *
 * @example Telling a client that sent text from other closes
 * ```ts
 * import { bindProcessorHandler, gorillaws, SessionClosed, WebSocketProtocolError } from "@cellnet/cellnet";
 * const acceptor = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/ws" });
 * bindProcessorHandler(acceptor, "gorillaws.ltv", (ev) => {
 *   const m = ev.message;
 *   if (m instanceof SessionClosed && m.error instanceof WebSocketProtocolError) {
 *     console.log(`session ${ev.session.id} broke the protocol (${m.error.code}): ${m.error.message}`);
 *   }
 * });
 * ```
 */
export class WebSocketProtocolError extends ProtocolError {
  /** The close code sent to the peer: 1002, 1003, 1007, 1008 or 1009. */
  override readonly code: number;
  /** Create the error for close `code`. */
  constructor(code: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The WebSocket peer started the closing handshake with an error code (not
 * 1000 normal, 1001 going away or no code at all): it reports a failure of
 * its own, such as 1002, 1009 or 1011. A gorillaws session gets it on
 * `SessionClosed` (reason `IO`).
 *
 * @example Reading the code a client closed with
 * ```ts
 * import { bindProcessorHandler, gorillaws, SessionClosed, WebSocketCloseError } from "@cellnet/cellnet";
 * const acceptor = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/ws" });
 * bindProcessorHandler(acceptor, "gorillaws.ltv", (ev) => {
 *   const m = ev.message;
 *   if (m instanceof SessionClosed && m.error instanceof WebSocketCloseError) {
 *     console.log(`closed by the client with ${m.error.code}: ${m.error.reason}`);
 *   }
 * });
 * ```
 */
export class WebSocketCloseError extends CellnetError {
  /** The close code the peer sent. */
  override readonly code: number;
  /** The close reason the peer sent ("" when none). */
  readonly reason: string;
  /** Create the error for the peer's `code` and `reason`. */
  constructor(code: number, reason: string, options?: ErrorOptions) {
    super(`websocket closed by the peer with ${code}${reason ? ` (${reason})` : ""}`, options);
    this.code = code;
    this.reason = reason;
  }
}

/**
 * A WebSocket opening handshake failed: a malformed or oversized HTTP head,
 * a request that is no valid upgrade (answered with the HTTP status in
 * {@link WebSocketHandshakeError.status}), a path no route matches, or on the
 * client side a response that is not a valid `101 Switching Protocols`.
 *
 * @example A dial refused with 404
 * ```ts
 * import { gorillaws, bindProcessorHandler, WebSocketHandshakeError } from "@cellnet/cellnet";
 * const server = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/echo" });
 * bindProcessorHandler(server, "gorillaws.ltv", () => {});
 * await server.start();
 * const client = new gorillaws.SyncConnector({ address: `ws://127.0.0.1:${server.port}/nope` });
 * bindProcessorHandler(client, "gorillaws.ltv", () => {});
 * try {
 *   await client.start();
 * } catch (err) {
 *   if (err instanceof WebSocketHandshakeError) console.log(err.status); // 404
 * }
 * await server.stop();
 * ```
 */
export class WebSocketHandshakeError extends ProtocolError {
  /**
   * The HTTP status involved: the one sent back (server side) or received
   * (client side); undefined when the connection ended before any.
   */
  readonly status: number | undefined;
  /** Create the error; `status` as described on the field. */
  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

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
