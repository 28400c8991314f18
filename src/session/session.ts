/**
 * `CoreSession`: the implementation of cellnet's `Session` that every peer
 * uses. It owns the outbox, feeds inbound bytes to the processor, enforces
 * the peer's limits and timeouts, and reports its close exactly once. Its
 * roles towards the transport (a `ConnectionHandler`) and the receiver (a
 * `MessageSink`) live on a private object, so handlers only see the
 * {@link Session} interface.
 *
 * @module
 */
import type {
  Event,
  MessageReceiver,
  MessageSink,
  Peer,
  ProcessorBundle,
  Session,
} from "../cellnet.ts";
import { LimitError, ProtocolError, SlowConsumerError, TimeoutError } from "../errors.ts";
import { CloseReason, closeReasonName } from "../message/close_reason.ts";
import { messageName } from "../message/meta.ts";
import { SessionClosed } from "../message/sysmsg.ts";
import type { ResolvedSessionOptions } from "../peer/options.ts";
import { OutboundEvent, RecvMsgEvent } from "../processor/event.ts";
import { peerBundle } from "../processor/processor.ts";
import type { Connection, ConnectionHandler } from "../transport/transport.ts";
import { MessageOutbox, newOutbox, type Outbox } from "./_outbox.ts";
import { CLOSE_GOING_AWAY, closeCodeFor, closeReasonText } from "./_close_code.ts";

/** Queued bytes at which a session writes at once instead of waiting for the end of the turn. */
const EAGER_FLUSH_BYTES = 16 * 1024;

// Lifecycle; plain constants so the file is erasable TypeScript.
/** No connection yet (a connector before it connects): sends are kept. */
const DETACHED = 0;
const OPEN = 1;
const CLOSED = 2;

/** What a session reports to the peer that owns it. */
export interface SessionHost {
  /** The session closed (once per attach); the peer forgets it. */
  sessionClosed(session: CoreSession, reason: CloseReason, error?: Error): void;
}

/**
 * One connection of a peer. Peers create these; handlers get them as the
 * {@link Session} interface (`ev.session`).
 *
 * `send` never blocks: messages are appended to the outbox, and those queued
 * in one event-loop turn go out together (in 16 KiB writes when a turn
 * queues more; one write per message on a message-oriented connection).
 * Order is kept.
 *
 * @example Peers make sessions; handlers use them through `ev.session`
 * ```ts
 * import { bindProcessorHandler, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
 *   ev.session.setContext("seen", true);
 * });
 * ```
 */
export class CoreSession implements Session {
  #id = 0;
  /** The peer that owns this session. */
  readonly peer: Peer;
  /** Inbound messages dropped by the `drop` rate-limit policy. */
  droppedMessages = 0;
  readonly #host: SessionHost;
  readonly #options: ResolvedSessionOptions;
  readonly #io: ConnectionHandler & MessageSink;
  #bundle: ProcessorBundle | undefined;
  #conn: Connection | undefined;
  #receiver: MessageReceiver | undefined;
  #state = DETACHED;
  #receiving = false;
  #outbox: Outbox | undefined;
  #flushScheduled = false;
  #blocked = false;
  #lastRecv = 0;
  #readTimer: ReturnType<typeof setTimeout> | undefined;
  #frameTimer: ReturnType<typeof setTimeout> | undefined;
  #writeTimer: ReturnType<typeof setTimeout> | undefined;
  #rateWindowStart = 0;
  #rateCount = 0;
  #context: Map<unknown, unknown> | undefined;
  #connDone = true;
  #connWaiters: (() => void)[] | undefined;
  #pendingReason: CloseReason = CloseReason.ProtocolError;
  #pendingError: Error | undefined;
  // Bound once so the hot path schedules without allocating closures.
  readonly #flushTask = () => this.#flush();
  readonly #readTimeoutTask = () => this.#checkReadTimeout();
  readonly #frameTimeoutTask = () => this.#checkFrameTimeout();
  readonly #writeTimeoutTask = () => this.#onWriteTimeout();
  readonly #pendingCloseTask = () => this.#closeWith(this.#pendingReason, this.#pendingError, true);

