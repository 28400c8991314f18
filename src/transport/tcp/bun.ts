/**
 * The {@link Transport} for Bun, on `Bun.listen` and `Bun.connect`.
 *
 * Bun's `socket.write()` buffers nothing: it returns how many bytes the
 * kernel accepted. This adapter keeps a copy of only the rest and writes it
 * from the `drain` callback; the shared {@link ConnectionCore} does the rest.
 * One set of socket callbacks serves every socket of a listener; each
 * socket's state lives in `socket.data`. Bun is reached through `globalThis`
 * with the few members declared below, so this file does not depend on Bun's
 * type declarations.
 *
 * @module
 */

import { RuntimeNotSupportedError } from "../../errors.ts";
import { ByteQueue } from "./_byte_queue.ts";
import { ConnectionCore, type SocketOps } from "./_connection_core.ts";
import {
  connectError,
  connectTimeout,
  formatAddress,
  listenError,
  networkError,
  reportLater,
} from "./_shared.ts";
import type {
  Connection,
  ConnectOptions,
  Listener,
  ListenOptions,
  Transport,
} from "../transport.ts";

// The parts of Bun's API this file uses, and nothing else.
interface BunSocket {
  data: BunSocketOps | undefined;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Bytes accepted (possibly fewer than given), or -1 once closed. */
  write(data: Uint8Array): number;
  /** Shut down the write side (FIN); reading continues. */
  shutdown(): void;
  /** Close the socket now; calls the close callback synchronously. */
  end(): void;
  pause(): void;
  resume(): void;
  setNoDelay(noDelay: boolean): boolean;
}
interface BunSocketHandler {
  readonly binaryType: "uint8array";
  open(socket: BunSocket): void;
  data(socket: BunSocket, chunk: Uint8Array): void;
  drain(socket: BunSocket): void;
  end(socket: BunSocket): void;
  close(socket: BunSocket, error?: Error): void;
  error(socket: BunSocket, error: Error): void;
  connectError(socket: BunSocket, error: Error): void;
}
interface BunTcpListener {
  readonly hostname: string;
  readonly port: number;
  stop(closeActiveConnections?: boolean): void;
}
interface BunSocketOptions {
  hostname: string;
  port: number;
  allowHalfOpen: boolean;
  socket: BunSocketHandler;
}
interface BunApi {
  readonly version: string;
  listen(options: BunSocketOptions): BunTcpListener;
  connect(options: BunSocketOptions): Promise<BunSocket>;
}

function bunApi(): BunApi {
  const bun = (globalThis as unknown as { Bun?: BunApi }).Bun;
  if (typeof bun?.version !== "string") {
    throw new RuntimeNotSupportedError("the bun transport needs the Bun runtime (globalThis.Bun)");
  }
  return bun;
}

/**
 * One Bun socket's operations for the {@link ConnectionCore} that callers
 * get. What the kernel does not take at once is copied into `#held` and
 * written from Bun's `drain` callback.
 */
class BunSocketOps implements SocketOps {
  readonly core: ConnectionCore;
  readonly flushesBeforeShutdown = false;
  readonly #socket: BunSocket;
  readonly #held = new ByteQueue();
  #closed = false;

  constructor(socket: BunSocket) {
    this.#socket = socket;
    this.core = new ConnectionCore(
      this,
      { host: socket.localAddress, port: socket.localPort },
      { host: socket.remoteAddress, port: socket.remotePort },
    );
    // Nothing may be delivered before setHandler: leave the data in the kernel.
    socket.pause();
  }

  get bufferedAmount(): number {
    return this.#held.length;
  }

