/**
 * The one small interface between the portable core and a runtime's sockets.
 *
 * Everything above this file (sessions, processors, peers) talks only to
 * {@link Transport}, {@link Listener} and {@link Connection}. Each runtime
 * (Node's net module, Deno's listen/connect, Bun's listen/connect)
 * implements them in its own file under `tcp/`.
 *
 * The interface is event-driven and allocation-free per chunk: a connection
 * reports to one {@link ConnectionHandler} object instead of per-call
 * callbacks. A message-oriented transport (WebSocket, UDP) implements the same
 * interface and delivers one whole message per {@link ConnectionHandler.onData}
 * call; it sets {@link Connection.messageOriented} so a processor can skip
 * stream reassembly.
 *
 * @module
 */

/**
 * The backpressure threshold of every built-in adapter: {@link Connection.write}
 * returns false once this many bytes are buffered (64 KiB).
 *
 * @example Writing a backlog until the transport pushes back
 * ```ts
 * import { type Connection, WRITE_HIGH_WATER } from "@cellnet/cellnet";
 * // Write queued chunks; stop at the first false and resume from onDrain.
 * function writeBacklog(conn: Connection, backlog: Uint8Array[]): void {
 *   while (backlog.length > 0) {
 *     if (!conn.write(backlog.shift()!)) break; // bufferedAmount >= WRITE_HIGH_WATER
 *   }
 * }
 * console.log(`write() returns false from ${WRITE_HIGH_WATER} buffered bytes`, writeBacklog);
 * ```
 */
export const WRITE_HIGH_WATER = 64 * 1024;

/** A network endpoint as the runtime reports it. */
export interface NetAddress {
  /** Host name or IP literal, e.g. `127.0.0.1` or `::1`. */
  readonly host: string;
  /** Port number; for a listener started on port 0, the port the OS chose. */
  readonly port: number;
}

/**
 * Receives everything a {@link Connection} reports. One object per
 * connection, set once with {@link Connection.setHandler}.
 */
export interface ConnectionHandler {
  /**
   * Bytes arrived. The chunk is only valid during the call: the transport may
   * reuse its memory afterwards, so copy what must outlive the call.
   */
  onData(chunk: Uint8Array): void;
  /**
   * After {@link Connection.write} returned false: everything written has
   * now been taken by the OS ({@link Connection.bufferedAmount} is 0), so
   * writing may resume. Called once however many writes returned false
   * meanwhile, and never without one.
   */
  onDrain(): void;
  /**
   * The connection is closed, for whatever reason. Called exactly once, and
   * nothing is called after it. `error` is undefined for an orderly end from
   * either side (a FIN from the peer, `close()` here); it is set when an
   * error caused the close: a `NetworkError` carrying the OS `code` for a
   * reset or other network failure, a `TimeoutError` when a graceful close
   * gave up, or whatever a handler method threw.
   */
  onClose(error?: Error): void;
}

