/**
 * `Peer`: what every peer (acceptor, connector) offers, cellnet's
 * `cellnet.Peer` + `SessionAccessor` + `TCPSocketOption` in one interface.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { CloseReason } from "../message/close_reason.ts";
import type { ProcessorBundle } from "../processor/processor.ts";
import type { EventQueue } from "../queue/event_queue.ts";
import type { Session } from "../session/session.ts";

/** A network endpoint that owns sessions. */
export interface Peer {
  /** The cellnet type name, e.g. `tcp.Acceptor`. */
  readonly typeName: string;
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
  /** True between a successful `start()` and `stop()`. */
  readonly isRunning: boolean;
  /** Start listening or dialling. */
  start(): Promise<this>;
  /** Stop and close every session; resolves when they are gone. */
  stop(): Promise<void>;

  /** The live session with this id, or undefined. */
  getSession(id: number): Session | undefined;
  /** Call `callback` for each live session until it returns false. */
  visitSession(callback: (session: Session) => boolean | void): void;
  /** Number of live sessions. */
  sessionCount(): number;
  /** Close every live session. */
  closeAllSession(): void;

  /** Set by `bindProcessorHandler`. */
  setBundle(bundle: ProcessorBundle): void;
  /** The bound processor; throws if none was bound. */
  requireBundle(): ProcessorBundle;
  /** Sessions report their close here (internal). */
  sessionClosed(session: Session, reason: CloseReason, error?: Error): void;
}
