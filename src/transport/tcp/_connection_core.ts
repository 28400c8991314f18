/**
 * The {@link Connection} contract, once, for every byte-stream adapter.
 *
 * A runtime adapter wraps its socket in a small {@link SocketOps} object
 * (write bytes, start reading, send FIN, destroy) and reports the socket's
 * events to a {@link ConnectionCore}, which is what callers get. The core
 * owns the rules the adapters used to re-implement: nothing is delivered
 * before `setHandler` (and bytes or a FIN that came earlier wait, in order);
 * `write()` pushes back at {@link WRITE_HIGH_WATER} on every runtime and
 * `onDrain` is owed, even across `setHandler`, until the buffer is empty; a
 * graceful close flushes, sends FIN, waits for the peer's, and is bounded by
 * a {@link Linger}; the first error wins; `onClose` comes exactly once, and
 * nothing after it.
 *
 * @module
 */
import {
  type Connection,
  type ConnectionHandler,
  type NetAddress,
  WRITE_HIGH_WATER,
} from "../transport.ts";
import { CLOSED, CLOSING, Linger, OPEN, reportLater, type State, toError } from "./_shared.ts";

/** What a runtime adapter supplies to a {@link ConnectionCore}: its socket's operations. */
export interface SocketOps {
  /**
   * Bytes written and not yet taken by the OS, held by the adapter or the
   * runtime (a write in flight included).
   */
  readonly bufferedAmount: number;
  /**
   * True when the runtime itself sends FIN only after everything written,
   * and closes by itself once the peer's FIN came too (Node's `end()` with
   * half-open off): the core then calls {@link shutdown} at once instead of
   * after {@link ConnectionCore.drained}, and leaves the close after a peer's
   * FIN to the runtime.
   */
  readonly flushesBeforeShutdown: boolean;
  /** Queue bytes, in order, copying what must outlive the call. Called only while open. */
  write(data: Uint8Array): void;
  /** Start reading: from now on data and FIN are reported. May be called more than once. */
  resume(): void;
  /** Send FIN. Called once, when the buffer is empty (unless {@link flushesBeforeShutdown}). */
  shutdown(): void;
  /** Close now, dropping unsent bytes; {@link ConnectionCore.closed} once the socket is gone. */
  destroy(): void;
  /** TCP_NODELAY; must not throw. */
  setNoDelay(noDelay: boolean): void;
  /** See {@link Connection.defer}. */
  defer(callback: () => void): void;
}

/** One connection's state machine, over the {@link SocketOps} of its runtime. */
export class ConnectionCore implements Connection {
  /** Local endpoint. */
  readonly localAddress: NetAddress;
  /** Remote endpoint. */
  readonly remoteAddress: NetAddress;
  /** Always false: a byte stream. */
  readonly messageOriented = false;

  readonly #ops: SocketOps;
  #handler: ConnectionHandler | undefined;
  #state: State = OPEN;
  /** The first error; what onClose reports. */
  #error: Error | undefined;
  /** The adapter reported the socket gone: onClose is owed to the handler. */
  #socketGone = false;
  #closeDelivered = false;
  /** A write() returned false and onDrain has not followed yet. */
  #needDrain = false;
  /** The peer sent FIN. */
  #eof = false;
  #finSent = false;
  #linger: Linger | undefined;
  /** Copies of chunks that came before the handler was set (or behind such chunks). */
  #early: Uint8Array[] | undefined;
  /** The peer's FIN came before the handler was set (or behind early chunks); handled after. */
  #endPending = false;

  /** Wrap `ops`; the adapter reports its socket's events to the new core. */
  constructor(ops: SocketOps, localAddress: NetAddress, remoteAddress: NetAddress) {
    this.#ops = ops;
    this.localAddress = localAddress;
    this.remoteAddress = remoteAddress;
  }

  // ---- Connection (called by the user of the transport) ----

  /** See {@link Connection.bufferedAmount}. */
  get bufferedAmount(): number {
    return this.#state === CLOSED ? 0 : this.#ops.bufferedAmount;
  }