/** One established, bidirectional connection. */
export interface Connection {
  /** Local endpoint. */
  readonly localAddress: NetAddress;
  /** Remote endpoint. */
  readonly remoteAddress: NetAddress;
  /** True for transports that deliver whole messages (WebSocket, UDP). */
  readonly messageOriented: boolean;
  /**
   * Bytes accepted by {@link Connection.write} that the OS has not taken yet,
   * wherever they wait: in the adapter or in the runtime (including a write
   * the runtime has in flight). Used to bound a session's memory; 0 once
   * closed.
   */
  readonly bufferedAmount: number;
  /**
   * Set the single handler. The transport delivers nothing before this, not
   * even bytes that already arrived (they are kept, in order) and calls
   * nothing inside it: delivery starts on a later microtask.
   */
  setHandler(handler: ConnectionHandler): void;
  /**
   * Queue bytes for sending, in order. The caller may reuse `data` as soon as
   * this returns (the transport copies what it cannot send at once).
   *
   * Returns false once {@link Connection.bufferedAmount} is at or above
   * {@link WRITE_HIGH_WATER} (64 KiB) after this write, the same on every
   * runtime: the bytes are still queued, but the caller should stop writing
   * until {@link ConnectionHandler.onDrain}, which follows when
   * `bufferedAmount` is back to 0. Nothing else limits what is queued, so a
   * caller that ignores false grows memory. Writes after close are ignored
   * and return false.
   */
  write(data: Uint8Array): boolean;
  /**
   * On a message-oriented connection: send several messages at once,
   * message `i` being `data[ends[i - 1] .. ends[i])` (the first from 0).
   * The same as one {@link Connection.write} per message, in order, and the
   * same return value, but the transport may hand them to the OS together
   * (WebSocket frames them side by side into one write). Sessions use it to
   * flush what a turn queued. Absent: callers write message by message.
   */
  writeMessages?(data: Uint8Array, ends: readonly number[]): boolean;
  /** Enable or disable Nagle's algorithm (TCP_NODELAY); a no-op where meaningless. */
  setNoDelay(noDelay: boolean): void;
  /**
   * Run `callback` once the runtime has delivered every I/O event that is
   * ready now. Sessions flush their queued frames there, so frames queued by
   * many sockets' events in one event-loop turn (a broadcast per inbound
   * message) leave in one write per connection, not one per event. Node and
   * Bun run microtasks between socket callbacks, so they use `setImmediate`;
   * absent, a microtask is used (right for Deno, whose reads resolve in
   * batches).
   */
  defer?(callback: () => void): void;
  /**
   * Close the connection. With `graceful` (the default), bytes already
   * written are flushed first, then the write side is ended (FIN) and the
   * connection closes when the peer ends too; a flush or a peer that makes no
   * progress for 2 s is cut off. Otherwise the socket is destroyed at once,
   * dropping unsent bytes. {@link ConnectionHandler.onClose} follows either
   * way, once.
   */
  close(graceful?: boolean): void;
  /**
   * Close gracefully with a close code, on a protocol whose close carries
   * one (WebSocket; codes as RFC 6455 §7.4.1 numbers them: 1001 going away,
   * 1007 invalid payload, 1009 too big...), and a short reason (at most 123
   * UTF-8 bytes). Byte streams have no such thing and leave it out; callers
   * then use `close(true)`. Sessions use it when a peer stops (1001) and when
   * a message breaks the processor's format (1007, 1009); `close(true)` on
   * such a connection means 1000 (normal).
   */
  closeWith?(code: number, reason?: string): void;
}

/** A listening socket. */
export interface Listener {
  /** The bound address; with port 0 requested, the real port. */
  readonly address: NetAddress;
  /** Stop accepting. Connections already accepted stay open. */
  close(): Promise<void>;
}

/** Options for {@link Transport.listen}. */
export interface ListenOptions {
  /** Host or IP to bind. */
  readonly host: string;
  /** Port to bind; 0 lets the OS choose. */
  readonly port: number;
  /** Path to serve, for protocols that have one (WebSocket); absent or `""` otherwise. */
  readonly path?: string;
  /**
   * Options for the protocol's own transport (the ws transport reads its
   * `WebSocketPeerOptions` here); byte-stream transports ignore them.
   */
  readonly protocolOptions?: object;
  /** Called once per accepted connection. Must not throw. */
  readonly onConnection: (conn: Connection) => void;
}

/** Options for {@link Transport.connect}. */
export interface ConnectOptions {
  /** Host or IP to dial. */
  readonly host: string;
  /** Port to dial. */
  readonly port: number;
  /** Path to request, for protocols that have one (WebSocket); absent or `""` otherwise. */
  readonly path?: string;
  /** The address's scheme (`ws`, `wss`, `http`), for URL-based transports; absent otherwise. */
  readonly scheme?: string;
  /**
   * Options for the protocol's own transport (the ws transport reads its
   * `WebSocketPeerOptions` here); byte-stream transports ignore them.
   */
  readonly protocolOptions?: object;
  /** Give up after this many milliseconds (0 or absent: the OS default). */
  readonly timeoutMs?: number;
}

/** Re-exported from `runtime.ts`, where detection lives. */
export type { RuntimeName } from "./runtime.ts";

/** A runtime's socket API behind the common interface. */
export interface Transport {
  /** Which adapter this is, e.g. `"node"`. */
  readonly name: string;
  /**
   * Bind and listen; resolves once bound. Rejects with `AddressInUseError`
   * (code `"EADDRINUSE"`) when the address is taken, `ListenError` (with the
   * OS `code`) for other failures.
   */
  listen(options: ListenOptions): Promise<Listener>;
  /**
   * Dial; resolves with an open connection. Rejects with `ConnectError`
   * (with the OS `code`, e.g. `"ECONNREFUSED"`) when the dial fails, and
   * `TimeoutError` when `timeoutMs` passes first.
   */
  connect(options: ConnectOptions): Promise<Connection>;
}
