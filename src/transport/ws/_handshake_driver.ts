/**
 * What the server and client handshakes share: they sit on a fresh byte
 * connection as its one handler, read an HTTP head with limits, settle a
 * promise once (success, failure or timeout), and after success forward the
 * connection's events to the {@link WSConnection} they made.
 *
 * @module
 */

import { TimeoutError, WebSocketHandshakeError } from "../../errors.ts";
import type { Connection, ConnectionHandler } from "../transport.ts";
import { type HttpHeadBytes, type HttpHeadLimits, HttpHeadReader } from "./_http.ts";
import {
  DEFAULT_WS_MAX_PACKET_SIZE,
  WSConnection,
  type WSConnectionOptions,
} from "./ws_connection.ts";

/** Default handshake timeout. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Bytes kept after the head while the handshake finishes, beyond maxPacketSize. */
const REST_SLACK = 64 * 1024;

/** The options both handshakes take besides their own. */
export interface HandshakeOptions
  extends
    HttpHeadLimits,
    Omit<WSConnectionOptions, "role" | "request" | "responseHeaders" | "head" | "attach"> {
  /** Give up (destroy the connection) when the handshake is not done by then. Default 10 s. */
  readonly handshakeTimeoutMs?: number;
}

/** One handshake on one connection; subclasses read the head and decide. */
export abstract class HandshakeDriver<R> implements ConnectionHandler {
  readonly promise: Promise<R>;
  protected readonly conn: Connection;
  protected readonly options: HandshakeOptions;
  #resolve: ((value: R) => void) | undefined;
  #reject: ((error: Error) => void) | undefined;
  #settled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Reads the head; dropped once it is read (a WebSocket may live for hours). */
  #reader: HttpHeadReader | undefined;
  /** Bytes after the head, kept for the WebSocket stream (undefined: discard them). */
  #rest: Uint8Array[] | undefined;
  #restBytes = 0;
  /** The head is read; later bytes go to #rest (or to #target). */
  #headDone = false;
  /** The WSConnection's handler, once made. */
  #target: ConnectionHandler | undefined;

  constructor(conn: Connection, options: HandshakeOptions) {
    this.conn = conn;
    this.options = options;
    this.#reader = new HttpHeadReader(options);
    this.promise = new Promise<R>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const ms = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.fail(new TimeoutError(`websocket handshake not done after ${ms} ms`));
    }, ms);
  }

  /** Become the connection's handler: reading starts. */
  start(): Promise<R> {
    this.conn.setHandler(this);
    return this.promise;
  }

  /** A complete head arrived (rest already kept). */
  protected abstract onHead(head: HttpHeadBytes): void;

  onData(chunk: Uint8Array): void {
    if (this.#target !== undefined) return this.#target.onData(chunk);
    if (this.#settled) return;
    if (this.#headDone) return this.#keep(chunk);
    let head: HttpHeadBytes | undefined;
    try {
      head = this.#reader!.push(chunk);
    } catch (err) {
      return this.onHeadError(err as WebSocketHandshakeError);
    }
    if (head === undefined) return;
    this.#headDone = true;
    this.#reader = undefined;
    this.#rest = [];
    this.#keep(head.rest);
    this.onHead(head);
  }

  onDrain(): void {
    this.#target?.onDrain();
  }

  onClose(error?: Error): void {
    if (this.#target !== undefined) return this.#target.onClose(error);
    this.fail(
      new WebSocketHandshakeError("connection closed during the websocket handshake", undefined, {
        cause: error,
      }),
      false,
    );
  }

  /** The head broke a limit or the syntax. */
  protected abstract onHeadError(error: WebSocketHandshakeError): void;

  /** Whether the outcome is decided (a late async step must then do nothing). */
  protected get settled(): boolean {
    return this.#settled;
  }

  /** Stop keeping bytes after the head (a plain HTTP request's body is not needed). */
  protected discardRest(): void {
    this.#rest = undefined;
  }

  /** Success: make the WSConnection on this connection, with the bytes after the head. */
  protected succeed(options: WSConnectionOptions): WSConnection {
    const rest = this.#rest ?? [];
    const o = this.options;
    const ws = new WSConnection(this.conn, {
      maxPacketSize: o.maxPacketSize,
      maxFragments: o.maxFragments,
      text: o.text,
      closeTimeoutMs: o.closeTimeoutMs,
      frameTimeoutMs: o.frameTimeoutMs,
      onPong: o.onPong,
      ...options,
      head: concat(rest, this.#restBytes),
      attach: (handler) => {
        this.#target = handler;
      },
    });
    this.#rest = undefined;
    this.settle(ws as R);
    return ws;
  }

  /** Settle with `value` (no WSConnection). */
  protected settle(value: R): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#clearTimer();
    const resolve = this.#resolve!;
    this.#resolve = this.#reject = undefined;
    resolve(value);
  }

  /** Settle with `error`; `destroy` the connection (false: it is closed already or closing). */
  protected fail(error: Error, destroy = true): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#clearTimer();
    this.#reader = undefined;
    if (destroy) this.conn.close(false);
    const reject = this.#reject!;
    this.#resolve = this.#reject = undefined;
    reject(error);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #keep(bytes: Uint8Array): void {
    const rest = this.#rest;
    if (rest === undefined || bytes.length === 0) return;
    this.#restBytes += bytes.length;
    const max = (this.options.maxPacketSize ?? DEFAULT_WS_MAX_PACKET_SIZE) + REST_SLACK;
    if (this.#restBytes > max) {
      this.fail(
        new WebSocketHandshakeError(`over ${max} bytes arrived before the handshake finished`),
      );
      return;
    }
    rest.push(bytes.slice());
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
