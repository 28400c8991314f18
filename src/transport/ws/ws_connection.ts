/**
 * A WebSocket (RFC 6455) connection over any byte-stream {@link Connection},
 * itself a message-oriented {@link Connection}: each
 * {@link ConnectionHandler.onData} call is one whole binary message, each
 * {@link WSConnection.write} sends one.
 *
 * @module
 */

import { TimeoutError, WebSocketCloseError, WebSocketProtocolError } from "../../errors.ts";
import type { Connection, ConnectionHandler, NetAddress } from "../transport.ts";
import { FrameParser, type FrameSink } from "./_frame_parser.ts";
import { closePayload, FrameWriter } from "./_frame_writer.ts";
import type { HttpHeaders } from "./_http.ts";
import {
  CloseCode,
  isValidCloseCode,
  MAX_CLOSE_REASON,
  MAX_CONTROL_PAYLOAD,
  Opcode,
} from "./_protocol.ts";

/** Default {@link WSConnectionOptions.maxPacketSize}: 1 MiB. */
export const DEFAULT_WS_MAX_PACKET_SIZE = 1024 * 1024;
/** Default {@link WSConnectionOptions.maxFragments}. */
export const DEFAULT_WS_MAX_FRAGMENTS = 1024;
/** Default {@link WSConnectionOptions.closeTimeoutMs}. */
export const DEFAULT_WS_CLOSE_TIMEOUT_MS = 2000;

/** The upgrade request a server-side {@link WSConnection} was made from. */
export interface WSRequestInfo {
  /** The request target as sent, e.g. "/echo?token=1". */
  readonly url: string;
  /** Its path, e.g. "/echo". */
  readonly path: string;
  /** Its query without "?", "" when none. */
  readonly query: string;
  /** Header fields by lower-cased name; repeated fields joined with ", ". */
  readonly headers: HttpHeaders;
  /** The client's address. */
  readonly remoteAddress: NetAddress;
}

/** Options of a {@link WSConnection}. */
export interface WSConnectionOptions {
  /** "server" expects masked frames and sends unmasked ones; "client" the reverse. */
  readonly role: "server" | "client";
  /** Largest message accepted, fragments together; over it the peer gets 1009. Default 1 MiB. */
  readonly maxPacketSize?: number;
  /** Most frames one message may come in; over it the peer gets close 1008. Default 1024. */
  readonly maxFragments?: number;
  /**
   * Text messages: "refuse" (default) closes with 1003 at the first text
   * frame; "deliver" hands their UTF-8 bytes to onData like binary messages
   * (check {@link WSConnection.lastMessageIsText}), closing with 1007 on invalid UTF-8.
   */
  readonly text?: "refuse" | "deliver";
  /** How long a graceful close waits for the peer's close frame before ending TCP. Default 2 s. */
  readonly closeTimeoutMs?: number;
  /**
   * Close with 1008 (onClose gets a `TimeoutError`) when part of a frame,
   * or of a fragmented message, has arrived and nothing more for this many
   * ms: a peer holding the socket with a trickle is cut off. Default 0:
   * never (gorillaws peers pass their `frameTimeoutMs`, 30 s by default).
   */
  readonly frameTimeoutMs?: number;
  /** Server side: the upgrade request, kept as {@link WSConnection.request}. */
  readonly request?: WSRequestInfo;
  /** Client side: the 101 response's fields, kept as {@link WSConnection.responseHeaders}. */
  readonly responseHeaders?: HttpHeaders;
  /** Bytes of the WebSocket stream already read from `conn` (what followed the handshake head). */
  readonly head?: Uint8Array;
  /** Called with each pong's payload. */
  readonly onPong?: (payload: Uint8Array) => void;
  /**
   * How this connection starts receiving `conn`'s events; default
   * `conn.setHandler(handler)`. For a caller whose own handler already sits on
   * `conn` (a handshake in progress) and forwards from now on.
   */
  readonly attach?: (handler: ConnectionHandler) => void;
}

const OPEN = 0;
const CLOSING = 1;
const CLOSED = 2;
/** Bytes held for a handler not yet set, beyond maxPacketSize, before the peer is cut off. */
const PENDING_SLACK = 64 * 1024;
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

export type { HttpHeaders };
export { CloseCode };

