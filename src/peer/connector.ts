/**
 * The generic connector: dials one address through the peer protocol's
 * transport, owns one session, and redials after a failure or close when a
 * reconnect interval is set (cellnet's `peer/tcp/connector.go`, for any
 * protocol). `tcp.Connector` is this under cellnet's type name.
 *
 * @module
 */
import type { Session } from "../cellnet.ts";
import type { CloseReason } from "../message/close_reason.ts";
import { SessionConnected, SessionConnectError } from "../message/sysmsg.ts";
import { CoreSession } from "../session/session.ts";
import type { Connection } from "../transport/transport.ts";
import { BasePeer } from "./base_peer.ts";
import type { PeerOptions } from "./options.ts";
import { closedWithin } from "./_stop_sessions.ts";

/** Options of a connector. */
export interface ConnectorOptions extends PeerOptions {
  /** Redial this many ms after a failed dial or a close; 0 (default): never (cellnet's `SetReconnectDuration`). */
  readonly reconnectIntervalMs?: number;
  /** Give up a dial after this many ms; 0 (default): the OS's own timeout. */
  readonly connectTimeoutMs?: number;
  /** How long `stop()` lets the session flush queued bytes before destroying it. Default 5000 ms. */
  readonly stopTimeoutMs?: number;
}

/**
 * Failed dials in a row logged at warn level; after that only every
 * {@link LOG_EVERY}th is (cellnet mutes after 3), the rest at debug.
 */
const LOUD_ATTEMPTS = 3;
/** See {@link LOUD_ATTEMPTS}. */
const LOG_EVERY = 20;

