/**
 * Why a session closed, carried on {@link import("./sysmsg.ts").SessionClosed}.
 * `IO` and `Manual` have cellnet's values (0 and 1); the rest are cellnet-ts's.
 *
 * @module
 */

/** Why a session closed. */
export const CloseReason = {
  /** The remote side closed, or the socket failed (reset, broken pipe). cellnet's `CloseReason_IO`. */
  IO: 0,
  /** This side called `session.close()` or stopped the peer. cellnet's `CloseReason_Manual`. */
  Manual: 1,
  /** Nothing was received within the read timeout, or queued bytes did not drain within the write timeout. */
  Timeout: 2,
  /** Unsent bytes passed the send-queue high-water mark: the remote reads too slowly. */
  SlowConsumer: 3,
  /** The remote sent bytes that break the protocol (bad frame, unknown id, undecodable body). */
  ProtocolError: 4,
  /** A peer limit refused the session (such as the acceptor's connection limit). */
  Limit: 5,
} as const;

/** One of the {@link CloseReason} values. */
export type CloseReason = typeof CloseReason[keyof typeof CloseReason];

const names = Object.fromEntries(Object.entries(CloseReason).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

/**
 * The name of a close reason, e.g. `"Manual"`; `"Unknown"` for other numbers (as cellnet prints).
 *
 * @example
 * ```ts
 * import { CloseReason, closeReasonName } from "@cellnet/cellnet";
 * console.log(closeReasonName(CloseReason.SlowConsumer)); // "SlowConsumer"
 * ```
 */
export function closeReasonName(reason: number): string {
  return names[reason] ?? "Unknown";
}
