/**
 * `tcp.Connector`: dials one address, owns one session, and redials after
 * a failure or close when a reconnect interval is set (cellnet's
 * `peer/tcp/connector.go`).
 *
 * @module
 */
import { SessionConnected, SessionConnectError } from "../../message/sysmsg.ts";
import type { CloseReason } from "../../message/close_reason.ts";
import type { Connection } from "../../transport/transport.ts";
import { Session } from "../../session/session.ts";
import { BasePeer } from "../base_peer.ts";
import type { PeerOptions } from "../options.ts";
import { closedWithin } from "./_stop_sessions.ts";

/** Options of {@link TCPConnector}. */
export interface ConnectorOptions extends PeerOptions {
  /** Redial this many ms after a failed dial or a close; 0 (default): never (cellnet's `SetReconnectDuration`). */
  readonly reconnectIntervalMs?: number;
  /** Give up a dial after this many ms; 0 (default): the OS's own timeout. */
  readonly connectTimeoutMs?: number;
  /** How long `stop()` lets the session flush queued bytes before destroying it. Default 5000 ms. */
  readonly stopTimeoutMs?: number;
}

/**
 * Dials `address`; its one {@link session} is announced with
 * `SessionConnected`, or `SessionConnectError` when the dial fails and no
 * reconnect is set. Messages sent before the connection is up are kept and
 * written once it is (cellnet drops them).
 *
 * @example A client with reconnect
 * ```ts
 * import { bindProcessorHandler, SessionConnected, tcp } from "@cellnet/cellnet";
 * const connector = new tcp.Connector({ address: "127.0.0.1:18801", reconnectIntervalMs: 1000 });
 * bindProcessorHandler(connector, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof SessionConnected) console.log("connected");
 * });
 * await connector.start();
 * await connector.stop();
 * ```
 */
export class TCPConnector extends BasePeer {
  /** cellnet's peer type name. */
  readonly typeName: string;
  /** Redial interval in ms (0: no reconnect); may be changed at any time. */
  reconnectIntervalMs: number;
  readonly #connectTimeoutMs: number;
  readonly #stopTimeoutMs: number;
  readonly #session: Session;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** True from attaching a connection until its session closes. */
  #connected = false;
  /** Bumped by every start and stop so a dial that outlived its start is dropped. */
  #generation = 0;
  readonly #redial = () => {
    this.#timer = undefined;
    void this.dial(this.#generation);
  };

  /** Create a connector; nothing happens until {@link start}. */
  constructor(options: ConnectorOptions, typeName = "tcp.Connector") {
    super(options, typeName);
    this.typeName = typeName;
    this.reconnectIntervalMs = options.reconnectIntervalMs ?? 0;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 0;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5000;
    this.#session = new Session(this, this.sessionOptions);
  }

  /** The connector's one session (cellnet's `Session()`); usable before it connects. */
  get session(): Session {
    return this.#session;
  }

  /** True between {@link start} and {@link stop}, connected or not. */
  get isRunning(): boolean {
    return this.#running;
  }

  /** True while the session is connected. */
  get isConnected(): boolean {
    return this.#session.isOpen;
  }

  /** Start dialling in the background and return at once, as cellnet's `Start`. */
  start(): Promise<this> {
    if (!this.#running) void this.begin();
    return Promise.resolve(this);
  }

  /** Start running and make the first dial; resolves with its outcome. */
  protected begin(): Promise<boolean> {
    this.requireBundle();
    this.#running = true;
    this.#session.reset();
    return this.dial(++this.#generation);
  }

  /** Stop redialling, close the session (flushing queued bytes) and resolve when it is closed. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#generation++;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const open = this.#session.isOpen;
    this.#session.close();
    if (open) await closedWithin([this.#session], this.#stopTimeoutMs);
  }

  /**
   * Dial once. Resolves true when connected; on failure delivers
   * `SessionConnectError` (no reconnect) or schedules a redial, and resolves
   * false. Never rejects.
   */
  protected async dial(generation: number): Promise<boolean> {
    let conn: Connection;
    try {
      const transport = await this.transport();
      conn = await transport.connect({ host: this.addressHost, port: this.addressPort, timeoutMs: this.#connectTimeoutMs });
    } catch (e) {
      if (generation !== this.#generation) return false;
      const error = e instanceof Error ? e : new Error(String(e));
      this.lastConnectError = error;
      if (this.reconnectIntervalMs > 0) {
        this.logger.debug(`[${this.name}] connect to ${this.address} failed, retry in ${this.reconnectIntervalMs} ms: ${error.message}`);
        this.#timer = setTimeout(this.#redial, this.reconnectIntervalMs);
      } else {
        this.#running = false;
        this.logger.warn(`[${this.name}] connect to ${this.address} failed: ${error.message}`);
        this.#session.deliverEvent(new SessionConnectError(error));
      }
      return false;
    }
    if (generation !== this.#generation) {
      conn.close(false);
      return false;
    }
    const session = this.#session;
    session.reset();
    this.sessions.add(session);
    this.#connected = true;
    session.attach(conn);
    this.logger.debug(`[${this.name}] connected to ${this.address} as session ${session.id}`);
    session.deliverEvent(new SessionConnected());
    session.startReading();
    return true;
  }

  /** The error of the last failed dial, if any. */
  lastConnectError: Error | undefined;

  /** The session closed: forget it and redial if configured. */
  override sessionClosed(session: Session, reason: CloseReason, error?: Error): void {
    super.sessionClosed(session, reason, error);
    const wasConnected = this.#connected;
    this.#connected = false;
    if (!wasConnected) {
      // Closed before it connected (its backlog passed the send-queue bound): the
      // dial under way or the redial already scheduled carries on; a second one
      // would attach a second connection to the session.
      if (this.#running) session.reset();
      return;
    }
    if (this.#running && this.reconnectIntervalMs > 0) {
      // Sends made while reconnecting are kept for the next connection.
      session.reset();
      this.#timer = setTimeout(this.#redial, this.reconnectIntervalMs);
    } else if (this.#running) {
      this.#running = false;
    }
  }
}
