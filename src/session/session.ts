/**
 * `Session`: one connection of a peer (cellnet's `cellnet.Session`). It owns
 * the outgoing buffer, feeds inbound bytes to the processor, enforces the
 * peer's limits and timeouts, and reports its close exactly once.
 *
 * @module
 */
import { ByteWriter } from "../codec/byte_writer.ts";
import { ProtocolError, SlowConsumerError, TimeoutError } from "../errors.ts";
import { CloseReason, closeReasonName } from "../message/close_reason.ts";
import { SessionClosed } from "../message/sysmsg.ts";
import type { Peer } from "../peer/peer.ts";
import type { ResolvedSessionOptions } from "../peer/options.ts";
import { type Event, RecvMsgEvent } from "../processor/event.ts";
import type { ProcessorBundle } from "../processor/processor.ts";
import type { MessageReceiver, MessageSink } from "../processor/transmitter.ts";
import type { Connection, ConnectionHandler } from "../transport/transport.ts";

/** Queued bytes at which a session writes at once instead of waiting for the end of the turn. */
const EAGER_FLUSH_BYTES = 16 * 1024;

const enum State {
  /** No connection yet (a connector before it connects): sends are buffered. */
  Detached,
  Open,
  Closed,
}

/**
 * One connection. Created by peers; users get sessions from events
 * (`ev.session`) and from the peer's session manager.
 *
 * `send` never blocks: frames are appended to the session's buffer and the
 * frames queued in one event-loop turn go out in one write (16 KiB writes
 * when a turn queues more). Order is kept.
 */
export class Session implements ConnectionHandler, MessageSink {
  /** Id assigned by the peer's session manager, unique within the peer; 0 until then. */
  id = 0;
  /** The peer that owns this session. */
  readonly peer: Peer;
  #options: ResolvedSessionOptions;
  #bundle: ProcessorBundle | undefined;
  #conn: Connection | undefined;
  #receiver: MessageReceiver | undefined;
  #state = State.Detached;
  #receiving = false;
  #out = new ByteWriter(256);
  #flushScheduled = false;
  #blocked = false;
  #lastRecv = 0;
  #readTimer: ReturnType<typeof setTimeout> | undefined;
  #writeTimer: ReturnType<typeof setTimeout> | undefined;
  #context: Map<unknown, unknown> | undefined;
  #connDone = true;
  #connWaiters: (() => void)[] | undefined;
  #pendingReason: CloseReason = CloseReason.ProtocolError;
  #pendingError: Error | undefined;
  // Bound once so the hot path schedules without allocating closures.
  readonly #flushTask = () => this.#flush();
  readonly #readTimeoutTask = () => this.#checkReadTimeout();
  readonly #writeTimeoutTask = () => this.#onWriteTimeout();
  readonly #pendingCloseTask = () => this.#closeWith(this.#pendingReason, this.#pendingError, true);

  /** Create a detached session of `peer` (peers call this). */
  constructor(peer: Peer, options: ResolvedSessionOptions) {
    this.peer = peer;
    this.#options = options;
  }

  /** The runtime connection (cellnet's `Raw()`), or undefined while not connected. */
  get raw(): Connection | undefined {
    return this.#conn;
  }

  /** True while connected and not closed. */
  get isOpen(): boolean {
    return this.#state === State.Open;
  }

  /** True once closed (until a connector reconnects it). */
  get isClosed(): boolean {
    return this.#state === State.Closed;
  }