/**
 * A WebSocket connection over a byte-stream connection whose handshake is
 * done. Made by `acceptWebSocket` and `connectWebSocket`; usable directly
 * after a handshake done elsewhere.
 *
 * Pings are answered with pongs; a peer's close frame is answered with one
 * echoing its code, then TCP is closed. Protocol violations close with the
 * RFC 6455 code (1002, 1003, 1007, 1008, 1009) and onClose gets a
 * {@link WebSocketProtocolError}; a peer closing with an error code gives a
 * {@link WebSocketCloseError}; a clean close gives no error.
 *
 * @example Echo every message back
 * ```ts
 * import { acceptWebSocket, loadTransport } from "@cellnet/cellnet";
 *
 * const transport = await loadTransport();
 * await transport.listen({
 *   host: "127.0.0.1",
 *   port: 0,
 *   onConnection: async (conn) => {
 *     const ws = await acceptWebSocket(conn, { path: "/echo" }).catch(() => undefined);
 *     ws?.setHandler({
 *       onData: (message) => ws.write(message),
 *       onDrain: () => {},
 *       onClose: (error) => console.log("closed", ws.closeCodeReceived, error?.message),
 *     });
 *   },
 * });
 * ```
 */
export class WSConnection implements Connection {
  /** Always true: one onData call is one whole message. */
  readonly messageOriented = true;
  /** Server side: the upgrade request. */
  readonly request: WSRequestInfo | undefined;
  /** Client side: the header fields of the server's 101 response. */
  readonly responseHeaders: HttpHeaders | undefined;

  readonly #conn: Connection;
  readonly #parser: FrameParser;
  readonly #writer: FrameWriter;
  readonly #closeTimeoutMs: number;
  readonly #maxPending: number;
  readonly #onPong: ((payload: Uint8Array) => void) | undefined;
  #handler: ConnectionHandler | undefined;
  #state = OPEN;
  #error: Error | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Chunks that came before setHandler (and the handshake's leftover), copied. */
  #pending: Uint8Array[] | undefined;
  #pendingBytes = 0;
  #underlyingClosed = false;
  #closeDelivered = false;
  #lastText = false;
  #codeSent: number | undefined;
  #codeReceived: number | undefined;
  #reasonReceived: string | undefined;
  readonly #frameTimeoutMs: number;
  #frameTimer: ReturnType<typeof setTimeout> | undefined;
  #lastData = 0;
  /** Made the first time a frame is left part way (an idle connection has none). */
  #frameTask: (() => void) | undefined;