  /** See {@link Connection.setHandler}. Only the first call starts delivery. */
  setHandler(handler: ConnectionHandler): void {
    const first = this.#handler === undefined;
    this.#handler = handler;
    if (first) queueMicrotask(() => this.#start());
  }

  /** See {@link Connection.write}. */
  write(data: Uint8Array): boolean {
    if (this.#state !== OPEN) return false;
    const ops = this.#ops;
    if (data.byteLength > 0) ops.write(data);
    if (ops.bufferedAmount < WRITE_HIGH_WATER) return true;
    this.#needDrain = true;
    return false;
  }

  /** See {@link Connection.setNoDelay}. */
  setNoDelay(noDelay: boolean): void {
    if (this.#state !== CLOSED) this.#ops.setNoDelay(noDelay);
  }

  /** See {@link Connection.defer}. */
  defer(callback: () => void): void {
    this.#ops.defer(callback);
  }

  /** See {@link Connection.close}. */
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
      // The peer had already ended: handle that now, as the close it is.
      this.#endPending = false;
      this.ended();
      return;
    }
    // Read (and discard) so the peer's FIN is seen, even before setHandler.
    this.#ops.resume();
    this.#finish();
  }

  // ---- events (called by the adapter) ----

  /** Bytes arrived; `chunk` is only valid during the call. */
  data(chunk: Uint8Array): void {
    if (this.#state !== OPEN) return;
    const handler = this.#handler;
    if (handler === undefined || this.#early !== undefined) {
      // Kept past this call, so copied. Rare: adapters do not read before setHandler.
      (this.#early ??= []).push(chunk.slice());
      return;
    }
    try {
      handler.onData(chunk);
    } catch (err) {
      this.fail(err);
    }
  }

  /** The adapter's buffer is empty again (bufferedAmount is 0). Spurious calls are harmless. */
  drained(): void {
    if (this.#state === OPEN) this.#deliverDrain();
    else if (this.#state === CLOSING && !this.#ops.flushesBeforeShutdown) this.#flushed();
  }

  /** The peer sent FIN. There is no half-open: flush what is owed to the peer, then close. */
  ended(): void {
    if (this.#state === OPEN && (this.#handler === undefined || this.#early !== undefined)) {
      // Data that came first is delivered first.
      this.#endPending = true;
      return;
    }
    this.#eof = true;
    if (this.#state === CLOSED) return;
    this.#state = CLOSING;
    this.#early = undefined;
    this.#finish();
  }

  /** Record an error for onClose, without closing (a close report follows from the adapter). */
  error(err: unknown): void {
    this.#error ??= toError(err);
  }

  /** Record an error and destroy the connection. */
  fail(err: unknown): void {
    this.#error ??= toError(err);
    this.#destroy();
  }

  /** The socket is gone (after {@link SocketOps.destroy}, or closed by the runtime). */
  closed(err?: unknown): void {
    if (err !== undefined) this.#error ??= toError(err);
    this.#state = CLOSED;
    this.#early = undefined;
    this.#linger?.cancel();
    if (this.#socketGone) return;
    this.#socketGone = true;
    // Off the adapter's stack: that may be inside the caller's own close().
    if (this.#handler !== undefined) queueMicrotask(() => this.#deliverClose());
  }

  // ---- internals ----

  /** A microtask after the first setHandler: what came early, then reading. */
  #start(): void {
    const early = this.#early;
    if (early !== undefined) {
      for (let i = 0; i < early.length && this.#state === OPEN; i++) this.#deliver(early[i]!);
      this.#early = undefined;
    }
    if (this.#endPending) {
      this.#endPending = false;
      this.ended();
    }
    if (this.#socketGone) {
      this.#deliverClose();
      return;
    }
    if (this.#state === CLOSED) return;
    this.#ops.resume();
    if (this.#needDrain && this.#ops.bufferedAmount === 0) this.#deliverDrain();
  }

  #deliver(chunk: Uint8Array): void {
    try {
      this.#handler!.onData(chunk);
    } catch (err) {
      this.fail(err);
    }
  }

  #deliverDrain(): void {
    const handler = this.#handler;
    // Without a handler the drain stays owed; #start delivers it.
    if (!this.#needDrain || handler === undefined || this.#state !== OPEN) return;
    this.#needDrain = false;
    try {
      handler.onDrain();
    } catch (err) {
      this.fail(err);
    }
  }

  /** Closing (locally, or the peer's FIN): flush, then FIN or close; bounded by the linger. */
  #finish(): void {
    this.#armLinger();
    const ops = this.#ops;
    if (ops.flushesBeforeShutdown) {
      if (!this.#eof && !this.#finSent) {
        this.#finSent = true;
        ops.shutdown();
      }
      return;
    }
    if (ops.bufferedAmount === 0) this.#flushed();
  }

  /** Everything written before the close has gone to the OS. */
  #flushed(): void {
    if (this.#eof) {
      // Both sides are done.
      this.#destroy();
      return;
    }
    if (this.#finSent) return;
    this.#finSent = true;
    this.#ops.shutdown();
  }

  /** Bound the graceful close: see {@link Linger}. */
  #armLinger(): void {
    if (this.#socketGone) return;
    this.#linger ??= new Linger(() => this.#ops.bufferedAmount, (error) => {
      if (this.#socketGone) return;
      if (error) this.#error ??= error;
      this.#destroy();
    });
    this.#linger.arm(this.#ops.bufferedAmount);
  }

  #destroy(): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    this.#early = undefined;
    this.#linger?.cancel();
    this.#ops.destroy();
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
