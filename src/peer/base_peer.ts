/**
 * What acceptors and connectors share: options, the processor binding, the
 * session manager and the transport lookup.
 *
 * @module
 */
import { ByteWriter } from "../codec/byte_writer.ts";
import { NotRegisteredError } from "../errors.ts";
import { getDefaultLogger, type Logger } from "../log.ts";
import type { CloseReason } from "../message/close_reason.ts";
import type { ProcessorBundle } from "../processor/processor.ts";
import type { EventQueue } from "../queue/event_queue.ts";
import { loadTransport } from "../transport/auto.ts";
import type { Transport } from "../transport/transport.ts";
import type { Session } from "../session/session.ts";
import { SessionManager } from "../session/session_manager.ts";
import { type PeerOptions, parseAddress, type ResolvedSessionOptions, resolveSessionOptions } from "./options.ts";
import type { Peer } from "./peer.ts";

/** Base of the built-in peers; extend it to write a new kind of peer. */
export abstract class BasePeer implements Peer {
  /** The cellnet type name, e.g. `tcp.Acceptor`. */
  abstract readonly typeName: string;
  /** Name used in logs. */
  readonly name: string;
  /** The configured `host:port`. */
  readonly address: string;
  /** The event queue handlers run on, if any. */
  readonly queue: EventQueue | undefined;
  /** Where log lines go. */
  readonly logger: Logger;
  /** Optional sink for handler errors, called after they are logged. */
  onError?: (error: unknown) => void;
  /** Per-session options with defaults applied. */
  readonly sessionOptions: ResolvedSessionOptions;
  /** The live sessions. */
  protected readonly sessions: SessionManager = new SessionManager();
  /** Host part of {@link address}. */
  protected readonly addressHost: string;
  /** Port part of {@link address} (0 for an ephemeral port). */
  protected readonly addressPort: number;
  readonly #transportChoice: PeerOptions["transport"];
  #bundle: ProcessorBundle | undefined;
  #broadcastBuf: ByteWriter | undefined;

  /** Validate and keep the options. */
  constructor(options: PeerOptions, typeName: string) {
    this.address = options.address;
    ({ host: this.addressHost, port: this.addressPort } = parseAddress(options.address));
    this.name = options.name ?? typeName;
    this.queue = options.queue;
    this.logger = options.logger ?? getDefaultLogger();
    this.sessionOptions = resolveSessionOptions(options);
    this.#transportChoice = options.transport;
  }

  /** True between a successful `start()` and `stop()`. */
  abstract get isRunning(): boolean;
  /** Start listening or dialling. */
  abstract start(): Promise<this>;
  /** Stop and close every session. */
  abstract stop(): Promise<void>;

  /** The runtime adapter chosen in the options, or the detected one. */
  protected transport(): Promise<Transport> {
    return loadTransport(this.#transportChoice);
  }

  /** Set by `bindProcessorHandler`. */
  setBundle(bundle: ProcessorBundle): void {
    this.#bundle = bundle;
  }

  /** The bound processor; throws if none was bound. */
  requireBundle(): ProcessorBundle {
    if (!this.#bundle) {
      throw new NotRegisteredError(
        `peer '${this.name}' has no processor: call bindProcessorHandler(peer, "tcp.ltv", handler) before start`,
      );
    }
    return this.#bundle;
  }

  /** Sessions report their close here; the manager forgets them. */
  sessionClosed(session: Session, _reason: CloseReason, _error?: Error): void {
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

  /** Set the first session id this peer hands out (cellnet's `SetSessionIDBase`). */
  setSessionIdBase(base: number): void {
    this.sessions.setIdBase(base);
  }

  /**
   * Send `message` to every live session. It is encoded once and the same
   * frame bytes are queued on each session (unless the processor has an
   * outbound hooker, which must see each send). Returns how many sessions
   * queued it.
   */
  broadcast(message: object): number {
    const bundle = this.requireBundle();
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
    const frame = buf.view();
    this.sessions.visitSession((s) => {
      if (s.sendFrames(frame)) count++;
    });
    return count;
  }
}
