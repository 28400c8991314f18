/**
 * The {@link Transport} for Deno, on `Deno.listen` and `Deno.connect`.
 *
 * Deno's connections are pull-based promises: a read loop turns them into
 * {@link ConnectionHandler.onData} calls, and a write pump keeps exactly one
 * `conn.write()` in flight, re-issuing the unwritten tail because Deno may
 * write only part of a buffer. Deno is reached through `globalThis` with the
 * few members declared below, so this file type-checks without Deno's lib.
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

// The parts of Deno's API this file uses, and nothing else.
interface DenoNetAddr {
  readonly hostname: string;
  readonly port: number;
}
interface DenoTcpConn {
  readonly localAddr: DenoNetAddr;
  readonly remoteAddr: DenoNetAddr;
  read(buffer: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  closeWrite(): Promise<void>;
  close(): void;
  setNoDelay(noDelay?: boolean): void;
}
interface DenoTcpListener {
  readonly addr: DenoNetAddr;
  accept(): Promise<DenoTcpConn>;
  close(): void;
}
interface DenoApi {
  readonly version: { readonly deno: string };
  listen(options: { hostname: string; port: number; transport: "tcp" }): DenoTcpListener;
  connect(options: {
    hostname: string;
    port: number;
    transport: "tcp";
    signal?: AbortSignal;
  }): Promise<DenoTcpConn>;
}

/** First read buffer: small, because an idle connection keeps its read pending. */
const MIN_READ = 4 * 1024;
/** The read buffer doubles up to this while reads keep filling it. */
const MAX_READ = 64 * 1024;
/** {@link Connection.write} returns false once this much is queued. */
const HIGH_WATER = 64 * 1024;
/** Pause before accepting again after an accept failure such as EMFILE. */
const ACCEPT_RETRY_MS = 100;

