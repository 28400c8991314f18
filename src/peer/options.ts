/**
 * Options shared by every peer, with their defaults.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { EventQueue } from "../queue/event_queue.ts";
import type { SessionIdSource } from "../session/session_id_counter.ts";
import type { RuntimeName, Transport } from "../transport/transport.ts";

/** What a session does when its unsent bytes pass {@link PeerOptions.sendQueueHighWater}. */
export type SlowConsumerPolicy = "close" | "reject";

/** What a session does with inbound messages past {@link PeerOptions.maxMessagesPerSecond}. */
export type RateLimitPolicy = "close" | "drop";

/** Options every peer takes. */
export interface PeerOptions {
  /** `host:port`; for an acceptor, port 0 binds an ephemeral port. IPv6 as `[::1]:port`. */
  readonly address: string;
  /** A name for logs (cellnet's peer name). Default: the peer type. */
  readonly name?: string;
  /** Deliver events through this queue; without one the handler is called directly. */
  readonly queue?: EventQueue;
  /**
   * Runtime adapter to use: a runtime name (`"node"` also runs under Deno
   * and Bun), the name of a registered transport, or an instance; default:
   * the detected runtime's transport for the peer's protocol.
   */
  readonly transport?: RuntimeName | (string & {}) | Transport;
  /**
   * TCP_NODELAY. Default **true**, unlike cellnet (which turns Nagle on):
   * sessions already coalesce every frame queued in one tick into one
   * write, so Nagle would only add latency (up to a delayed-ACK period) to
   * request/response traffic.
   */
  readonly noDelay?: boolean;
  /**
   * Reject inbound frames whose Length field (id + body) is `>=` this, as
   * cellnet's `SetMaxPacketSize`. Checked on the header, before the body is
   * buffered. Default 0: no limit beyond the format's own (Length ≤ 65535).
   */
  readonly maxPacketSize?: number;
  /** Close a session that receives nothing for this many ms (reason Timeout). Default 0: never. */
  readonly readTimeoutMs?: number;
  /**
   * Close a session that received part of a message and nothing more for
   * this many ms (reason Timeout): a slowloris holding sockets with one byte
   * each is cut off. Default 30000; 0: never.
   */
  readonly frameTimeoutMs?: number;
  /**
   * Inbound messages a session may deliver per second (a fixed one-second
   * window). Default 0: no limit.
   */
  readonly maxMessagesPerSecond?: number;
  /**
   * Past {@link maxMessagesPerSecond}: `close` the session with
   * `CloseReason.Limit` (default), or `drop` the message (counted in the
   * session's `droppedMessages`).
   */
  readonly rateLimitPolicy?: RateLimitPolicy;
  /** Close a session whose queued bytes do not drain for this many ms (reason Timeout). Default 0: never. */
  readonly writeTimeoutMs?: number;
  /**
   * Bound on a session's unsent bytes (its own buffer plus the runtime's).
   * Default 4 MiB.
   */
  readonly sendQueueHighWater?: number;
  /** Over the high-water mark: `close` the session (SlowConsumer, default) or `reject` the send with an error. */
  readonly slowConsumerPolicy?: SlowConsumerPolicy;
  /** Where log lines go; default: the process-wide default logger. */
  readonly logger?: Logger;
  /**
   * Where session ids come from. Default: a counter of this peer's own
   * (1, 2, 3...). Give several peers one `SessionIdCounter` and their ids
   * are distinct across all of them (a TCP and a WebSocket acceptor of one
   * service).
   */
  readonly sessionIds?: SessionIdSource;
}

/** {@link PeerOptions} with every default applied. */
export interface ResolvedSessionOptions {
  /** See {@link PeerOptions.noDelay}. */
  readonly noDelay: boolean;
  /** See {@link PeerOptions.maxPacketSize}. */
  readonly maxPacketSize: number;
  /** See {@link PeerOptions.readTimeoutMs}. */
  readonly readTimeoutMs: number;
  /** See {@link PeerOptions.frameTimeoutMs}. */
  readonly frameTimeoutMs: number;
  /** See {@link PeerOptions.maxMessagesPerSecond}. */
  readonly maxMessagesPerSecond: number;
  /** See {@link PeerOptions.rateLimitPolicy}. */
  readonly rateLimitPolicy: RateLimitPolicy;
  /** See {@link PeerOptions.writeTimeoutMs}. */
  readonly writeTimeoutMs: number;
  /** See {@link PeerOptions.sendQueueHighWater}. */
  readonly sendQueueHighWater: number;
  /** See {@link PeerOptions.slowConsumerPolicy}. */
  readonly slowConsumerPolicy: SlowConsumerPolicy;
}

/** Default send-queue bound per session. */
export const DEFAULT_SEND_QUEUE_HIGH_WATER: number = 4 * 1024 * 1024;

/** Default of {@link PeerOptions.frameTimeoutMs}. */
export const DEFAULT_FRAME_TIMEOUT_MS = 30_000;

/** Apply defaults and validate; throws RangeError for a negative or non-numeric limit. */
export function resolveSessionOptions(o: Partial<PeerOptions>): ResolvedSessionOptions {
  const num = (name: string, v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== "number" || !(v >= 0)) {
      throw new RangeError(`${name} must be a number >= 0, got ${v}`);
    }
    return v;
  };
  const policy = o.slowConsumerPolicy ?? "close";
  if (policy !== "close" && policy !== "reject") {
    throw new RangeError(`slowConsumerPolicy must be "close" or "reject", got ${policy}`);
  }
  const ratePolicy = o.rateLimitPolicy ?? "close";
  if (ratePolicy !== "close" && ratePolicy !== "drop") {
    throw new RangeError(`rateLimitPolicy must be "close" or "drop", got ${ratePolicy}`);
  }
  return {
    noDelay: o.noDelay ?? true,
    maxPacketSize: num("maxPacketSize", o.maxPacketSize, 0),
    readTimeoutMs: num("readTimeoutMs", o.readTimeoutMs, 0),
    frameTimeoutMs: num("frameTimeoutMs", o.frameTimeoutMs, DEFAULT_FRAME_TIMEOUT_MS),
    maxMessagesPerSecond: num("maxMessagesPerSecond", o.maxMessagesPerSecond, 0),
    rateLimitPolicy: ratePolicy,
    writeTimeoutMs: num("writeTimeoutMs", o.writeTimeoutMs, 0),
    sendQueueHighWater: num(
      "sendQueueHighWater",
      o.sendQueueHighWater,
      DEFAULT_SEND_QUEUE_HIGH_WATER,
    ),
    slowConsumerPolicy: policy,
  };
}
