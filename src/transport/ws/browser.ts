/**
 * A `ws` client transport on the web platform's global `WebSocket`: the
 * browser's (and also Deno's, Bun's, and Node's with
 * `--experimental-websocket`). Connect only; a browser cannot listen.
 *
 * Each received binary message is one `onData` call; each `write` is one
 * binary message. There is no drain event on `WebSocket`, so once a write
 * reports backpressure the transport watches `bufferedAmount` until it has
 * gone to the network, then calls `onDrain`. Text messages are not part of
 * gorillaws.ltv: one closes the connection (with 4003: a page may only send
 * 1000 and 3000..4999, so not 1003 as our server does) and reports a
 * `WebSocketProtocolError` with code 1003. For the same reason this
 * connection has no `closeWith`: every close it starts is 1000.
 *
 * @module
 */
import {
  ConnectError,
  NetworkError,
  RuntimeNotSupportedError,
  TimeoutError,
  WebSocketCloseError,
  WebSocketProtocolError,
} from "../../errors.ts";
import type {
  Connection,
  ConnectionHandler,
  ConnectOptions,
  Listener,
  NetAddress,
  Transport,
} from "../transport.ts";

/** `write()` reports backpressure once this much is buffered (the TCP adapters' value). */
const HIGH_WATER = 64 * 1024;
/** How often a backpressured connection looks at `bufferedAmount` again. */
const DRAIN_POLL_MS = 10;

// The members of the web platform's WebSocket this file uses.
interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string; wasClean: boolean }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}
type WebSocketCtor = new (url: string) => WebSocketLike;

function webSocketCtor(): WebSocketCtor {
  const ctor = (globalThis as unknown as { WebSocket?: WebSocketCtor }).WebSocket;
  if (typeof ctor !== "function") {
    throw new RuntimeNotSupportedError("the browser ws transport needs the global WebSocket");
  }
  return ctor;
}

/** The URL a connector dials: `ws://` for `ws`/`http`/none, `wss://` for `wss`/`https`. */
export function webSocketUrl(o: ConnectOptions): string {
  const secure = o.scheme === "wss" || o.scheme === "https";
  const host = o.host.includes(":") ? `[${o.host}]` : o.host;
  return `${secure ? "wss" : "ws"}://${host}:${o.port}${o.path || "/"}`;
}

/** One global `WebSocket` behind the {@link Connection} interface. */
class BrowserWebSocketConnection implements Connection {
  readonly localAddress: NetAddress = { host: "", port: 0 };
  readonly remoteAddress: NetAddress;
  readonly messageOriented = true;
  readonly #ws: WebSocketLike;
  #handler: ConnectionHandler | undefined;
  /** Messages that came before the handler was set. */
  #early: Uint8Array[] | undefined = [];
  #closed = false;
  #closeError: Error | undefined;
  #closeDelivered = false;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #pollDrain = () => this.#checkDrain();

  constructor(ws: WebSocketLike, remote: NetAddress) {
    this.#ws = ws;
    this.remoteAddress = remote;
    ws.onmessage = (ev) => this.#onMessage(ev.data);
    ws.onclose = (ev) => this.#onClose(ev.code, ev.reason);
    ws.onerror = () => {
      this.#closeError ??= new NetworkError(`websocket to ${remote.host}:${remote.port} failed`);
    };
  }

  get bufferedAmount(): number {
    return this.#closed ? 0 : this.#ws.bufferedAmount;
  }

