/**
 * The generic acceptor: listens through the peer protocol's transport and
 * turns each accepted connection into a session (cellnet's
 * `peer/tcp/acceptor.go`, for any protocol). `tcp.Acceptor` is this under
 * cellnet's type name.
 *
 * @module
 */
import { LimitError } from "../errors.ts";
import { SessionAccepted } from "../message/sysmsg.ts";
import { CoreSession } from "../session/session.ts";
import type { Connection, Listener } from "../transport/transport.ts";
import { BasePeer } from "./base_peer.ts";
import type { PeerOptions } from "./options.ts";
import { stopSessions } from "./_stop_sessions.ts";
import type { CloseReason } from "../message/close_reason.ts";

/** Options of an acceptor. */
export interface AcceptorOptions extends PeerOptions {
  /** Refuse connections beyond this many live sessions (closed at once, counted in `rejectedConnections`). Default 0: no limit. */
  readonly maxConnections?: number;
  /**
   * Refuse a connection when its remote IP already has this many live
   * sessions (closed at once, logged, counted in `rejectedConnections`).
   * Default 0: no limit.
   */
  readonly maxConnectionsPerIp?: number;
  /** How long `stop()` lets sessions flush queued bytes before destroying them. Default 5000 ms. */
  readonly stopTimeoutMs?: number;
}

/**
 * Accepts connections; each becomes a session announced with `SessionAccepted`.
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
export class GenericAcceptor extends BasePeer {
  /** cellnet's peer type name. */
  readonly typeName: string;
  /** Connections refused by `maxConnections` or `maxConnectionsPerIp` since construction. */
  rejectedConnections = 0;
  readonly #maxConnections: number;
  readonly #maxPerIp: number;
  readonly #stopTimeoutMs: number;
  /** Live sessions per remote IP, kept only when `maxConnectionsPerIp` is set. */
  readonly #perIp = new Map<string, number>();
  #listener: Listener | undefined;
  readonly #onConnection = (conn: Connection) => this.#accept(conn);

  /** Create an acceptor of `protocol` registered as `typeName`; nothing happens until {@link start}. */
  constructor(options: AcceptorOptions, typeName: string, protocol: string) {
    super(options, typeName, protocol);
    this.typeName = typeName;
    const count = (name: string, v: number | undefined): number => {
      if (v === undefined) return 0;
      if (!Number.isInteger(v) || v < 0) {
        throw new RangeError(`${name} must be an integer >= 0, got ${v}`);
      }
      return v;
    };
    this.#maxConnections = count("maxConnections", options.maxConnections);
    this.#maxPerIp = count("maxConnectionsPerIp", options.maxConnectionsPerIp);
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5000;
  }

  /** The bound port (the OS's choice when the address had port 0); 0 when not listening. */
  get port(): number {
    return this.#listener?.address.port ?? 0;
  }

  /** Bind, then accept; undone if a stop came first. */
  protected async onStart(current: () => boolean): Promise<void> {
    const transport = await this.transport();
    if (!current()) return;
    const { host, port, path } = this.endpoint;
    const listener = await transport.listen({
      host,
      port,
      path,
      protocolOptions: this.protocolOptions(),
      onConnection: this.#onConnection,
    });
    if (!current()) {
      await listener.close();
      return;
    }
    this.#listener = listener;
    this.logger.info(`[${this.name}] listening on ${this.address} (port ${this.port})`);
  }

  /**
   * Stop accepting, close every session (queued bytes are flushed for up to
   * `stopTimeoutMs`), and resolve when all are gone. Can be started again.
   */
  protected async onStop(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    const closing = listener?.close();
    await stopSessions(this.sessions, this.#stopTimeoutMs);
    await closing;
  }

  /**
   * A connection became `session`, just before `SessionAccepted` is
   * delivered: a protocol's acceptor sets what the handler should find on
   * it (gorillaws: the upgrade request as context `"request"`).
   */
  protected prepareSession(_session: CoreSession, _conn: Connection): void {}

  /** A session closed: forget it and its IP's count. */
  protected override onSessionClosed(
    session: CoreSession,
    reason: CloseReason,
    error?: Error,
  ): void {
    super.onSessionClosed(session, reason, error);
    if (this.#maxPerIp > 0) {
      const ip = session.raw?.remoteAddress.host ?? "";
      const n = (this.#perIp.get(ip) ?? 1) - 1;
      if (n > 0) this.#perIp.set(ip, n);
      else this.#perIp.delete(ip);
    }
  }

  #accept(conn: Connection): void {
    // Set only while listening for the current start; cleared by stop.
    if (this.#listener === undefined) {
      conn.close(false);
      return;
    }
    const max = this.#maxConnections;
    if (max > 0 && this.sessions.sessionCount() >= max) {
      this.#refuse(conn, `maxConnections ${max} reached`);
      return;
    }
    const ip = conn.remoteAddress.host;
    if (this.#maxPerIp > 0) {
      const n = this.#perIp.get(ip) ?? 0;
      if (n >= this.#maxPerIp) {
        this.#refuse(conn, `maxConnectionsPerIp ${this.#maxPerIp} reached for ${ip}`);
        return;
      }
      this.#perIp.set(ip, n + 1);
    }
    const session = new CoreSession(this, this.sessionOptions, this.sessionHost);
    this.sessions.add(session);
    session.attach(conn);
    this.prepareSession(session, conn);
    session.deliverEvent(new SessionAccepted());
    session.startReading();
  }

  /** A limit refused the connection before it became a session: close it, count it, say so. */
  #refuse(conn: Connection, why: string): void {
    this.rejectedConnections++;
    conn.close(false);
    const a = conn.remoteAddress;
    const where = a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
    this.logger.warn(`[${this.name}] refused ${where}`, new LimitError(why));
  }
}
