/**
 * What every peer shares: options, the address parsed by the peer's
 * protocol family, the session manager, the transport lookup, broadcast,
 * and one start/stop state machine (idle → starting → running → stopping).
 *
 * @module
 */
import type { Peer, Session } from "../cellnet.ts";
import { ByteWriter } from "../codec/byte_writer.ts";
import { getDefaultLogger, type Logger } from "../log.ts";
import type { CloseReason } from "../message/close_reason.ts";
import { peerBundle } from "../processor/processor.ts";
import type { EventQueue } from "../queue/event_queue.ts";
import type { CoreSession, SessionHost } from "../session/session.ts";
import { SessionManager } from "../session/session_manager.ts";
import { type Endpoint, loadTransport, protocolFamily } from "../transport/registry.ts";
import type { Transport } from "../transport/transport.ts";
import { type PeerOptions, type ResolvedSessionOptions, resolveSessionOptions } from "./options.ts";

/** Where a peer is in its life. */
export type PeerPhase = "idle" | "starting" | "running" | "stopping";

/**
 * Base of the built-in peers; extend it to write a new kind of peer: give
 * it {@link onStart} and {@link onStop}, and the state machine does the rest.
 *
 * @example A peer that does nothing but run
 * ```ts
 * import { BasePeer } from "@cellnet/cellnet";
 * class IdlePeer extends BasePeer {
 *   readonly typeName = "doc.Idle";
 *   constructor() {
 *     super({ address: "127.0.0.1:0" }, "doc.Idle");
 *   }
 *   protected async onStart(): Promise<void> {}
 *   protected async onStop(): Promise<void> {}
 * }
 * const peer = new IdlePeer();
 * console.log(peer.isRunning); // false
 * ```
 */
export abstract class BasePeer implements Peer {
  /** The cellnet type name, e.g. `tcp.Acceptor`. */
  abstract readonly typeName: string;
  /** Name used in logs. */
  readonly name: string;
  /** The configured address, as given. */
  readonly address: string;
  /** The address as the protocol family parsed it. */
  readonly endpoint: Endpoint;
  /** The protocol family's name, e.g. `tcp`. */
  readonly protocol: string;
  /** The event queue handlers run on, if any. */
  readonly queue: EventQueue | undefined;
  /** Where log lines go. */
  readonly logger: Logger;
  /** Optional sink for handler errors, called after they are logged. */
  onError?: (error: unknown) => void;
  /** Per-session options with defaults applied. */
  readonly sessionOptions: ResolvedSessionOptions;
  /** The live sessions. */
  protected readonly sessions: SessionManager;
  /** What this peer's sessions report their closes to. */
  protected readonly sessionHost: SessionHost = {
    sessionClosed: (s, reason, error) => this.onSessionClosed(s, reason, error),
  };
  readonly #transportChoice: PeerOptions["transport"];
  #broadcastBuf: ByteWriter | undefined;
  #phase: PeerPhase = "idle";
  #starting: Promise<this> | undefined;
  #stopping: Promise<void> | undefined;
  /** Bumped by every start and stop, so a start that a stop overtook knows it. */
  #generation = 0;

  /** Validate and keep the options; `protocol` names the family that parses the address. */
  constructor(options: PeerOptions, typeName: string, protocol = "tcp") {
    this.address = options.address;
    this.protocol = protocol;
    this.endpoint = protocolFamily(protocol).parseAddress(options.address);
    this.name = options.name ?? typeName;
    this.queue = options.queue;
    this.logger = options.logger ?? getDefaultLogger();
    this.sessionOptions = resolveSessionOptions(options);
    this.sessions = new SessionManager(options.sessionIds);
    this.#transportChoice = options.transport;
  }

  /** True once started, until stopped (for a connector: until it gave up, too). */
  get isRunning(): boolean {
    return this.#phase === "running";
  }

  /** Where the peer is in its life. */
  get phase(): PeerPhase {
    return this.#phase;
  }

