/**
 * The {@link Transport} for Node.js, on `node:net`.
 *
 * Node queues writes without limit; the shared {@link ConnectionCore} pushes
 * back at {@link WRITE_HIGH_WATER} of `socket.writableLength`, and Node's
 * `'drain'` (or a write callback, where Node's own mark is higher) tells it
 * the queue is empty. Incoming data is left in the socket's readable buffer
 * (which pauses the kernel read once full) until the core starts reading.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import * as net from "node:net";
import { RuntimeNotSupportedError } from "../../errors.ts";
import { ConnectionCore, type SocketOps } from "./_connection_core.ts";
import {
  connectError,
  connectTimeout,
  formatAddress,
  listenError,
  networkError,
  reportLater,
} from "./_shared.ts";
import {
  type Connection,
  type ConnectOptions,
  type Listener,
  type ListenOptions,
  type NetAddress,
  type Transport,
  WRITE_HIGH_WATER,
} from "../transport.ts";

function requireNode(): void {
  if (typeof globalThis.process?.versions?.node !== "string") {
    throw new RuntimeNotSupportedError(
      "the node transport needs node:net (Node.js, or a runtime with Node compatibility)",
    );
  }
}

/** One `net.Socket`'s operations for the {@link ConnectionCore} that callers get. */
class NodeSocket implements SocketOps {
  readonly core: ConnectionCore;
  /** `socket.end()` sends FIN after the queue, and half-open is off. */
  readonly flushesBeforeShutdown = true;
  readonly #socket: net.Socket;
  #reading = false;
  // Bound once: the hot path passes them without allocating.
  readonly #onData = (chunk: Buffer): void => {
    // A plain Uint8Array view of the same bytes: the receive path makes
    // subarrays of it (strings, split frames), and Buffer#subarray builds a
    // Buffer through JS each time, several times the cost of a native view.
    this.core.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  };
  readonly #afterWrite = (): void => {
    if (this.#socket.writableLength === 0) this.core.drained();
  };

  constructor(socket: net.Socket) {
    this.#socket = socket;
    // Captured now: Node clears these once the socket is destroyed.
    this.core = new ConnectionCore(
      this,
      { host: socket.localAddress ?? "", port: socket.localPort ?? 0 },
      { host: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
    );
    // An 'error' without a listener would crash the process; 'close' always
    // follows it.
    socket.on("error", (err: Error) => this.core.error(networkError(err)));
    socket.on("close", () => this.core.closed());
    socket.on("drain", () => this.core.drained());
    socket.on("end", () => this.core.ended());
  }

  get bufferedAmount(): number {
    return this.#socket.destroyed ? 0 : this.#socket.writableLength;
  }

  write(data: Uint8Array): void {
    const socket = this.#socket;
    if (socket.destroyed || socket.writableEnded) return;
    // Node keeps a reference to what it is given, and the caller may reuse
    // `data` once we return: hand Node its own copy (Buffer.from copies a
    // Uint8Array, using Node's pool for small ones).
    const copy = Buffer.from(data);
    // Node emits 'drain' only after a write it refused itself (at its own
    // high-water mark, 16 KiB on Node 20). When this write takes the buffer
    // to the core's mark but not to Node's, no 'drain' would come: ask for
    // the write's callback instead.
    const after = socket.writableLength + copy.length;
    if (after >= WRITE_HIGH_WATER && after < socket.writableHighWaterMark) {
      socket.write(copy, this.#afterWrite);
    } else {
      socket.write(copy);
    }
  }

  resume(): void {
    if (this.#reading) return;
    this.#reading = true;
    // Attaching 'data' switches the stream to flowing mode on the next tick;
    // what Node read earlier is delivered then, in order.
    this.#socket.on("data", this.#onData);
  }

  shutdown(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  setNoDelay(noDelay: boolean): void {
    if (!this.#socket.destroyed) this.#socket.setNoDelay(noDelay);
  }

  /** After this turn's I/O callbacks: microtasks run between them, which would split a turn's writes. */
  defer(callback: () => void): void {
    setImmediate(callback);
  }
}

async function listen(options: ListenOptions): Promise<Listener> {
  requireNode();
  const { host, port, onConnection } = options;
  const server = net.createServer({ allowHalfOpen: false });
  server.on("connection", (socket: net.Socket) => {
    const conn = new NodeSocket(socket).core;
    try {
      onConnection(conn);
    } catch (err) {
      conn.close(false);
      reportLater(err);
    }
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: unknown): void => {
      server.off("listening", onListening);
      reject(listenError(formatAddress(host, port), err));
    };
    const onListening = (): void => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    try {
      server.listen({ host, port });
    } catch (err) {
      // Invalid options (a port out of range) throw instead of emitting 'error'.
      server.off("error", onError);
      onError(err);
    }
  });
  // Later server errors are failed accepts (EMFILE and the like): the server
  // keeps listening and the interface has no one to tell, but an unhandled
  // 'error' would take the whole process down.
  server.on("error", () => {});
  const bound = server.address();
  const address: NetAddress = bound !== null && typeof bound === "object"
    ? { host: bound.address, port: bound.port }
    : { host, port };
  let closed = false;
  return {
    address,
    close(): Promise<void> {
      if (!closed) {
        closed = true;
        // Closes the listening handle now; accepted sockets are untouched.
        server.close();
      }
      return Promise.resolve();
    },
  };
}

function connect(options: ConnectOptions): Promise<Connection> {
  try {
    requireNode();
  } catch (err) {
    return Promise.reject(err);
  }
  const { host, port } = options;
  const timeoutMs = options.timeoutMs ?? 0;
  const where = formatAddress(host, port);
  return new Promise<Connection>((resolve, reject) => {
    let socket: net.Socket;
    try {
      socket = net.connect({ host, port, allowHalfOpen: false });
    } catch (err) {
      // Invalid options (a port out of range) throw instead of emitting 'error'.
      reject(connectError(where, err));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (): void => {
      socket.off("connect", onConnect);
      socket.off("error", onError);
      if (timer !== undefined) clearTimeout(timer);
    };
    const onConnect = (): void => {
      settle();
      // The connection attaches its own 'error' listener before we return.
      resolve(new NodeSocket(socket).core);
    };
    const onError = (err: Error): void => {
      settle();
      socket.destroy();
      reject(connectError(where, err));
    };
    socket.once("connect", onConnect);
    socket.once("error", onError);
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        settle();
        // A destroyed socket emits no more 'error', but keep a listener in
        // case one was already queued.
        socket.on("error", () => {});
        socket.destroy();
        reject(connectTimeout(where, timeoutMs));
      }, timeoutMs);
    }
  });
}

/**
 * The Node.js transport: TCP through `node:net`, with half-open connections
 * disabled (a peer's FIN closes the connection once pending writes flush).
 */
export const nodeTransport: Transport = {
  name: "node",
  listen,
  connect,
};
