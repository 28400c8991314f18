/**
 * The {@link Transport} for Bun, on `Bun.listen` and `Bun.connect`.
 *
 * Bun's `socket.write()` buffers nothing: it returns how many bytes the
 * kernel accepted. This adapter keeps a copy of only the rest and writes it
 * from the `drain` callback. One set of socket callbacks serves every socket
 * of a listener; each socket's state lives in `socket.data`. Bun is reached
 * through `globalThis` with the few members declared below, so this file does
 * not depend on Bun's type declarations.
 *
 * @module
 */

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

// The parts of Bun's API this file uses, and nothing else.
interface BunSocket {
  data: BunConnection | undefined;
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

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    // Bun's messages ("Failed to connect") leave out the reason; the code has it.
    return typeof code === "string" && !err.message.includes(code)
      ? `${err.message} (${code})`
      : err.message || err.name;
  }
  return String(err);
}

/** One Bun socket behind the {@link Connection} interface. */
class BunConnection implements Connection {
  readonly localAddress: NetAddress;
  readonly remoteAddress: NetAddress;
  readonly messageOriented = false;

  readonly #socket: BunSocket;
  #handler: ConnectionHandler | undefined;
  #state: State = OPEN;
  #error: Error | undefined;
  #closeDelivered = false;
  /** The peer sent FIN. */
  #eof = false;
  #finSent = false;
  #linger: Linger | undefined;
  #needDrain = false;
  /** Copies of what Bun did not accept yet, oldest first from #head. */
  #held: Uint8Array[] = [];
  #head = 0;
  #buffered = 0;
  /** Copies of chunks that came before the handler was set (or were not delivered yet). */
  #early: Uint8Array[] | undefined;
  /** The peer's FIN came behind undelivered early chunks; handled after them. */
  #endPending = false;

  constructor(socket: BunSocket) {
    this.#socket = socket;
    this.localAddress = { host: socket.localAddress, port: socket.localPort };
    this.remoteAddress = { host: socket.remoteAddress, port: socket.remotePort };
    // Nothing may be delivered before setHandler: leave the data in the kernel.
    socket.pause();
  }

  get bufferedAmount(): number {
    return this.#buffered;
  }