  /**
   * Start. Concurrent calls share one start and its outcome; a `stop()`
   * during the start wins (the start then resolves with the peer stopped,
   * see {@link startInterrupted}); a start during a stop waits for it. An
   * aborted `signal` stops the peer and rejects with the signal's reason.
   */
  start(signal?: AbortSignal): Promise<this> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    switch (this.#phase) {
      case "running":
        return Promise.resolve(this);
      case "starting":
        return signal ? this.#abortable(this.#starting!, signal) : this.#starting!;
      case "stopping":
        return this.#stopping!.then(() => this.start(signal));
    }
    try {
      peerBundle(this);
    } catch (e) {
      return Promise.reject(e);
    }
    const generation = ++this.#generation;
    this.#phase = "starting";
    const current = () => generation === this.#generation;
    const starting = (async () => {
      let failure: unknown;
      let failed = false;
      try {
        await this.onStart(current);
      } catch (e) {
        failed = true;
        failure = e;
      }
      if (!current()) {
        const interrupted = signal?.aborted ? signal.reason : this.startInterrupted();
        if (interrupted !== undefined) throw interrupted;
        return this;
      }
      if (failed) {
        this.#phase = "idle";
        throw failure;
      }
      this.#phase = "running";
      this.onRunning();
      return this;
    })();
    this.#starting = starting;
    return signal ? this.#abortable(starting, signal) : starting;
  }

  /** Stop; resolves when every session is gone. Stopping an idle peer does nothing. */
  stop(): Promise<void> {
    switch (this.#phase) {
      case "idle":
        return Promise.resolve();
      case "stopping":
        return this.#stopping!;
    }
    const starting = this.#phase === "starting" ? this.#starting : undefined;
    this.#generation++;
    this.#phase = "stopping";
    // Waiting for a start that waits on the network (a dial that hangs)
    // would hold the stop as long: the start is told to give up first.
    if (starting) this.cancelStart();
    const stopping = (async () => {
      try {
        // The start undoes what it did once it sees it was overtaken.
        if (starting) await starting.then(() => {}, () => {});
        await this.onStop();
      } finally {
        this.#phase = "idle";
        this.#stopping = undefined;
        this.#starting = undefined;
      }
    })();
    this.#stopping = stopping;
    return stopping;
  }

  /** `await using peer = …` stops the peer when the scope ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * Do the work of a start. `current()` turns false once a stop overtook
   * this start: after each await, undo what was done and return.
   */
  protected abstract onStart(current: () => boolean): Promise<void>;
  /**
   * A stop overtook the start under way: cut short what the start waits on,
   * if it can be (a sync connector abandons its dial), so the stop does not
   * wait for it. The start still sees `current()` turn false.
   */
  protected cancelStart(): void {}
  /** Called once the peer is running (a connector starts dialling here). */
  protected onRunning(): void {}
  /** Do the work of a stop (release the listener, close sessions). */
  protected abstract onStop(): Promise<void>;

  /**
   * What a start overtaken by a stop settles with: undefined resolves it
   * (the default), an error rejects it (a SyncConnector's start promised a
   * connection).
   */
  protected startInterrupted(): Error | undefined {
    return undefined;
  }

  /** A running peer stopped by itself (a connector gave up): idle, without a stop. */
  protected stoppedByItself(): void {
    if (this.#phase !== "running") return;
    this.#generation++;
    this.#phase = "idle";
    this.#starting = undefined;
  }

  /** Options for this protocol's transport (`ListenOptions.protocolOptions`); none by default. */
  protected protocolOptions(): object | undefined {
    return undefined;
  }

  /** The runtime adapter chosen in the options, or the detected one, for this peer's protocol. */
  protected transport(): Promise<Transport> {
    return loadTransport(this.#transportChoice, this.protocol);
  }

  /** A session closed: forget it. Subclasses extend this (a connector redials). */
  protected onSessionClosed(session: CoreSession, _reason: CloseReason, _error?: Error): void {
    this.sessions.remove(session);
  }

  /** The live session with this id, or undefined. */
  getSession(id: number): Session | undefined {
    return this.sessions.getSession(id);
  }

  /** Call `callback` for each live session until it returns false. */
  visitSession(callback: (session: Session) => boolean | void): void {
    this.sessions.visitSession(callback);
  }

  /** Number of live sessions. */
  sessionCount(): number {
    return this.sessions.sessionCount();
  }

  /** Close every live session (reason Manual). */
  closeAllSession(): void {
    this.sessions.closeAllSession();
  }

  /**
   * Set the last session id handed out (cellnet's `SetSessionIDBase`): after
   * `setSessionIdBase(1000)` the next session is 1001. Peers sharing a
   * `sessionIds` counter share this too.
   */
  setSessionIdBase(base: number): void {
    this.sessions.setIdBase(base);
  }

  /**
   * Send `message` to every live session. It is encoded once and the same
   * bytes are queued on each session (unless the processor has an outbound
   * hooker, which must see each send). Returns how many sessions queued it.
   */
  broadcast(message: object): number {
    const bundle = peerBundle(this);
    let count = 0;
    if (bundle.hooker?.onOutboundEvent) {
      this.sessions.visitSession((s) => {
        if (s.send(message)) count++;
      });
      return count;
    }
    const buf = this.#broadcastBuf ??= new ByteWriter(256);
    buf.reset();
    bundle.transmitter.writeMessage(buf, message);
    const encoded = buf.view();
    this.sessions.visitSession((s) => {
      if (s.sendEncoded(encoded)) count++;
    });
    return count;
  }

  /** `start` that also rejects (and stops the peer) when `signal` aborts first. */
  #abortable(starting: Promise<this>, signal: AbortSignal): Promise<this> {
    return new Promise<this>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason);
        void this.stop();
      };
      signal.addEventListener("abort", onAbort, { once: true });
      starting.then(
        (v) => {
          signal.removeEventListener("abort", onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      );
    });
  }
}