function denoApi(): DenoApi {
  const deno = (globalThis as unknown as { Deno?: DenoApi }).Deno;
  if (typeof deno?.version?.deno !== "string") {
    throw new RuntimeNotSupportedError("the deno transport needs the Deno runtime (globalThis.Deno)");
  }
  return deno;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/** Errors Deno uses for a resource closed under a pending op: our own close, not a failure. */
function isClosedResource(err: unknown): boolean {
  return err instanceof Error && (err.name === "BadResource" || err.name === "Interrupted");
}

/** One `Deno.TcpConn` behind the {@link Connection} interface. */
class DenoConnection implements Connection {
  readonly localAddress: NetAddress;
  readonly remoteAddress: NetAddress;
  readonly messageOriented = false;

  readonly #conn: DenoTcpConn;
  #handler: ConnectionHandler | undefined;
  #state: State = OPEN;
  #error: Error | undefined;
  #closeDelivered = false;
  /** The peer sent FIN. */
  #eof = false;
  #finSent = false;
  #linger: Linger | undefined;
  #reading = false;
  #writing = false;
  #needDrain = false;
  /** Copies of written data not yet taken by the OS, oldest first from #head. */
  #queue: Uint8Array[] = [];
  #head = 0;
  /** Bytes of #queue[#head] already written. */
  #offset = 0;
  #buffered = 0;

  constructor(conn: DenoTcpConn) {
    this.#conn = conn;
    this.localAddress = { host: conn.localAddr.hostname, port: conn.localAddr.port };
    this.remoteAddress = { host: conn.remoteAddr.hostname, port: conn.remoteAddr.port };
  }

  get bufferedAmount(): number {
    return this.#buffered;
  }

  setHandler(handler: ConnectionHandler): void {
    const first = this.#handler === undefined;
    this.#handler = handler;
    if (!first) return;
    if (this.#state === CLOSED) {
      queueMicrotask(() => this.#maybeDeliverClose());
      return;
    }
    // Reading starts only now, so nothing can arrive before there is a handler.
    this.#startReading();
    if (this.#needDrain && !this.#writing && this.#buffered === 0) {
      queueMicrotask(() => this.#drained());
    }
  }

  write(data: Uint8Array): boolean {
    if (this.#state !== OPEN) return false;
    const length = data.byteLength;
    if (length > 0) {
      // conn.write() is asynchronous and the caller may reuse `data` at once.
      this.#queue.push(data.slice());
      this.#buffered += length;
      if (!this.#writing) void this.#pump();
    }
    if (this.#buffered >= HIGH_WATER) {
      this.#needDrain = true;
      return false;
    }
    return true;
  }

  setNoDelay(noDelay: boolean): void {
    if (this.#state === CLOSED) return;
    try {
      this.#conn.setNoDelay(noDelay);
    } catch {
      // Only fails once the resource is gone, when the option no longer matters.
    }
  }

  close(graceful = true): void {
    if (this.#state === CLOSED) return;
    if (!graceful) {
      this.#destroy();
      return;
    }
    if (this.#state === CLOSING) return;
    this.#state = CLOSING;
    // Keep reading (and discarding) so the peer's FIN is seen.
    this.#startReading();
    this.#armLinger(this.#buffered);
    if (!this.#writing) this.#flushed();
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

  /** A call, not a field read, so TypeScript does not narrow it across awaits and callbacks. */
  #isClosed(): boolean {
    return this.#state === CLOSED;
  }

  #startReading(): void {
    if (this.#reading || this.#state === CLOSED) return;
    this.#reading = true;
    void this.#readLoop();
  }

  async #readLoop(): Promise<void> {
    let buffer = new Uint8Array(MIN_READ);
    try {
      for (;;) {
        const n = await this.#conn.read(buffer);
        if (this.#state === CLOSED) break;
        if (n === null) {
          this.#onEof();
          break;
        }
        const handler = this.#handler;
        if (this.#state === OPEN && handler !== undefined && n > 0) {
          try {
            handler.onData(buffer.subarray(0, n));
          } catch (err) {
            this.#fail(err);
            break;
          }
          // The handler may have closed us.
          if (this.#isClosed()) break;
        }
        // Grow while reads fill the buffer; shrink back when traffic gets
        // light, so an idle connection's pending read holds little memory.
        if (n === buffer.length) {
          if (buffer.length < MAX_READ) buffer = new Uint8Array(buffer.length * 2);
        } else if (n < buffer.length / 4 && buffer.length > MIN_READ) {
          buffer = new Uint8Array(buffer.length / 2);
        }
      }
    } catch (err) {
      // After our own conn.close() the pending read rejects (Interrupted or
      // BadResource): the normal close path, not a failure.
      if (!this.#isClosed()) this.#fail(err);
    } finally {
      this.#reading = false;
      this.#maybeDeliverClose();
    }
  }

  /** Writes queued bytes in order, one conn.write() at a time, until none are left. */
  async #pump(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#head < this.#queue.length && this.#state !== CLOSED) {
        const chunk = this.#queue[this.#head]!;
        const pending = this.#offset === 0 ? chunk : chunk.subarray(this.#offset);
        // Deno may take only part of the buffer; the loop writes the rest.
        const n = await this.#conn.write(pending);
        if (this.#isClosed()) break;
        this.#buffered -= n;
        this.#offset += n;
        if (this.#offset >= chunk.length) {
          this.#offset = 0;
          // Let written chunks be collected even if the queue never empties.
          if (++this.#head >= 64 && this.#head * 2 >= this.#queue.length) {
            this.#queue = this.#queue.slice(this.#head);
            this.#head = 0;
          }
        }
      }
    } catch (err) {
      // As for reads: a write cut off by our own close is not a failure.
      if (!this.#isClosed()) this.#fail(err);
    }
    this.#writing = false;
    if (this.#state === CLOSED) {
      this.#maybeDeliverClose();
      return;
    }
    this.#queue = [];
    this.#head = 0;
    if (this.#state === OPEN) this.#drained();
    else this.#flushed();
  }

  /** The queue emptied while open: tell a writer that was told to wait. */
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
    void this.#sendFin();
  }

  async #sendFin(): Promise<void> {
    try {
      await this.#conn.closeWrite();
    } catch (err) {
      if (this.#state !== CLOSED) this.#fail(err);
    }
  }

  /** The peer finished sending: flush what we still owe it, then close (no half-open). */
  #onEof(): void {
    this.#eof = true;
    if (this.#state === OPEN) this.#state = CLOSING;
    this.#armLinger(this.#buffered);
    if (!this.#writing) this.#flushed();
  }

  #fail(err: unknown): void {
    this.#error ??= toError(err);
    this.#destroy();
  }

  #destroy(): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    this.#linger?.cancel();
    this.#queue = [];
    this.#head = 0;
    this.#offset = 0;
    this.#buffered = 0;
    try {
      this.#conn.close();
    } catch {
      // Already closed by Deno: nothing left to release.
    }
    this.#maybeDeliverClose();
  }

  /** onClose, once, after the pending read and write have settled. */
  #maybeDeliverClose(): void {
    const handler = this.#handler;
    if (this.#state !== CLOSED || this.#closeDelivered || handler === undefined) return;
    if (this.#reading || this.#writing) return;
    this.#closeDelivered = true;
    try {
      handler.onClose(this.#error);
    } catch (err) {
      reportLater(err);
    }
  }
}

/** Accepts connections until closed. */
class DenoListener implements Listener {
  readonly address: NetAddress;
  readonly #listener: DenoTcpListener;
  readonly #onConnection: (conn: Connection) => void;
  readonly #loop: Promise<void>;
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;

  constructor(listener: DenoTcpListener, onConnection: (conn: Connection) => void) {
    this.#listener = listener;
    this.#onConnection = onConnection;
    this.address = { host: listener.addr.hostname, port: listener.addr.port };
    this.#loop = this.#acceptLoop();
  }

  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#listener.close();
      } catch {
        // Already closed.
      }
      if (this.#retry !== undefined) clearTimeout(this.#retry);
      this.#wake?.();
    }
    // Deno may hold the port until the pending accept has settled.
    await this.#loop;
  }

  async #acceptLoop(): Promise<void> {
    while (!this.#closed) {
      let conn: DenoTcpConn;
      try {
        conn = await this.#listener.accept();
      } catch (err) {
        if (this.#closed || isClosedResource(err)) return;
        // EMFILE and the like: wait a little rather than spin.
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          this.#retry = setTimeout(resolve, ACCEPT_RETRY_MS);
        });
        this.#wake = undefined;
        this.#retry = undefined;
        continue;
      }
      if (this.#closed) {
        try {
          conn.close();
        } catch {
          // Already closed.
        }
        return;
      }
      const connection = new DenoConnection(conn);
      try {
        this.#onConnection(connection);
      } catch (err) {
        connection.close(false);
        reportLater(err);
      }
    }
  }
}

function listen(options: ListenOptions): Promise<Listener> {
  try {
    const deno = denoApi();
    const { host, port } = options;
    let listener: DenoTcpListener;
    try {
      listener = deno.listen({ hostname: host, port, transport: "tcp" });
    } catch (err) {
      throw new CellnetError(`listen on ${formatAddress(host, port)} failed: ${describe(err)}`, {
        cause: err,
      });
    }
    return Promise.resolve(new DenoListener(listener, options.onConnection));
  } catch (err) {
    return Promise.reject(err);
  }
}

async function connect(options: ConnectOptions): Promise<Connection> {
  const deno = denoApi();
  const { host, port } = options;
  const timeoutMs = options.timeoutMs ?? 0;
  const where = formatAddress(host, port);
  // Aborting the signal cancels the dial inside Deno, so a timed-out
  // connection attempt leaves nothing behind.
  const abort = timeoutMs > 0 ? new AbortController() : undefined;
  let timedOut = false;
  const timer =
    abort === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          abort.abort();
        }, timeoutMs);
  try {
    const conn = await deno.connect({
      hostname: host,
      port,
      transport: "tcp",
      ...(abort === undefined ? {} : { signal: abort.signal }),
    });
    return new DenoConnection(conn);
  } catch (err) {
    if (timedOut) {
      throw new TimeoutError(`connect to ${where} timed out after ${timeoutMs} ms`, {
        cause: err,
      });
    }
    throw new ConnectError(`connect to ${where} failed: ${describe(err)}`, { cause: err });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * The Deno transport: TCP through `Deno.listen` and `Deno.connect`, with
 * half-open connections disabled (a peer's FIN closes the connection once
 * pending writes flush).
 */
export const denoTransport: Transport = {
  name: "deno",
  listen,
  connect,
};
