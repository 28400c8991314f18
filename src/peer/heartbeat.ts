/**
 * A client-side heartbeat: a connector sends a message of the user's choice
 * every few milliseconds while it is connected, so a server with
 * `readTimeoutMs` keeps it and drops only the silent (cellnet users write
 * this timer by hand).
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { Session } from "../cellnet.ts";

/** What a heartbeat needs of a connector (`tcp.Connector` and `tcp.SyncConnector` have it). */
export interface HeartbeatTarget {
  /** Name used in log lines. */
  readonly name: string;
  /** Where a failed beat is logged. */
  readonly logger: Logger;
  /** True between start and stop. */
  readonly isRunning: boolean;
  /** True while the session is connected. */
  readonly isConnected: boolean;
  /** The session beats are sent on. */
  readonly session: Session;
}

/** Options of {@link startHeartbeat}. */
export interface HeartbeatOptions {
  /** Send a beat every this many ms while connected. Must be > 0; keep it well under the server's `readTimeoutMs`. */
  readonly intervalMs: number;
  /** Makes the message of one beat (called once per beat), e.g. `() => new PingREQ()`. */
  readonly message: () => object;
}

/** A running heartbeat, returned by {@link startHeartbeat}. */
export interface Heartbeat {
  /** Beats sent so far. */
  readonly beats: number;
  /** True until {@link stop} (or until the connector stopped). */
  readonly isRunning: boolean;
  /** Stop sending. Idempotent. */
  stop(): void;
}

/**
 * Send `options.message()` on `connector`'s session every `intervalMs`
 * while it is connected. Nothing is sent (or kept for later) while it is
 * not connected, so beats do not pile up between reconnects. The timer
 * stops by itself once the connector has been stopped (or gave up without
 * reconnect), so it never keeps a process alive; call `stop()` to end it
 * earlier. A beat that cannot be encoded is logged on the connector's
 * logger and the heartbeat stops.
 *
 * @example Keep a client alive on a server with a 30 s read timeout
 * ```ts
 * import { bindProcessorHandler, defineMessage, startHeartbeat, t, tcp } from "@cellnet/cellnet";
 *
 * const PingREQ = defineMessage("proto.PingREQ", { Time: t.int64 });
 * const client = new tcp.Connector({ address: "127.0.0.1:18801", reconnectIntervalMs: 1000 });
 * bindProcessorHandler(client, "tcp.ltv", () => {});
 * await client.start();
 * const heartbeat = startHeartbeat(client, {
 *   intervalMs: 10_000,
 *   message: () => new PingREQ({ Time: BigInt(Date.now()) }),
 * });
 * // ...
 * heartbeat.stop();
 * await client.stop();
 * ```
 */
export function startHeartbeat(connector: HeartbeatTarget, options: HeartbeatOptions): Heartbeat {
  const { intervalMs, message } = options;
  if (typeof intervalMs !== "number" || !(intervalMs > 0)) {
    throw new RangeError(`heartbeat intervalMs must be a number > 0, got ${intervalMs}`);
  }
  if (typeof message !== "function") {
    throw new TypeError("heartbeat message must be a function that returns a message");
  }
  let beats = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let seenRunning = connector.isRunning;
  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const beat = (): void => {
    if (!connector.isRunning) {
      // Started before the connector: wait for it. Stopped after running: done.
      if (seenRunning) stop();
      return;
    }
    seenRunning = true;
    if (!connector.isConnected) return;
    try {
      if (connector.session.send(message())) beats++;
    } catch (e) {
      connector.logger.error(
        `[${connector.name}] heartbeat stopped: the beat message cannot be sent`,
        e,
      );
      stop();
    }
  };
  timer = setInterval(beat, intervalMs);
  return {
    get beats() {
      return beats;
    },
    get isRunning() {
      return timer !== undefined;
    },
    stop,
  };
}