  /** `host:port` of the remote side, or `""` while not connected. */
  get remoteAddress(): string {
    const a = this.#conn?.remoteAddress;
    return a ? (a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`) : "";
  }

  /** Bytes queued and not yet taken by the OS (this session's buffer plus the runtime's). */
  get bufferedAmount(): number {
    return this.#out.pos + (this.#conn?.bufferedAmount ?? 0);
  }

  /** Attach a value to the session (cellnet's `SetContext`). */
  setContext(key: unknown, value: unknown): void {
    (this.#context ??= new Map()).set(key, value);
  }

  /** Read a value set with {@link setContext} (cellnet's `GetContext`). */
  getContext<V = unknown>(key: unknown): V | undefined {
    return this.#context?.get(key) as V | undefined;
  }

  /**
   * Queue a message. Never blocks; frames queued in one event-loop turn are
   * written together, in order.
   *
   * Returns false when the session is closed (nothing is queued) or was just
   * closed as a slow consumer. Throws `EncodeError` when the message cannot be
   * encoded (a string over 65535 bytes, a frame over 65535 bytes, a wrong
   * field type), `UnregisteredMessageError` for an unregistered type, and,
   * with the `reject` slow-consumer policy, `SlowConsumerError`; in every
   * throwing case nothing is queued and the session stays usable.
   *
   * On a connector's session before it connects (or between reconnects),
   * messages are kept and written once connected.
   */
  send(message: object): boolean {
    if (this.#state === State.Closed) return false;
    const bundle = this.#bundle ??= this.peer.requireBundle();
    let msg = message;
    const hooker = bundle.hooker;
    if (hooker?.onOutboundEvent) {
      const ev = hooker.onOutboundEvent(new RecvMsgEvent(this, msg));
      if (!ev) return true;
      msg = ev.message as object;
    }
    const out = this.#out;
    const start = out.pos;
    try {
      bundle.transmitter.writeMessage(out, msg);
    } catch (e) {
      out.pos = start;
      throw e;
    }
    return this.#queued(start);
  }

  /**
   * Queue already framed bytes (one or more whole frames), as `broadcast`
   * does after encoding once. Same return and limits as {@link send}.
   */
  sendFrames(frames: Uint8Array): boolean {
    if (this.#state === State.Closed) return false;
    const start = this.#out.pos;
    this.#out.bytes(frames);
    return this.#queued(start);
  }

  #queued(start: number): boolean {
    const out = this.#out;
    const high = this.#options.sendQueueHighWater;
    if (high > 0) {
      const pending = out.pos + (this.#conn?.bufferedAmount ?? 0);
      if (pending > high) {
        const error = new SlowConsumerError(
          `session ${this.id} ${this.remoteAddress}: ${pending} unsent bytes pass the send-queue high-water mark ${high}`,
        );
        if (this.#options.slowConsumerPolicy === "reject") {
          out.pos = start;
          throw error;
        }
        this.#closeWith(CloseReason.SlowConsumer, error, false);
        return false;
      }
    }
    if (this.#state === State.Open && !this.#blocked) {
      if (out.pos >= EAGER_FLUSH_BYTES) {
        // A turn that queues this much (a broadcast storm) writes now rather
        // than holding it all until the deferred flush.
        this.#flush();
      } else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        const conn = this.#conn!;
        if (conn.defer) conn.defer(this.#flushTask);
        else queueMicrotask(this.#flushTask);
      }
    }
    return true;
  }

  /**
   * Close the session (cellnet's `Close()`): frames already queued are still
   * written, then the connection is closed. The handler then gets
   * `SessionClosed` with reason `Manual`. Closing twice does nothing.
   */
  close(): void {
    this.#closeWith(CloseReason.Manual, undefined, true);
  }

  /**
   * Close with an explicit reason (peers use this for limits and stops).
   * `graceful` writes what is queued first.
   */
  closeWithReason(reason: CloseReason, error?: Error, graceful = true): void {
    this.#closeWith(reason, error, graceful);
  }

  /** Connect this session to `conn` and start its timers; reading starts with {@link startReading}. */
  attach(conn: Connection): void {
    if (this.#state === State.Open) throw new Error("session already attached");
    this.#bundle = this.peer.requireBundle();
    this.#conn = conn;
    this.#connDone = false;
    this.#state = State.Open;
    this.#receiving = true;
    this.#blocked = false;
    this.#receiver = this.#bundle.transmitter.newReceiver(this, this.#options);
    conn.setNoDelay(this.#options.noDelay);
    const { readTimeoutMs } = this.#options;
    if (readTimeoutMs > 0) {
      this.#lastRecv = Date.now();
      this.#readTimer = setTimeout(this.#readTimeoutTask, readTimeoutMs);
    }
  }

  /** Start delivering inbound bytes and write what was queued while detached. */
  startReading(): void {
    const conn = this.#conn;
    if (this.#state !== State.Open || !conn) return;
    conn.setHandler(this);
    if (this.#out.pos > 0) this.#flush();
  }

  /** Make a closed session usable again (a connector between reconnects); sends buffer until attached. */
  reset(): void {
    if (this.#state !== State.Closed) return;
    this.#state = State.Detached;
    this.#conn = undefined;
    this.#receiver = undefined;
    this.#flushScheduled = false;
    this.#blocked = false;
    // The id stays until the next attach: a queued SessionClosed handler may still read it.
  }

  /** Deliver a locally raised event (SessionAccepted...) through the processor, like a message. */
  deliverEvent(message: object): void {
    const bundle = this.#bundle ??= this.peer.requireBundle();
    const ev = new RecvMsgEvent(this, message);
    // Called from transport callbacks (accept, close): a throwing user hooker
    // must be reported here, not escape into the runtime as an uncaught error.
    let hooked: RecvMsgEvent | Event | undefined = ev;
    try {
      if (bundle.hooker?.onInboundEvent) hooked = bundle.hooker.onInboundEvent(ev);
    } catch (e) {
      this.peer.logger.error(`${this.#who()} inbound hooker failed on ${message}`, e);
      return;
    }
    if (hooked) bundle.callback(hooked);
  }

  // ---- MessageSink (called by the receiver) ----

  /** True while inbound messages are wanted. */
  get receiving(): boolean {
    return this.#receiving;
  }

  /** One decoded message: run it through the hooker to the callback. */
  onRecvMessage(message: object): void {
    const bundle = this.#bundle!;
    const ev = new RecvMsgEvent(this, message);
    const hooked = bundle.hooker?.onInboundEvent ? bundle.hooker.onInboundEvent(ev) : ev;
    if (hooked) bundle.callback(hooked);
  }

  // ---- ConnectionHandler (called by the transport) ----

  /** Inbound bytes from the transport. */
  onData(chunk: Uint8Array): void {
    if (!this.#receiving) return;
    if (this.#readTimer !== undefined) this.#lastRecv = Date.now();
    try {
      this.#receiver!.receive(chunk);
    } catch (e) {
      this.#fail(e);
    }
  }

  /** The transport took everything: write what queued meanwhile. */
  onDrain(): void {
    this.#blocked = false;
    if (this.#writeTimer !== undefined) {
      clearTimeout(this.#writeTimer);
      this.#writeTimer = undefined;
    }
    if (this.#out.pos > 0) this.#flush();
  }

  /** The transport closed (remote end, reset, error). */
  onClose(error?: Error): void {
    const cut = this.#receiving ? (this.#receiver?.partialBytes ?? 0) : 0;
    if (!error && cut > 0) {
      error = new ProtocolError(`unexpected EOF: connection closed with ${cut} bytes of an incomplete frame`);
    }
    this.#closeWith(CloseReason.IO, error, false);
    this.#connDone = true;
    const waiters = this.#connWaiters;
    this.#connWaiters = undefined;
    if (waiters) for (const w of waiters) w();
  }

  /**
   * Resolves once the runtime connection is fully closed (after a graceful
   * close, when queued bytes were flushed). Resolves at once when there is none.
   */
  connectionClosed(): Promise<void> {
    if (this.#connDone) return Promise.resolve();
    return new Promise((resolve) => (this.#connWaiters ??= []).push(resolve));
  }

  /** Destroy the runtime connection now, dropping unsent bytes (a stop deadline passed). */
  abort(): void {
    this.#closeWith(CloseReason.Manual, undefined, false);
    this.#conn?.close(false);
  }

  // ---- internals ----

  #flush(): void {
    this.#flushScheduled = false;
    const conn = this.#conn;
    if (this.#state !== State.Open || this.#blocked || !conn || this.#out.pos === 0) return;
    const ok = conn.write(this.#out.view());
    this.#out.reset();
    if (!ok) {
      this.#blocked = true;
      const ms = this.#options.writeTimeoutMs;
      if (ms > 0 && this.#writeTimer === undefined) this.#writeTimer = setTimeout(this.#writeTimeoutTask, ms);
    }
  }

  /** Bad input: stop reading now, close after the handlers of earlier messages ran (so their replies go out). */
  #fail(e: unknown): void {
    this.#receiving = false;
    const error = e instanceof Error ? e : new Error(String(e));
    const reason = e instanceof ProtocolError ? CloseReason.ProtocolError : CloseReason.IO;
    if (!(e instanceof ProtocolError)) this.peer.logger.error(`${this.#who()} receive path failed`, error);
    const queue = this.peer.queue;
    if (queue) {
      this.#pendingReason = reason;
      this.#pendingError = error;
      queue.postCall(this.#pendingCloseTask, undefined);
    } else {
      this.#closeWith(reason, error, true);
    }
  }

  #checkReadTimeout(): void {
    this.#readTimer = undefined;
    if (this.#state !== State.Open) return;
    const ms = this.#options.readTimeoutMs;
    const idle = Date.now() - this.#lastRecv;
    if (idle >= ms) {
      this.#closeWith(CloseReason.Timeout, new TimeoutError(`nothing received for ${idle} ms (readTimeoutMs ${ms})`), true);
    } else {
      this.#readTimer = setTimeout(this.#readTimeoutTask, ms - idle);
    }
  }

  #onWriteTimeout(): void {
    this.#writeTimer = undefined;
    if (this.#state !== State.Open) return;
    const ms = this.#options.writeTimeoutMs;
    this.#closeWith(
      CloseReason.Timeout,
      new TimeoutError(`${this.bufferedAmount} queued bytes did not drain within ${ms} ms (writeTimeoutMs)`),
      false,
    );
  }

  #who(): string {
    return `[${this.peer.name}] session ${this.id}${this.#conn ? ` (${this.remoteAddress})` : ""}`;
  }

  #closeWith(reason: CloseReason, error: Error | undefined, graceful: boolean): void {
    if (this.#state === State.Closed) return;
    const wasOpen = this.#state === State.Open;
    this.#state = State.Closed;
    this.#receiving = false;
    if (this.#readTimer !== undefined) clearTimeout(this.#readTimer);
    if (this.#writeTimer !== undefined) clearTimeout(this.#writeTimer);
    this.#readTimer = this.#writeTimer = undefined;
    const conn = this.#conn;
    if (conn) {
      if (graceful && this.#out.pos > 0) conn.write(this.#out.view());
      conn.close(graceful);
    }
    this.#out.reset();
    this.#flushScheduled = false;
    const logger = this.peer.logger;
    if (reason === CloseReason.Manual || (reason === CloseReason.IO && !error)) {
      logger.debug(`${this.#who()} closed: ${closeReasonName(reason)}`);
    } else {
      logger.warn(`${this.#who()} closed: ${closeReasonName(reason)}${error ? `: ${error.message}` : ""}`);
    }
    this.peer.sessionClosed(this, reason, error);
    if (wasOpen) this.deliverEvent(new SessionClosed(reason, error));
  }
}