/**
 * Dials `address`; its one {@link session} is announced with
 * `SessionConnected`. Every failed dial delivers `SessionConnectError`
 * (with the error and the attempt number), reconnecting or not. Messages
 * sent before the connection is up are kept and written once it is
 * (cellnet drops them).
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
export class GenericConnector extends BasePeer {
  /** cellnet's peer type name. */
  readonly typeName: string;
  /** Redial interval in ms (0: no reconnect); may be changed at any time. */
  reconnectIntervalMs: number;
  /** The error of the last failed dial, if any. */
  lastConnectError: Error | undefined;
  readonly #connectTimeoutMs: number;
  readonly #stopTimeoutMs: number;
  readonly #session: CoreSession;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** True from attaching a connection until its session closes. */
  #connected = false;
  /** Failed dials since the last success. */
  #failures = 0;
  /** Bumped by every start and stop so a dial that outlived its start is dropped. */
  #dialGeneration = 0;
  /** Ends the wait of the dial under way, when a stop abandons it. */
  #abandonWait: (() => void) | undefined;
  readonly #redial = () => {
    this.#timer = undefined;
    void this.dial(this.#dialGeneration);
  };

  /** Create a connector of `protocol` registered as `typeName`; nothing happens until {@link start}. */
  constructor(options: ConnectorOptions, typeName: string, protocol: string) {
    super(options, typeName, protocol);
    this.typeName = typeName;
    this.reconnectIntervalMs = options.reconnectIntervalMs ?? 0;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 0;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5000;
    this.#session = new CoreSession(this, this.sessionOptions, this.sessionHost);
  }

  /** The connector's one session (cellnet's `Session()`); usable before it connects. */
  get session(): Session {
    return this.#session;
  }

  /** True while the session is connected. */
  get isConnected(): boolean {
    return this.#session.isOpen;
  }

  /** Nothing to wait for: `start()` resolves at once, as cellnet's `Start`. */
  protected onStart(_current: () => boolean): Promise<void> {
    return Promise.resolve();
  }

  /** Dial in the background once running, so a failure can stop a running connector. */
  protected override onRunning(): void {
    void this.beginDialing();
  }

  /** Reset the session and make the first dial; resolves with its outcome. */
  protected beginDialing(): Promise<boolean> {
    this.#failures = 0;
    this.#session.reset();
    return this.dial(++this.#dialGeneration);
  }

  /** A stop during a sync connector's start: abandon its dial rather than wait for it. */
  protected override cancelStart(): void {
    this.#abandonDial();
  }

  /** Stop redialling, close the session (flushing queued bytes) and resolve when it is closed. */
  protected async onStop(): Promise<void> {
    this.#abandonDial();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const open = this.#session.isOpen;
    this.#session.closeGoingAway();
    if (open) await closedWithin([this.#session], this.#stopTimeoutMs);
  }

  /**
   * Dial once. Resolves true when connected; on failure delivers
   * `SessionConnectError`, schedules a redial if configured (else the
   * connector stops), and resolves false. Never rejects.
   */
  protected async dial(generation: number): Promise<boolean> {
    let conn: Connection | undefined;
    try {
      const transport = await this.transport();
      if (generation !== this.#dialGeneration) return false;
      const { host, port, path, scheme } = this.endpoint;
      const connecting = transport.connect({
        host,
        port,
        path,
        scheme,
        timeoutMs: this.#connectTimeoutMs,
        protocolOptions: this.protocolOptions(),
      });
      // A stop does not wait for a dial that may hang up to the OS's timeout:
      // it ends this wait, and a connection that comes later is closed.
      const abandoned = new Promise<undefined>((resolve) => {
        this.#abandonWait = () => resolve(undefined);
      });
      conn = await Promise.race([connecting, abandoned]);
      if (conn === undefined) connecting.then((late) => late.close(false), () => {});
    } catch (e) {
      if (generation !== this.#dialGeneration) return false;
      this.#dialFailed(e instanceof Error ? e : new Error(String(e)));
      return false;
    } finally {
      if (generation === this.#dialGeneration) this.#abandonWait = undefined;
    }
    if (conn === undefined) return false;
    if (generation !== this.#dialGeneration) {
      conn.close(false);
      return false;
    }
    const session = this.#session;
    session.reset();
    this.sessions.add(session);
    this.#connected = true;
    this.#failures = 0;
    session.attach(conn);
    this.logger.debug(`[${this.name}] connected to ${this.address} as session ${session.id}`);
    session.deliverEvent(new SessionConnected());
    session.startReading();
    return true;
  }

  /** Drop the dial under way (its outcome is ignored) and end its wait. */
  #abandonDial(): void {
    this.#dialGeneration++;
    const abandon = this.#abandonWait;
    this.#abandonWait = undefined;
    abandon?.();
  }

  #dialFailed(error: Error): void {
    this.lastConnectError = error;
    const attempt = ++this.#failures;
    const retry = this.reconnectIntervalMs;
    const loud = attempt <= LOUD_ATTEMPTS || attempt % LOG_EVERY === 0;
    const line = `[${this.name}] ${error.message}` +
      (retry > 0 ? ` (attempt ${attempt}, retry in ${retry} ms)` : "") +
      (retry > 0 && attempt === LOUD_ATTEMPTS
        ? `; further failures are logged every ${LOG_EVERY}th`
        : "");
    if (loud) this.logger.warn(line);
    else this.logger.debug(line);
    if (retry > 0) this.#timer = setTimeout(this.#redial, retry);
    else this.stoppedByItself();
    this.#session.deliverEvent(new SessionConnectError(error, attempt));
  }

  /** The session closed: forget it and redial if configured. */
  protected override onSessionClosed(
    session: CoreSession,
    reason: CloseReason,
    error?: Error,
  ): void {
    super.onSessionClosed(session, reason, error);
    const wasConnected = this.#connected;
    this.#connected = false;
    const running = this.isRunning;
    if (!wasConnected) {
      // Closed before it connected (its backlog passed the send-queue bound): the
      // dial under way or the redial already scheduled carries on; a second one
      // would attach a second connection to the session.
      if (running) session.reset();
      return;
    }
    if (running && this.reconnectIntervalMs > 0) {
      // Sends made while reconnecting are kept for the next connection.
      session.reset();
      this.#timer = setTimeout(this.#redial, this.reconnectIntervalMs);
    } else if (running) {
      this.stoppedByItself();
    }
  }
}