  setHandler(handler: ConnectionHandler): void {
    const first = this.#handler === undefined;
    this.#handler = handler;
    if (!first) return;
    queueMicrotask(() => {
      const early = this.#early;
      this.#early = undefined;
      if (early) { for (const m of early) if (!this.#closeDelivered) handler.onData(m); }
      if (this.#closed) this.#deliverClose();
    });
  }

  write(data: Uint8Array): boolean {
    if (this.#closed) return false;
    // send() keeps what it is given; the caller may reuse `data`.
    this.#ws.send(data.slice());
    if (this.#ws.bufferedAmount < HIGH_WATER) return true;
    this.#drainTimer ??= setTimeout(this.#pollDrain, DRAIN_POLL_MS);
    return false;
  }

  setNoDelay(_noDelay: boolean): void {}

  close(graceful = true): void {
    if (this.#closed) return;
    // The browser always sends a close frame; 1000 either way, the reason says which.
    try {
      this.#ws.close(1000, graceful ? "" : "closed");
    } catch {
      // Already closing.
    }
    if (!graceful) this.#onClose(1000, "");
  }

  #onMessage(data: unknown): void {
    if (this.#closed) return;
    if (!(data instanceof ArrayBuffer)) {
      this.#closeError = new WebSocketProtocolError(
        1003,
        "websocket: text message: gorillaws.ltv carries binary messages only",
      );
      try {
        // 1003 itself is not a code a page may send (it throws).
        this.#ws.close(4003, "binary messages only");
      } catch {
        // Already closing.
      }
      this.#onClose(4003, "");
      return;
    }
    const bytes = new Uint8Array(data);
    if (this.#early) this.#early.push(bytes);
    else this.#handler?.onData(bytes);
  }

  #checkDrain(): void {
    this.#drainTimer = undefined;
    if (this.#closed) return;
    if (this.#ws.bufferedAmount > 0) {
      this.#drainTimer = setTimeout(this.#pollDrain, DRAIN_POLL_MS);
      return;
    }
    this.#handler?.onDrain();
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#drainTimer !== undefined) clearTimeout(this.#drainTimer);
    // As the RFC 6455 layer reports: 1000, 1001 and no code are clean; a
    // connection lost without a close frame (1006) is a network failure; any
    // other code is the remote side's error.
    if (this.#closeError === undefined && code !== 1000 && code !== 1001 && code !== 1005) {
      this.#closeError = code === 1006
        ? new NetworkError(
          `websocket to ${this.remoteAddress.host}:${this.remoteAddress.port} lost (1006)`,
        )
        : new WebSocketCloseError(code, reason);
    }
    if (this.#handler !== undefined && this.#early === undefined) this.#deliverClose();
  }

  #deliverClose(): void {
    if (this.#closeDelivered) return;
    this.#closeDelivered = true;
    this.#handler?.onClose(this.#closeError);
  }
}

function connect(options: ConnectOptions): Promise<Connection> {
  let Ctor: WebSocketCtor;
  try {
    Ctor = webSocketCtor();
  } catch (e) {
    return Promise.reject(e);
  }
  const url = webSocketUrl(options);
  return new Promise<Connection>((resolve, reject) => {
    let ws: WebSocketLike;
    try {
      ws = new Ctor(url);
    } catch (e) {
      reject(
        new ConnectError(`connect to ${url} failed: ${(e as Error)?.message ?? e}`, { cause: e }),
      );
      return;
    }
    ws.binaryType = "arraybuffer";
    const timeoutMs = options.timeoutMs ?? 0;
    const timer = timeoutMs > 0
      ? setTimeout(() => {
        settle();
        ws.close();
        reject(new TimeoutError(`connect to ${url} timed out after ${timeoutMs} ms`));
      }, timeoutMs)
      : undefined;
    const settle = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      ws.onopen = ws.onerror = ws.onclose = null;
    };
    ws.onopen = () => {
      settle();
      resolve(new BrowserWebSocketConnection(ws, { host: options.host, port: options.port }));
    };
    ws.onerror = () => {
      settle();
      reject(new ConnectError(`connect to ${url} failed`));
    };
    ws.onclose = (ev) => {
      settle();
      reject(new ConnectError(`connect to ${url} failed: closed with ${ev.code}`));
    };
  });
}

/**
 * The `ws` transport on the global `WebSocket` (connect only).
 *
 * @example Register it for a browser page
 * ```ts
 * import { browserWebSocketTransport, registerTransport } from "@cellnet/cellnet/browser";
 * registerTransport("ws", "browser", () => Promise.resolve(browserWebSocketTransport));
 * ```
 */
export const browserWebSocketTransport: Transport = {
  name: "browser-websocket",
  listen(): Promise<Listener> {
    return Promise.reject(new RuntimeNotSupportedError("the browser ws transport cannot listen"));
  },
  connect,
};