  /** Wrap `conn`, whose handshake is complete; see {@link WSConnectionOptions}. */
  constructor(conn: Connection, options: WSConnectionOptions) {
    this.#conn = conn;
    this.request = options.request;
    this.responseHeaders = options.responseHeaders;
    const maxPacketSize = options.maxPacketSize ?? DEFAULT_WS_MAX_PACKET_SIZE;
    this.#maxPending = maxPacketSize + PENDING_SLACK;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_WS_CLOSE_TIMEOUT_MS;
    this.#frameTimeoutMs = options.frameTimeoutMs ?? 0;
    this.#onPong = options.onPong;
    // One object hears both the parser and the byte connection (no closures
    // per connection: an idle WebSocket should cost little more than TCP).
    const events = new WSConnection.#Events(this);
    this.#parser = new FrameParser(events, {
      role: options.role,
      maxPacketSize,
      maxFragments: options.maxFragments ?? DEFAULT_WS_MAX_FRAGMENTS,
      allowText: options.text === "deliver",
    });
    this.#writer = new FrameWriter(options.role);
    if (options.head !== undefined && options.head.length > 0) {
      this.#pending = [options.head];
      this.#pendingBytes = options.head.length;
    } else {
      this.#pending = [];
    }
    if (options.attach !== undefined) options.attach(events);
    else conn.setHandler(events);
  }

  /** The parser's sink and the byte connection's handler, forwarding to a WSConnection. */
  static readonly #Events = class implements FrameSink, ConnectionHandler {
    readonly ws: WSConnection;
    constructor(ws: WSConnection) {
      this.ws = ws;
    }
    onMessage(data: Uint8Array, text: boolean): void {
      this.ws.#onMessage(data, text);
    }
    onPing(payload: Uint8Array): void {
      this.ws.#onPing(payload);
    }
    onPong(payload: Uint8Array): void {
      this.ws.#onPong?.(payload);
    }
    onCloseFrame(code: number, reason: string): void {
      this.ws.#onCloseFrame(code, reason);
    }
    onProtocolError(code: number, reason: string): void {
      this.ws.#onProtocolError(code, reason);
    }
    onData(chunk: Uint8Array): void {
      this.ws.#onData(chunk);
    }
    onDrain(): void {
      const ws = this.ws;
      if (ws.#state === OPEN && ws.#pending === undefined) ws.#handler?.onDrain();
    }
    onClose(error?: Error): void {
      this.ws.#onUnderlyingClose(error);
    }
  };

  /** Local endpoint of the underlying connection. */
  get localAddress(): NetAddress {
    return this.#conn.localAddress;
  }

  /** Remote endpoint of the underlying connection. */
  get remoteAddress(): NetAddress {
    return this.#conn.remoteAddress;
  }

  /** Bytes written but not yet taken by the OS (the underlying connection's). */
  get bufferedAmount(): number {
    return this.#conn.bufferedAmount;
  }

  /** During onData: whether this message came as text (only with `text: "deliver"`). */
  get lastMessageIsText(): boolean {
    return this.#lastText;
  }

  /** The code of the peer's close frame (1005 if it had none); undefined if none came. */
  get closeCodeReceived(): number | undefined {
    return this.#codeReceived;
  }

  /** The reason of the peer's close frame; undefined if none came. */
  get closeReasonReceived(): string | undefined {
    return this.#reasonReceived;
  }

  /** The code of the close frame this side sent (1005: one without a code); undefined if none. */
  get closeCodeSent(): number | undefined {
    return this.#codeSent;
  }

  /** Set the single handler; messages received before it are delivered on a microtask. */
  setHandler(handler: ConnectionHandler): void {
    const first = this.#handler === undefined;
    this.#handler = handler;
    if (first) queueMicrotask(() => this.#drainPending());
  }

  /** Send `data` as one binary message. Returns false when backpressured (wait for onDrain). */
  write(data: Uint8Array): boolean {
    if (this.#state !== OPEN) return false;
    return this.#writer.write(this.#conn, Opcode.binary, data);
  }

  /**
   * Send several binary messages at once (message `i` is
   * `data[ends[i - 1] .. ends[i])`): the frames leave side by side in one
   * write to the byte connection, where `write` per message would make one
   * each. Returns false when backpressured (wait for onDrain).
   */
  writeMessages(data: Uint8Array, ends: readonly number[]): boolean {
    if (this.#state !== OPEN) return false;
    return this.#writer.writeMany(this.#conn, Opcode.binary, data, ends);
  }

  /**
   * Send a ping (at most 125 bytes of payload); the peer's pong goes to
   * `options.onPong`. Returns false when backpressured or closing.
   *
   * @throws {RangeError} for a payload over 125 bytes.
   */
  ping(payload: Uint8Array = EMPTY): boolean {
    if (payload.length > MAX_CONTROL_PAYLOAD) {
      throw new RangeError(`ping payload of ${payload.length} bytes is over 125`);
    }
    if (this.#state !== OPEN) return false;
    return this.#writer.write(this.#conn, Opcode.ping, payload);
  }

  /** Enable or disable Nagle's algorithm on the underlying connection. */
  setNoDelay(noDelay: boolean): void {
    this.#conn.setNoDelay(noDelay);
  }

  /** The underlying connection's deferral (see {@link Connection.defer}). */
  defer(callback: () => void): void {
    if (this.#conn.defer !== undefined) this.#conn.defer(callback);
    else queueMicrotask(callback);
  }

  /**
   * Close. Graceful (the default): send close 1000, wait (at most
   * `closeTimeoutMs`) for the peer's close frame, then end TCP. Otherwise
   * destroy the socket at once. onClose follows either way.
   */
  close(graceful = true): void {
    if (!graceful) {
      if (this.#state === CLOSED) return;
      this.#state = CLOSED;
      this.#parser.stop();
      this.#conn.close(false);
      return;
    }
    this.closeWith(CloseCode.normal);
  }

  /**
   * Start the closing handshake with `code` and `reason` (e.g. 1001 when a
   * server stops); like {@link WSConnection.close}, nothing more is
   * delivered to onData. A no-op once closing.
   *
   * @throws {RangeError} for a code a close frame may not carry or a reason over 123 UTF-8 bytes.
   */
  closeWith(code: number, reason = ""): void {
    if (!isValidCloseCode(code)) {
      throw new RangeError(`${code} is not a close code that may be sent`);
    }
    if (encoder.encode(reason).length > MAX_CLOSE_REASON) {
      throw new RangeError("close reason is over 123 UTF-8 bytes");
    }
    if (this.#state !== OPEN) return;
    this.#state = CLOSING;
    this.#sendClose(code, reason);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#conn.close(true);
    }, this.#closeTimeoutMs);
  }

  #sendClose(code: number, reason: string): void {
    if (this.#codeSent !== undefined) return;
    this.#codeSent = code;
    this.#writer.write(this.#conn, Opcode.close, closePayload(code, reason));
  }

  #onData(chunk: Uint8Array): void {
    if (this.#state === CLOSED) return;
    const pending = this.#pending;
    if (pending === undefined) {
      this.#parser.push(chunk);
      this.#watchFrame();
      return;
    }
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes > this.#maxPending) {
      this.#pending = [];
      this.#onProtocolError(CloseCode.messageTooBig, "too much data before the handler was set");
      return;
    }
    pending.push(chunk.slice());
  }

  #drainPending(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    this.#pendingBytes = 0;
    if (pending !== undefined) {
      try {
        for (const chunk of pending) {
          if (this.#state === CLOSED) break;
          this.#parser.push(chunk);
        }
        this.#watchFrame();
      } catch (err) {
        // A throwing handler closes its connection, as the byte transports do.
        this.#error ??= err instanceof Error ? err : new Error(String(err));
        this.close(false);
      }
    }
    if (this.#underlyingClosed) this.#deliverClose();
  }

  #onMessage(data: Uint8Array, text: boolean): void {
    // After close() the application gets nothing more (as with the byte transports).
    if (this.#state !== OPEN) return;
    this.#lastText = text;
    this.#handler!.onData(data);
  }

  #onPing(payload: Uint8Array): void {
    if (this.#state === OPEN) this.#writer.write(this.#conn, Opcode.pong, payload);
  }

  #onCloseFrame(code: number, reason: string): void {
    this.#codeReceived = code;
    this.#reasonReceived = reason;
    if (this.#state === OPEN) {
      this.#state = CLOSING;
      if (
        code !== CloseCode.normal && code !== CloseCode.goingAway && code !== CloseCode.noStatus
      ) {
        this.#error ??= new WebSocketCloseError(code, reason);
      }
    }
    // Echo the code only, as gorilla does (RFC 6455 §5.5.1); 1005 echoes an empty close.
    this.#sendClose(code, "");
    this.#endTcp();
  }

  /** Bytes went to the parser: watch a frame left part way (frameTimeoutMs). */
  #watchFrame(): void {
    const ms = this.#frameTimeoutMs;
    if (ms <= 0) return;
    this.#lastData = Date.now();
    if (this.#frameTimer === undefined && this.#state === OPEN && this.#parser.midMessage) {
      this.#frameTimer = setTimeout(this.#frameTask ??= () => this.#checkFrame(), ms);
    }
  }

  #checkFrame(): void {
    this.#frameTimer = undefined;
    if (this.#state !== OPEN || !this.#parser.midMessage) return;
    const ms = this.#frameTimeoutMs;
    const idle = Date.now() - this.#lastData;
    if (idle < ms) {
      this.#frameTimer = setTimeout(this.#frameTask!, ms - idle);
      return;
    }
    this.#onProtocolError(
      CloseCode.policyViolation,
      "frame timeout",
      new TimeoutError(
        `websocket: incomplete frame, nothing more for ${idle} ms (frameTimeoutMs ${ms})`,
      ),
    );
  }

  #onProtocolError(code: number, reason: string, error?: Error): void {
    if (this.#state === CLOSED) return;
    this.#error ??= error ?? new WebSocketProtocolError(code, `websocket: ${reason}`);
    this.#state = CLOSING;
    this.#parser.stop();
    this.#sendClose(code, reason);
    this.#endTcp();
  }

  /** The closing handshake is over (or failed): flush and end TCP. */
  #endTcp(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#conn.close(true);
  }

  #onUnderlyingClose(error: Error | undefined): void {
    this.#state = CLOSED;
    this.#underlyingClosed = true;
    this.#parser.stop();
    if (this.#frameTimer !== undefined) clearTimeout(this.#frameTimer);
    this.#frameTimer = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (error !== undefined) this.#error ??= error;
    if (this.#pending === undefined) this.#deliverClose();
  }

  #deliverClose(): void {
    const handler = this.#handler;
    if (this.#closeDelivered || handler === undefined) return;
    this.#closeDelivered = true;
    try {
      handler.onClose(this.#error);
    } catch (err) {
      // Like an uncaught exception in an event listener, without throwing into the socket callback.
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}
