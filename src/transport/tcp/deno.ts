/**
 * The {@link Transport} for Deno, on `Deno.listen` and `Deno.connect`.
 *
 * Deno's connections are pull-based promises: a read loop turns them into
 * data events for the shared {@link ConnectionCore}, and a write pump keeps
 * exactly one `conn.write()` in flight, re-issuing the unwritten tail because
 * Deno may write only part of a buffer. Deno is reached through `globalThis`
 * with the few members declared below, so this file type-checks without
 * Deno's lib.
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
/**
 * The read buffer doubles up to this while reads keep filling it. Half of
 * WRITE_HIGH_WATER, not more: Deno cannot hand bytes to the OS inside
 * write(), so all a turn writes is still buffered at its end. With 64 KiB
 * reads, a broadcast server writes a little over 64 KiB per read to each
 * session (frames grow on the way out), so every session was pushed back
 * every turn, and its buffers grew and were dropped over and over: ~1 GB of
 * short-lived buffers per 100 MB relayed, and 40 MB more RSS (issue 7.6).
 */
const MAX_READ = 32 * 1024;
/** Pause before accepting again after an accept failure such as EMFILE. */
const ACCEPT_RETRY_MS = 100;

function denoApi(): DenoApi {
  const deno = (globalThis as unknown as { Deno?: DenoApi }).Deno;
  if (typeof deno?.version?.deno !== "string") {
    throw new RuntimeNotSupportedError(
      "the deno transport needs the Deno runtime (globalThis.Deno)",
    );
  }
  return deno;
}

/** Errors Deno uses for a resource closed under a pending op: our own close, not a failure. */
function isClosedResource(err: unknown): boolean {
  return err instanceof Error && (err.name === "BadResource" || err.name === "Interrupted");
}

/**
 * One `Deno.TcpConn`'s operations for the {@link ConnectionCore} that callers
 * get. Written bytes are copied into `#pending`; the pump moves them to
 * `#flight` and writes that whole, so each `conn.write()` carries everything
 * queued since the last one and no write allocates. `#flight` is not touched
 * while Deno reads from it.
 */
class DenoSocket implements SocketOps {
  readonly core: ConnectionCore;
  readonly flushesBeforeShutdown = false;
  readonly #conn: DenoTcpConn;
  #pending = new ByteQueue();
  #flight = new ByteQueue();
  #reading = false;
  /** Inside this connection's onData: defer() collects instead of queueing. */
  #inData = false;
  readonly #deferred: (() => void)[] = [];
  #writing = false;
  #destroyed = false;
  #closeReported = false;

  constructor(conn: DenoTcpConn) {
    this.#conn = conn;
    this.core = new ConnectionCore(
      this,
      { host: conn.localAddr.hostname, port: conn.localAddr.port },
      { host: conn.remoteAddr.hostname, port: conn.remoteAddr.port },
    );
  }

  get bufferedAmount(): number {
    // #flight counts until Deno reports it written: Deno holds it meanwhile.
    return this.#pending.length + this.#flight.length;
  }

  write(data: Uint8Array): void {
    if (this.#destroyed) return;
    // conn.write() is asynchronous and the caller may reuse `data` at once.
    this.#pending.push(data);
    if (!this.#writing) void this.#pump();
  }

  resume(): void {
    if (this.#reading || this.#destroyed) return;
    this.#reading = true;
    void this.#readLoop();
  }

  shutdown(): void {
    this.#conn.closeWrite().catch((err: unknown) => {
      if (!this.#destroyed) this.core.fail(networkError(err));
    });
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#pending.clear();
    this.#flight.clear();
    try {
      // Rejects the pending read and write (Interrupted); they report back.
      this.#conn.close();
    } catch {
      // Already closed by Deno: nothing left to release.
    }
    this.#reportClosed();
  }

  setNoDelay(noDelay: boolean): void {
    try {
      this.#conn.setNoDelay(noDelay);
    } catch {
      // Only fails once the resource is gone, when the option no longer matters.
    }
  }

  /**
   * During this connection's own onData, run `callback` right after onData
   * returns and before the next read is issued, so the replies to one read
   * leave before the next read: a pipelined window then stays one read
   * (measured: B 2.0–2.1M → 2.7–3.3M frames/s, BENCHMARKS.md). Otherwise a
   * microtask, which still comes after the whole batch of Deno's resolved
   * reads, so a broadcast from other connections' reads is coalesced.
   */
  defer(callback: () => void): void {
    if (this.#inData) this.#deferred.push(callback);
    else queueMicrotask(callback);
  }

  /** Run what onData deferred (see {@link defer}). */
  #runDeferred(): void {
    const deferred = this.#deferred;
    for (let i = 0; i < deferred.length; i++) deferred[i]!();
    deferred.length = 0;
  }

  /** A call, not a field read, so TypeScript does not narrow it across awaits. */
  #isDestroyed(): boolean {
    return this.#destroyed;
  }

  async #readLoop(): Promise<void> {
    let buffer = new Uint8Array(MIN_READ);
    try {
      for (;;) {
        const n = await this.#conn.read(buffer);
        if (this.#isDestroyed()) break;
        if (n === null) {
          this.core.ended();
          break;
        }
        if (n > 0) {
          this.#inData = true;
          try {
            this.core.data(buffer.subarray(0, n));
          } finally {
            this.#inData = false;
          }
          this.#runDeferred();
          // The handler may have closed us.
          if (this.#isDestroyed()) break;
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
      if (!this.#isDestroyed()) this.core.fail(networkError(err));
    } finally {
      this.#reading = false;
      this.#reportClosed();
    }
  }

  /** Writes until both queues are empty, one conn.write() at a time. */
  async #pump(): Promise<void> {
    this.#writing = true;
    try {
      for (;;) {
        let flight = this.#flight;
        if (flight.length === 0) {
          if (this.#pending.length === 0) break;
          // Everything queued meanwhile goes in the next write.
          this.#flight = this.#pending;
          this.#pending = flight;
          flight = this.#flight;
        }
        // Deno may take only part of the buffer; the loop writes the rest.
        const n = await this.#conn.write(flight.view());
        if (this.#isDestroyed()) break;
        flight.consume(n);
      }
    } catch (err) {
      // As for reads: a write cut off by our own close is not a failure.
      if (!this.#isDestroyed()) this.core.fail(networkError(err));
    }
    this.#writing = false;
    if (this.#destroyed) this.#reportClosed();
    else this.core.drained();
  }

  /** The socket is gone once destroyed and both pending ops have settled. */
  #reportClosed(): void {
    if (!this.#destroyed || this.#reading || this.#writing || this.#closeReported) return;
    this.#closeReported = true;
    this.core.closed();
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
      const connection = new DenoSocket(conn).core;
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
      throw listenError(formatAddress(host, port), err);
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
  const timer = abort === undefined ? undefined : setTimeout(() => {
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
    return new DenoSocket(conn).core;
  } catch (err) {
    if (timedOut) throw connectTimeout(where, timeoutMs, err);
    throw connectError(where, err);
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