  setHandler(handler: ConnectionHandler): void {
    const first = this.#handler === undefined;
    this.#handler = handler;
    if (!first) return;
    // Deliver on a microtask, not inside the caller's setHandler().
    queueMicrotask(() => this.#start());
  }

  write(data: Uint8Array): boolean {
    if (this.#state !== OPEN) return false;
    const length = data.byteLength;
    if (length === 0) return this.#buffered === 0;
    if (this.#buffered > 0) {
      // Order: new bytes go behind the held ones. The caller may reuse `data`.
      this.#held.push(data.slice());
      this.#buffered += length;
      this.#needDrain = true;
      return false;
    }
    const written = this.#socket.write(data);
    if (written === length) return true;
    // -1: the socket is closing; the close callback follows.
    if (written < 0) return false;
    this.#held.push(data.slice(written));
    this.#buffered += length - written;
    this.#needDrain = true;
    return false;
  }

  setNoDelay(noDelay: boolean): void {
    if (this.#state !== CLOSED) this.#socket.setNoDelay(noDelay);
  }

  /** After this turn's I/O callbacks: microtasks run between them, which would split a turn's writes. */
  defer(callback: () => void): void {
    setImmediate(callback);
  }

  close(graceful = true): void {
    if (this.#state === CLOSED) return;
    if (!graceful) {
      this.#destroy();
      return;
    }
    if (this.#state === CLOSING) return;
    this.#state = CLOSING;
    this.#early = undefined;
    if (this.#endPending) {
      this.#endPending = false;
      this.onSocketEnd();
      return;
    }
    // Read (and discard) so the peer's FIN is seen, even before setHandler.
    this.#socket.resume();
    this.#armLinger(this.#buffered);
    if (this.#buffered === 0) this.#flushed();
  }

  /** Bound the graceful close: see {@link Linger}. */
  #armLinger(lastBuffered: number): void {
    if (this.#state === CLOSED) return;
    this.#linger ??= new Linger(() => this.#buffered, (error) => {
      if (this.#state === CLOSED) return;
      if (error) this.#error ??= error;
      this.#destroy();
    });
    this.#linger.arm(lastBuffered);
  }

  /** Called on a microtask after setHandler: deliver what came early, then read. */
  #start(): void {
    const early = this.#early;
    if (early !== undefined) {
      for (let i = 0; i < early.length && this.#state === OPEN; i++) this.#deliver(early[i]!);
      this.#early = undefined;
    }
    if (this.#endPending) {
      this.#endPending = false;
      this.onSocketEnd();
    }
    if (this.#state === CLOSED) {
      this.#deliverClose();
      return;
    }
    this.#socket.resume();
    if (this.#needDrain && this.#buffered === 0) this.#drained();
  }

  #deliver(chunk: Uint8Array): void {
    try {
      this.#handler!.onData(chunk);
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Bun `data` callback. */
  onSocketData(chunk: Uint8Array): void {
    if (this.#state !== OPEN) return;
    if (this.#handler === undefined || this.#early !== undefined) {
      // Held past this callback, so copied: the chunk is only ours until we return.
      (this.#early ??= []).push(chunk.slice());
      return;
    }
    this.#deliver(chunk);
  }

  /** Bun `drain` callback: the kernel has room again. */
  onSocketDrain(): void {
    if (this.#state === CLOSED) return;
    const socket = this.#socket;
    while (this.#head < this.#held.length) {
      const chunk = this.#held[this.#head]!;
      const written = socket.write(chunk);
      if (written < 0) return;
      this.#buffered -= written;
      if (written < chunk.length) {
        // Keep only the unwritten tail; no copy needed, the chunk is ours.
        this.#held[this.#head] = chunk.subarray(written);
        return;
      }
      // Let written chunks be collected even if the queue never empties.
      if (++this.#head >= 64 && this.#head * 2 >= this.#held.length) {
        this.#held = this.#held.slice(this.#head);
        this.#head = 0;
      }
    }
    this.#held = [];
    this.#head = 0;
    if (this.#state === CLOSING) this.#flushed();
    else this.#drained();
  }

  /** Bun `end` callback: the peer sent FIN. No half-open: flush, then close. */
  onSocketEnd(): void {
    if (this.#state === OPEN && (this.#handler === undefined || this.#early !== undefined)) {
      // Data that came first must be delivered first (pausing should make this rare).
      this.#endPending = true;
      return;
    }
    this.#eof = true;
    if (this.#state === CLOSED) return;
    this.#state = CLOSING;
    this.#early = undefined;
    this.#armLinger(this.#buffered);
    if (this.#buffered === 0) this.#flushed();
  }

  /** Bun `close` callback. */
  onSocketClose(error?: Error): void {
    if (error !== undefined) this.#error ??= error;
    this.#state = CLOSED;
    this.#clearHeld();
    // Bun calls this synchronously from inside end(), possibly inside our
    // caller's close(); a microtask keeps onClose out of that call stack.
    queueMicrotask(() => this.#deliverClose());
  }

  /** Bun `error` callback: a callback threw, or TLS failed; the close callback follows. */
  onSocketError(error: Error): void {
    this.#error ??= error;
  }

  #drained(): void {
    const handler = this.#handler;
    if (!this.#needDrain || handler === undefined || this.#state !== OPEN) return;
    this.#needDrain = false;
    try {
      handler.onDrain();
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Everything written before a close has gone to the OS: finish the close. */
  #flushed(): void {
    if (this.#eof) {
      this.#destroy();
      return;
    }
    if (this.#finSent) return;
    this.#finSent = true;
    this.#socket.shutdown();
  }

  #fail(err: unknown): void {
    this.#error ??= toError(err);
    this.#destroy();
  }

  #destroy(): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    this.#clearHeld();
    // Closes at once and runs the close callback (onSocketClose) before returning.
    this.#socket.end();
  }

  #clearHeld(): void {
    this.#linger?.cancel();
    this.#held = [];
    this.#head = 0;
    this.#buffered = 0;
    this.#early = undefined;
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
  socket.data = new BunConnection(socket);
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
          const conn = new BunConnection(socket);
          socket.data = conn;
          try {
            onConnection(conn);
          } catch (err) {
            conn.close(false);
            reportLater(err);
          }
        }),
      });
    } catch (err) {
      throw new CellnetError(`listen on ${formatAddress(host, port)} failed: ${describe(err)}`, {
        cause: err,
      });
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
      reject(new ConnectError(`connect to ${where} failed: ${describe(err)}`, { cause: err }));
      return;
    }
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        settled = true;
        reject(new TimeoutError(`connect to ${where} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    }
    dial.then(
      (socket) => {
        const conn = socket.data;
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
        reject(new ConnectError(`connect to ${where} failed: ${describe(err)}`, { cause: err }));
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
