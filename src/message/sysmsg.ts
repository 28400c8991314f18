/**
 * cellnet's system events: raised locally by peers and sessions, delivered
 * to the handler like messages, and never accepted from the wire (a frame
 * carrying one of their ids is an unknown message).
 *
 * @module
 */
import { type CloseReason, closeReasonName } from "./close_reason.ts";
import { registerMessageMeta } from "./meta.ts";

/**
 * A connection was accepted by an acceptor; the session is ready to send.
 *
 * @example Greet every new session
 * ```ts
 * import { bindProcessorHandler, SessionAccepted, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof SessionAccepted) console.log("accepted", ev.session.id);
 * });
 * ```
 */
export class SessionAccepted {
  /** cellnet prints it so. */
  toString(): string {
    return "SessionAccepted";
  }
}

/**
 * A connector's dial succeeded; messages sent before it are now written.
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, SessionConnected, tcp } from "@cellnet/cellnet";
 * const client = new tcp.Connector({ address: "127.0.0.1:18801" });
 * bindProcessorHandler(client, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof SessionConnected) console.log("connected as", ev.session.id);
 * });
 * ```
 */
export class SessionConnected {
  /** cellnet prints it so. */
  toString(): string {
    return "SessionConnected";
  }
}

/**
 * A connector's dial failed; delivered for every failed dial, reconnecting or not.
 *
 * @example Give up after five failed dials
 * ```ts
 * import { bindProcessorHandler, SessionConnectError, tcp } from "@cellnet/cellnet";
 * const client = new tcp.Connector({ address: "127.0.0.1:18801", reconnectIntervalMs: 1000 });
 * bindProcessorHandler(client, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof SessionConnectError) {
 *     console.log(`dial ${ev.message.attempt} failed: ${ev.message.error?.message}`);
 *     if (ev.message.attempt >= 5) void client.stop();
 *   }
 * });
 * ```
 */
export class SessionConnectError {
  /** What went wrong: a ConnectError or TimeoutError. */
  readonly error?: Error;
  /** Failed dials in a row, this one included (1 for the first). */
  readonly attempt: number;
  /** Create the event for the error that ended the dial. */
  constructor(error?: Error, attempt = 1) {
    this.error = error;
    this.attempt = attempt;
  }
  /** cellnet prints it so. */
  toString(): string {
    return `SessionConnectError: ${this.error?.message ?? ""}`;
  }
}

/**
 * A session closed; no more events follow for it.
 *
 * @example Why did it close?
 * ```ts
 * import { bindProcessorHandler, CloseReason, closeReasonName, SessionClosed, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof SessionClosed && ev.message.reason !== CloseReason.Manual) {
 *     console.log(closeReasonName(ev.message.reason), ev.message.error?.message ?? "(clean close)");
 *   }
 * });
 * ```
 */
export class SessionClosed {
  /** Why it closed. */
  readonly reason: CloseReason;
  /**
   * The error behind the close, if any. A clean remote close (FIN) is
   * reason `IO` with no error; a network failure is `IO` with the error.
   */
  readonly error?: Error;
  /** Create the event. */
  constructor(reason: CloseReason = 0, error?: Error) {
    this.reason = reason;
    this.error = error;
  }
  /** e.g. `SessionClosed: ProtocolError: msg not exists, '4660'`. */
  toString(): string {
    return `SessionClosed: ${closeReasonName(this.reason)}${
      this.error ? `: ${this.error.message}` : ""
    }`;
  }
}

// Registered under cellnet's names so their ids are reserved (a user message
// hashing to the same id is refused), but marked system so the receive path
// rejects them.
for (
  const [type, name] of [
    [SessionAccepted, "cellnet.SessionAccepted"],
    [SessionConnected, "cellnet.SessionConnected"],
    [SessionConnectError, "cellnet.SessionConnectError"],
    [SessionClosed, "cellnet.SessionClosed"],
  ] as const
) {
  registerMessageMeta({ name, type: type as new () => object, system: true });
}