  write(data: Uint8Array): void {
    const held = this.#held;
    if (this.#closed) return;
    if (held.length > 0) {
      // Order: new bytes go behind the held ones.
      held.push(data);
      return;
    }
    const written = this.#socket.write(data);
    // -1: the socket is closing; the close callback follows.
    if (written >= 0 && written < data.byteLength) held.push(data.subarray(written));
  }

  resume(): void {
    if (!this.#closed) this.#socket.resume();
  }

  shutdown(): void {
    if (!this.#closed) this.#socket.shutdown();
  }

  destroy(): void {
    this.#held.clear();
    // Closes at once and runs the close callback (onSocketClose) before returning.
    if (!this.#closed) this.#socket.end();
  }

  setNoDelay(noDelay: boolean): void {
    if (!this.#closed) this.#socket.setNoDelay(noDelay);
  }

  /** After this turn's I/O callbacks: microtasks run between them, which would split a turn's writes. */
  defer(callback: () => void): void {
    setImmediate(callback);
  }

  /** Bun `data` callback. */
  onSocketData(chunk: Uint8Array): void {
    this.core.data(chunk);
  }

  /** Bun `drain` callback: the kernel has room again. */
  onSocketDrain(): void {
    if (this.#closed) return;
    const held = this.#held;
    while (held.length > 0) {
      const pending = held.view();
      const written = this.#socket.write(pending);
      if (written <= 0) return;
      held.consume(written);
      // The kernel is full again; Bun calls drain once it has room.
      if (written < pending.length) return;
    }
    this.core.drained();
  }

  /** Bun `end` callback: the peer sent FIN. */
  onSocketEnd(): void {
    this.core.ended();
  }

  /** Bun `close` callback. */
  onSocketClose(error?: Error): void {
    this.#closed = true;
    this.#held.clear();
    this.core.closed(error === undefined ? undefined : networkError(error));
  }

  /** Bun `error` callback: a callback threw, or TLS failed; the close callback follows. */
  onSocketError(error: Error): void {
    this.core.error(networkError(error));
  }
}

/** Callbacks shared by every socket; per-socket state is `socket.data`. */
function socketHandler(onOpen: (socket: BunSocket) => void): BunSocketHandler {
  return {
    binaryType: "uint8array",
    open: onOpen,
    data: (socket, chunk) => socket.data?.onSocketData(chunk),
    drain: (socket) => socket.data?.onSocketDrain(),
    end: (socket) => socket.data?.onSocketEnd(),
    close: (socket, error) => socket.data?.onSocketClose(error),
    error: (socket, error) => socket.data?.onSocketError(error),
    // Declared so Bun treats the rejection of connect() as handled; we report it there.
    connectError: () => {},
  };
}

const clientHandler = socketHandler((socket) => {
  socket.data = new BunSocketOps(socket);
});

function listen(options: ListenOptions): Promise<Listener> {
  try {
    const bun = bunApi();
    const { host, port, onConnection } = options;
    let listener: BunTcpListener;
    try {
      listener = bun.listen({
        hostname: host,
        port,
        // Half-open is handled here, so held bytes are flushed before closing.
        allowHalfOpen: true,
        socket: socketHandler((socket) => {
          const ops = new BunSocketOps(socket);
          socket.data = ops;
          const conn = ops.core;
          try {
            onConnection(conn);
          } catch (err) {
            conn.close(false);
            reportLater(err);
          }
        }),
      });
    } catch (err) {
      throw listenError(formatAddress(host, port), err);
    }
    let closed = false;
    return Promise.resolve({
      address: { host: listener.hostname || host, port: listener.port },
      close(): Promise<void> {
        if (!closed) {
          closed = true;
          // false: accepted connections stay open.
          listener.stop(false);
        }
        return Promise.resolve();
      },
    });
  } catch (err) {
    return Promise.reject(err);
  }
}

function connect(options: ConnectOptions): Promise<Connection> {
  let bun: BunApi;
  try {
    bun = bunApi();
  } catch (err) {
    return Promise.reject(err);
  }
  const { host, port } = options;
  const timeoutMs = options.timeoutMs ?? 0;
  const where = formatAddress(host, port);
  return new Promise<Connection>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let dial: Promise<BunSocket>;
    try {
      dial = bun.connect({ hostname: host, port, allowHalfOpen: true, socket: clientHandler });
    } catch (err) {
      reject(connectError(where, err));
      return;
    }
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        settled = true;
        reject(connectTimeout(where, timeoutMs));
      }, timeoutMs);
    }
    dial.then(
      (socket) => {
        const conn = socket.data?.core;
        if (settled || conn === undefined) {
          // Bun cannot cancel a dial: close the late connection when it lands.
          if (conn !== undefined) conn.close(false);
          else socket.end();
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve(conn);
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(connectError(where, err));
      },
    );
  });
}

/**
 * The Bun transport: TCP through `Bun.listen` and `Bun.connect`, with
 * half-open connections disabled (a peer's FIN closes the connection once
 * pending writes flush).
 */
export const bunTransport: Transport = {
  name: "bun",
  listen,
  connect,
};
