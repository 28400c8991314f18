/**
 * The {@link Transport} for Node.js, on `node:net`.
 *
 * Node queues writes without limit, so backpressure is Node's own signal:
 * `socket.write()` returning false and the `'drain'` event. Incoming data is
 * left in the socket's readable buffer (which pauses the kernel read once
 * full) until {@link Connection.setHandler} attaches the `'data'` listener.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import * as net from "node:net";
import { CellnetError, ConnectError, RuntimeNotSupportedError, TimeoutError } from "../../errors.ts";
import { CLOSED, CLOSING, formatAddress, Linger, OPEN, reportLater, type State, toError } from "./_shared.ts";
import type {
  ConnectOptions,
  Connection,
  ConnectionHandler,
  ListenOptions,
  Listener,
  NetAddress,
  Transport,
} from "../transport.ts";

/** A readable reason even for errors with an empty message (AggregateError). */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return err.message || (typeof code === "string" ? code : err.name);
  }
  return String(err);
}

function requireNode(): void {
  if (typeof globalThis.process?.versions?.node !== "string") {
    throw new RuntimeNotSupportedError(
      "the node transport needs node:net (Node.js, or a runtime with Node compatibility)",
    );
  }
}

/** One `net.Socket` behind the {@link Connection} interface. */
class NodeConnection implements Connection {
  readonly localAddress: NetAddress;
  readonly remoteAddress: NetAddress;
  readonly messageOriented = false;

  readonly #socket: net.Socket;
  #handler: ConnectionHandler | undefined;
  #state: State = OPEN;
  #error: Error | undefined;
  /** The socket has emitted 'close'; onClose is owed to the handler. */
  #socketClosed = false;
  #closeDelivered = false;
  /** A 'drain' came before there was a handler to tell. */
  #drainOwed = false;
  #reading = false;
  #linger: Linger | undefined;

  constructor(socket: net.Socket) {
    this.#socket = socket;
    // Captured now: Node clears these once the socket is destroyed.
    this.localAddress = { host: socket.localAddress ?? "", port: socket.localPort ?? 0 };
    this.remoteAddress = { host: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
    // An 'error' without a listener would crash the process; 'close' always
    // follows it, and reports it.
    socket.on("error", (err: Error) => {
      this.#error ??= err;
    });
    socket.on("close", () => this.#onSocketClose());
    socket.on("drain", () => this.#onSocketDrain());
    // allowHalfOpen is off, so Node answers the peer's FIN by ending our
    // side once the queue is flushed; like close(), that may wait on the peer.
    socket.on("end", () => {
      if (this.#state === OPEN) this.#state = CLOSING;
      this.#armLinger(this.bufferedAmount);
    });
  }

  get bufferedAmount(): number {
    return this.#socket.destroyed ? 0 : this.#socket.writableLength;
  }

  setHandler(handler: ConnectionHandler): void {
    const first = this.#handler === undefined;
    this.#handler = handler;
    if (!first) return;
    if (this.#socketClosed) {
      queueMicrotask(() => this.#deliverClose());
      return;
    }
    // Attaching 'data' switches the stream to flowing mode on the next tick,
    // so what arrived earlier is delivered now, in order, not lost.
    this.#startReading();
    if (this.#drainOwed) {
      this.#drainOwed = false;
      queueMicrotask(() => this.#onSocketDrain());
    }
  }

  write(data: Uint8Array): boolean {
    const socket = this.#socket;
    if (this.#state !== OPEN || socket.destroyed || socket.writableEnded) return false;
    // Node keeps a reference to what it is given, and the caller may reuse
    // `data` once we return: hand Node its own copy (Buffer.from copies a
    // Uint8Array, using Node's pool for small ones).
    return socket.write(Buffer.from(data));
  }

  setNoDelay(noDelay: boolean): void {
    if (!this.#socket.destroyed) this.#socket.setNoDelay(noDelay);
  }

  /** After this turn's I/O callbacks: microtasks run between them, which would split a turn's writes. */
  defer(callback: () => void): void {
    setImmediate(callback);
  }

  close(graceful = true): void {
    if (this.#state === CLOSED) return;
    const socket = this.#socket;
    if (!graceful) {
      this.#state = CLOSED;
      socket.destroy();
      return;
    }
    if (this.#state === CLOSING) return;
    this.#state = CLOSING;
    // Keep reading (and discarding) so the peer's FIN is seen.
    this.#startReading();
    // Node sends FIN once everything queued has gone to the OS.
    socket.end();
    this.#armLinger(this.bufferedAmount);
  }

  /** Bound the graceful close: see {@link Linger}. */
  #armLinger(lastBuffered: number): void {
    if (this.#socketClosed) return;
    this.#linger ??= new Linger(() => this.bufferedAmount, (error) => {
      if (this.#socketClosed) return;
      if (error) this.#error ??= error;
      this.#socket.destroy();
    });
    this.#linger.arm(lastBuffered);
  }

  #startReading(): void {
    if (this.#reading) return;
    this.#reading = true;
    this.#socket.on("data", (chunk: Buffer) => this.#onSocketData(chunk));
  }

  #onSocketData(chunk: Buffer): void {
    const handler = this.#handler;
    if (this.#state !== OPEN || handler === undefined) return;
    try {
      // A plain Uint8Array view of the same bytes: the receive path makes
      // subarrays of it (strings, split frames), and Buffer#subarray builds a
      // Buffer through JS each time, several times the cost of a native view.
      handler.onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      this.#failFromHandler(err);
    }
  }

  #onSocketDrain(): void {
    const handler = this.#handler;
    if (this.#state !== OPEN) return;
    if (handler === undefined) {
      this.#drainOwed = true;
      return;
    }
    try {
      handler.onDrain();
    } catch (err) {
      this.#failFromHandler(err);
    }
  }

  /** A throwing handler closes its connection, and onClose carries the error. */
  #failFromHandler(err: unknown): void {
    this.#error ??= toError(err);
    this.close(false);
  }

  #onSocketClose(): void {
    this.#socketClosed = true;
    this.#state = CLOSED;
    this.#linger?.cancel();
    if (this.#handler !== undefined) this.#deliverClose();
  }

  #deliverClose(): void {
    const handler = this.#handler;
    if (this.#closeDelivered || handler === undefined) return;
    this.#closeDelivered = true;
    try {
      handler.onClose(this.#error);
    } catch (err) {
      reportLater(err);
    }
  }
}

async function listen(options: ListenOptions): Promise<Listener> {
  requireNode();
  const { host, port, onConnection } = options;
  const server = net.createServer({ allowHalfOpen: false });
  server.on("connection", (socket: net.Socket) => {
    const conn = new NodeConnection(socket);
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
      reject(
        new CellnetError(`listen on ${formatAddress(host, port)} failed: ${describe(err)}`, {
          cause: err,
        }),
      );
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
  const address: NetAddress =
    bound !== null && typeof bound === "object"
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
      reject(new ConnectError(`connect to ${where} failed: ${describe(err)}`, { cause: err }));
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
      resolve(new NodeConnection(socket));
    };
    const onError = (err: Error): void => {
      settle();
      socket.destroy();
      reject(new ConnectError(`connect to ${where} failed: ${describe(err)}`, { cause: err }));
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
        reject(new TimeoutError(`connect to ${where} timed out after ${timeoutMs} ms`));
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