  /** Create a detached session of `peer`; `host` hears of its closes (peers call this). */
  constructor(peer: Peer, options: ResolvedSessionOptions, host: SessionHost) {
    this.peer = peer;
    this.#options = options;
    this.#host = host;
    // One object per session for the two roles, so they are not public members.
    const self = this;
    this.#io = {
      onData: (chunk) => this.#onData(chunk),
      onDrain: () => this.#onDrain(),
      onClose: (error) => this.#onConnClose(error),
      onRecvMessage: (message) => this.#onRecvMessage(message),
      get receiving() {
        return self.#receiving;
      },
    };
  }

  /** Unique within the peer; assigned when the session joins the peer's manager. */
  get id(): number {
    return this.#id;
  }

  /** The runtime connection (cellnet's `Raw()`), or undefined while not connected. */
  get raw(): Connection | undefined {
    return this.#conn;
  }

  /** True while connected and not closed. */
  get isOpen(): boolean {
    return this.#state === OPEN;
  }

  /** True once closed (until a connector reconnects it). */
  get isClosed(): boolean {
    return this.#state === CLOSED;
  }

  /** `host:port` of the remote side, or `""` while not connected. */
  get remoteAddress(): string {
    const a = this.#conn?.remoteAddress;
    return a ? (a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`) : "";
  }

  /** Bytes queued and not yet taken by the OS (this session's buffer plus the runtime's). */
  get bufferedAmount(): number {
    return (this.#outbox?.out.pos ?? 0) + (this.#conn?.bufferedAmount ?? 0);
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
   * Queue a message. Never blocks; messages queued in one event-loop turn
   * are written together, in order.
   *
   * Returns false when the session is closed (nothing is queued) or was just
   * closed as a slow consumer. Throws `EncodeError` when the message cannot be
   * encoded, `UnregisteredMessageError` for an unregistered type, and, with
   * the `reject` slow-consumer policy, `SlowConsumerError`; in every throwing
   * case nothing is queued and the session stays usable.
   *
   * On a connector's session before it connects (or between reconnects),
   * messages are kept and written once connected.
   */
  send(message: object): boolean {
    if (this.#state === CLOSED) return false;
    const bundle = this.#bundle ??= peerBundle(this.peer);
    let msg = message;
    const hooker = bundle.hooker;
    if (hooker?.onOutboundEvent) {
      const ev = hooker.onOutboundEvent(new OutboundEvent(this, msg));
      if (!ev) return true;
      msg = ev.message as object;
    }
    const outbox = this.#outbox ??= new MessageOutbox();
    const start = outbox.out.pos;
    try {
      bundle.transmitter.writeMessage(outbox.out, msg);
    } catch (e) {
      outbox.rollback(start);
      throw e;
    }
    return this.#queued(outbox, start);
  }

  /**
   * Queue one message already encoded by this peer's transmitter, as
   * `broadcast` does after encoding once. Same return and limits as
   * {@link send}.
   */
  sendEncoded(encoded: Uint8Array): boolean {
    if (this.#state === CLOSED) return false;
    const outbox = this.#outbox ??= new MessageOutbox();
    const start = outbox.out.pos;
    outbox.out.bytes(encoded);
    return this.#queued(outbox, start);
  }

  #queued(outbox: Outbox, start: number): boolean {
    const out = outbox.out;
    const high = this.#options.sendQueueHighWater;
    if (high > 0) {
      const pending = out.pos + (this.#conn?.bufferedAmount ?? 0);
      if (pending > high) {
        const error = new SlowConsumerError(
          `session ${this.#id} ${this.remoteAddress}: ${pending} unsent bytes pass the send-queue high-water mark ${high}`,
        );
        if (this.#options.slowConsumerPolicy === "reject") {
          outbox.rollback(start);
          throw error;
        }
        this.#closeWith(CloseReason.SlowConsumer, error, false);
        return false;
      }
    }
    outbox.commit(start);
    if (this.#state === OPEN && !this.#blocked) {
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
   * Close the session (cellnet's `Close()`): messages already queued are
   * still written, then the connection is closed. The handler then gets
   * `SessionClosed` with reason `Manual`. Closing twice does nothing.
   */
  close(): void {
    this.#closeWith(CloseReason.Manual, undefined, true);
  }

  /**
   * Close as a stopping peer does: like {@link close} (reason `Manual`,
   * queued messages written first), but a connection whose close carries a
   * code tells the remote side this side is going away (WebSocket 1001).
   */
  closeGoingAway(): void {
    this.#closeWith(CloseReason.Manual, undefined, true, CLOSE_GOING_AWAY);
  }

  /** Set by the peer's session manager when the session joins it. */
  assignId(id: number): void {
    this.#id = id;
  }

  /** Connect this session to `conn` and start its timers; reading starts with {@link startReading}. */
  attach(conn: Connection): void {
    if (this.#state === OPEN) throw new Error("session already attached");
    this.#bundle = peerBundle(this.peer);
    this.#conn = conn;
    this.#connDone = false;
    this.#state = OPEN;
    this.#receiving = true;
    this.#blocked = false;
    const outbox = newOutbox(conn.messageOriented);
    // What was sent while detached goes first, message by message.
    if (this.#outbox instanceof MessageOutbox) this.#outbox.moveTo(outbox);
    this.#outbox = outbox;
    this.#receiver = this.#bundle.transmitter.newReceiver(this.#io, this.#options);
    conn.setNoDelay(this.#options.noDelay);
    const { readTimeoutMs } = this.#options;
    this.#lastRecv = Date.now();
    if (readTimeoutMs > 0) this.#readTimer = setTimeout(this.#readTimeoutTask, readTimeoutMs);
  }

  /** Start delivering inbound bytes and write what was queued while detached. */
  startReading(): void {
    const conn = this.#conn;
    if (this.#state !== OPEN || !conn) return;
    conn.setHandler(this.#io);
    if (this.#outbox!.out.pos > 0) this.#flush();
  }

  /** Make a closed session usable again (a connector between reconnects); sends are kept until attached. */
  reset(): void {
    if (this.#state !== CLOSED) return;
    this.#state = DETACHED;
    this.#conn = undefined;
    this.#receiver = undefined;
    this.#outbox = undefined;
    this.#flushScheduled = false;
    this.#blocked = false;
    // The id stays until the next attach: a queued SessionClosed handler may still read it.
  }

  /** Deliver a locally raised event (SessionAccepted...) through the processor, like a message. */
  deliverEvent(message: object): void {
    const bundle = this.#bundle ??= peerBundle(this.peer);
    // Called from transport callbacks (accept, close): a throwing user hooker
    // must be reported here, not escape into the runtime as an uncaught error.
    const hooked = this.#hookInbound(bundle, new RecvMsgEvent(this, message));
    if (hooked) bundle.callback(hooked);
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

  /** `[peer] session 3 (127.0.0.1:5000)`, for log lines. */
  describe(): string {
    return `[${this.peer.name}] session ${this.#id}${this.#conn ? ` (${this.remoteAddress})` : ""}`;
  }

  // ---- the receiver's sink ----

  /** One decoded message: apply the rate limit, run the hookers, then the callback. */
  #onRecvMessage(message: object): void {
    const max = this.#options.maxMessagesPerSecond;
    if (max > 0 && !this.#admit(max)) return;
    const bundle = this.#bundle!;
    const ev = new RecvMsgEvent(this, message);
    const hooked = bundle.hooker?.onInboundEvent ? this.#hookInbound(bundle, ev) : ev;
    if (hooked) bundle.callback(hooked);
  }

  /** Count one inbound message against the per-second window; false when it is refused. */
  #admit(max: number): boolean {
    const now = Date.now();
    if (now - this.#rateWindowStart >= 1000) {
      this.#rateWindowStart = now;
      this.#rateCount = 0;
    }
    if (++this.#rateCount <= max) return true;
    if (this.#options.rateLimitPolicy === "drop") {
      this.droppedMessages++;
      return false;
    }
    this.#receiving = false;
    this.#closeWith(
      CloseReason.Limit,
      new LimitError(`more than ${max} messages in one second (maxMessagesPerSecond)`),
      true,
    );
    return false;
  }

  /** The inbound hookers, with a throw reported as the hooker's and the event dropped. */
  #hookInbound(bundle: ProcessorBundle, ev: RecvMsgEvent): Event | undefined {
    try {
      return bundle.hooker?.onInboundEvent ? bundle.hooker.onInboundEvent(ev) : ev;
    } catch (e) {
      this.peer.logger.error(
        `${this.describe()}: inbound hooker failed on ${messageName(ev.message)}`,
        e,
      );
      return undefined;
    }
  }

  // ---- the transport's handler ----

  #onData(chunk: Uint8Array): void {
    if (!this.#receiving) return;
    // The clock is read only when a timeout needs it: for the read timeout
    // on every chunk, for the frame timeout only on chunks that leave part
    // of a frame held (most pipelined chunks end on a frame boundary).
    const readTimed = this.#options.readTimeoutMs > 0;
    if (readTimed) this.#lastRecv = Date.now();
    const receiver = this.#receiver!;
    try {
      receiver.receive(chunk);
    } catch (e) {
      this.#fail(e);
      return;
    }
    if (receiver.partialBytes > 0) {
      const ms = this.#options.frameTimeoutMs;
      if (ms > 0 && this.#state === OPEN) {
        if (!readTimed) this.#lastRecv = Date.now();
        this.#frameTimer ??= setTimeout(this.#frameTimeoutTask, ms);
      }
    }
  }

  #onDrain(): void {
    this.#blocked = false;
    if (this.#writeTimer !== undefined) {
      clearTimeout(this.#writeTimer);
      this.#writeTimer = undefined;
    }
    if (this.#outbox !== undefined && this.#outbox.out.pos > 0) this.#flush();
  }

  #onConnClose(error?: Error): void {
    // A transport that judges the protocol itself (WebSocket) reports a
    // violation by the remote side as a ProtocolError, a frame left part way
    // too long as a TimeoutError; anything else is IO.
    const reason = error instanceof ProtocolError
      ? CloseReason.ProtocolError
      : error instanceof TimeoutError
      ? CloseReason.Timeout
      : CloseReason.IO;
    const cut = this.#receiving ? (this.#receiver?.partialBytes ?? 0) : 0;
    if (!error && cut > 0) {
      error = new ProtocolError(
        `unexpected EOF: connection closed with ${cut} bytes of an incomplete frame`,
      );
    }
    this.#closeWith(reason, error, false);
    this.#connDone = true;
    const waiters = this.#connWaiters;
    this.#connWaiters = undefined;
    if (waiters) { for (const w of waiters) w(); }
  }

  // ---- internals ----

  #flush(): void {
    this.#flushScheduled = false;
    const conn = this.#conn;
    const outbox = this.#outbox;
    if (this.#state !== OPEN || this.#blocked || !conn || !outbox || outbox.out.pos === 0) return;
    if (!outbox.flush(conn)) {
      this.#blocked = true;
      const ms = this.#options.writeTimeoutMs;
      if (ms > 0 && this.#writeTimer === undefined) {
        this.#writeTimer = setTimeout(this.#writeTimeoutTask, ms);
      }
    }
  }

  /** Bad input: stop reading now, close after the handlers of earlier messages ran (so their replies go out). */
  #fail(e: unknown): void {
    this.#receiving = false;
    const error = e instanceof Error ? e : new Error(String(e));
    const reason = e instanceof ProtocolError ? CloseReason.ProtocolError : CloseReason.IO;
    if (!(e instanceof ProtocolError)) {
      this.peer.logger.error(`${this.describe()}: receive path failed`, error);
    }
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
    if (this.#state !== OPEN) return;
    const ms = this.#options.readTimeoutMs;
    const idle = Date.now() - this.#lastRecv;
    if (idle >= ms) {
      this.#closeWith(
        CloseReason.Timeout,
        new TimeoutError(`nothing received for ${idle} ms (readTimeoutMs ${ms})`),
        true,
      );
    } else {
      this.#readTimer = setTimeout(this.#readTimeoutTask, ms - idle);
    }
  }

  /** A message is half received: close if no byte came for frameTimeoutMs, else look again later. */
  #checkFrameTimeout(): void {
    this.#frameTimer = undefined;
    if (this.#state !== OPEN || !this.#receiving) return;
    const held = this.#receiver?.partialBytes ?? 0;
    if (held === 0) return;
    const ms = this.#options.frameTimeoutMs;
    const idle = Date.now() - this.#lastRecv;
    if (idle >= ms) {
      this.#closeWith(
        CloseReason.Timeout,
        new TimeoutError(
          `incomplete frame (${held} bytes) with nothing more for ${idle} ms (frameTimeoutMs ${ms})`,
        ),
        false,
      );
    } else {
      this.#frameTimer = setTimeout(this.#frameTimeoutTask, ms - idle);
    }
  }

  #onWriteTimeout(): void {
    this.#writeTimer = undefined;
    if (this.#state !== OPEN) return;
    const ms = this.#options.writeTimeoutMs;
    this.#closeWith(
      CloseReason.Timeout,
      new TimeoutError(
        `${this.bufferedAmount} queued bytes did not drain within ${ms} ms (writeTimeoutMs)`,
      ),
      false,
    );
  }

  #closeWith(
    reason: CloseReason,
    error: Error | undefined,
    graceful: boolean,
    code?: number,
  ): void {
    if (this.#state === CLOSED) return;
    const wasOpen = this.#state === OPEN;
    this.#state = CLOSED;
    this.#receiving = false;
    if (this.#readTimer !== undefined) clearTimeout(this.#readTimer);
    if (this.#frameTimer !== undefined) clearTimeout(this.#frameTimer);
    if (this.#writeTimer !== undefined) clearTimeout(this.#writeTimer);
    this.#readTimer = this.#frameTimer = this.#writeTimer = undefined;
    const conn = this.#conn;
    const outbox = this.#outbox;
    if (conn) {
      if (graceful && outbox !== undefined && outbox.out.pos > 0) outbox.flush(conn);
      const closeCode = graceful && conn.closeWith !== undefined
        ? code ?? closeCodeFor(reason, error)
        : undefined;
      // A close code tells the remote side why (WebSocket); without one, 1000.
      if (closeCode !== undefined) {
        conn.closeWith!(closeCode, error ? closeReasonText(error.message) : "");
      } else conn.close(graceful);
    }
    outbox?.clear();
    this.#flushScheduled = false;
    const logger = this.peer.logger;
    if (reason === CloseReason.Manual || (reason === CloseReason.IO && !error)) {
      logger.debug(`${this.describe()} closed: ${closeReasonName(reason)}`);
    } else {
      logger.warn(
        `${this.describe()} closed: ${closeReasonName(reason)}${error ? `: ${error.message}` : ""}`,
      );
    }
    this.#host.sessionClosed(this, reason, error);
    if (wasOpen) this.deliverEvent(new SessionClosed(reason, error));
  }
}
