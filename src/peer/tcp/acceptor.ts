/**
 * `tcp.Acceptor`: listens and turns each accepted connection into a session
 * (cellnet's `peer/tcp/acceptor.go`).
 *
 * @module
 */
import { LimitError } from "../../errors.ts";
import { SessionAccepted } from "../../message/sysmsg.ts";
import type { Connection, Listener } from "../../transport/transport.ts";
import { Session } from "../../session/session.ts";
import { BasePeer } from "../base_peer.ts";
import type { PeerOptions } from "../options.ts";
import { stopSessions } from "./_stop_sessions.ts";

/** Options of {@link TCPAcceptor}. */
export interface AcceptorOptions extends PeerOptions {
  /** Refuse connections beyond this many live sessions (closed at once, counted in `rejectedConnections`). Default 0: no limit. */
  readonly maxConnections?: number;
  /** How long `stop()` lets sessions flush queued bytes before destroying them. Default 5000 ms. */
  readonly stopTimeoutMs?: number;
}

/**
 * Accepts TCP connections; each becomes a {@link Session} announced with
 * `SessionAccepted`.
 *
 * @example An echo server
 * ```ts
 * import { bindProcessorHandler, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ name: "server", address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof Object) ev.session.send(ev.message);
 * });
 * await acceptor.start();
 * console.log("listening on", acceptor.port);
 * await acceptor.stop();
 * ```
 */
export class TCPAcceptor extends BasePeer {
  /** cellnet's peer type name. */
  readonly typeName: string = "tcp.Acceptor";
  /** Connections refused by `maxConnections` since construction. */
  rejectedConnections = 0;
  readonly #maxConnections: number;
  readonly #stopTimeoutMs: number;
  #listener: Listener | undefined;
  #running = false;
  readonly #onConnection = (conn: Connection) => this.#accept(conn);

  /** Create an acceptor; nothing happens until {@link start}. */
  constructor(options: AcceptorOptions) {
    super(options, "tcp.Acceptor");
    this.#maxConnections = options.maxConnections ?? 0;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5000;
  }

  /** True while listening. */
  get isRunning(): boolean {
    return this.#running;
  }

  /** The bound port (the OS's choice when the address had port 0); 0 when not listening. */
  get port(): number {
    return this.#listener?.address.port ?? 0;
  }

  /** Bind and start accepting. Rejects if the address cannot be bound or no processor is bound. */
  async start(): Promise<this> {
    if (this.#running) return this;
    this.requireBundle();
    const transport = await this.transport();
    this.#listener = await transport.listen({
      host: this.addressHost,
      port: this.addressPort,
      onConnection: this.#onConnection,
    });
    this.#running = true;
    this.logger.info(`[${this.name}] listening on ${this.addressHost}:${this.port}`);
    return this;
  }

  /**
   * Stop accepting, close every session (queued bytes are flushed for up to
   * `stopTimeoutMs`), and resolve when all are gone. Can be started again.
   */
  async stop(): Promise<void> {
    const listener = this.#listener;
    this.#running = false;
    this.#listener = undefined;
    const closing = listener?.close();
    await stopSessions(this.sessions, this.#stopTimeoutMs);
    await closing;
  }

  #accept(conn: Connection): void {
    if (!this.#running) {
      conn.close(false);
      return;
    }
    const max = this.#maxConnections;
    if (max > 0 && this.sessions.sessionCount() >= max) {
      this.rejectedConnections++;
      conn.close(false);
      const a = conn.remoteAddress;
      this.logger.warn(`[${this.name}] refused ${a.host}:${a.port}`, new LimitError(`maxConnections ${max} reached`));
      return;
    }
    const session = new Session(this, this.sessionOptions);
    this.sessions.add(session);
    session.attach(conn);
    session.deliverEvent(new SessionAccepted());
    session.startReading();
  }
}
