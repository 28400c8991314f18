/**
 * The process-wide rpc counters and the call-id counter.
 *
 * @module
 */
import { counters, setLastCallId } from "./_pending.ts";

/** What {@link stats} reports, counted since the process started. */
export interface RpcStats {
  /** Calls waiting for their reply now (envelope and typed). */
  readonly pending: number;
  /** Calls that timed out. */
  readonly timeouts: number;
  /**
   * Replies that matched no pending call and were dropped: the call timed
   * out or was aborted, or (an ACK) no such call was made on that session.
   */
  readonly lateReplies: number;
}

/**
 * A snapshot of the rpc counters.
 *
 * @example
 * ```ts
 * import { rpc } from "@cellnet/cellnet";
 * const { pending, timeouts, lateReplies } = rpc.stats();
 * console.log(pending, timeouts, lateReplies);
 * ```
 */
export function stats(): RpcStats {
  return { ...counters };
}

/**
 * Make the next call id `base + 1` (like `setSessionIdBase`). Ids are
 * process-wide and start at 1, as cellnet's; tests use this to reproduce
 * Go's frames, and a process may use it to keep ids apart from an earlier
 * run's. `base` must be a non-negative safe integer.
 *
 * @example
 * ```ts
 * import { rpc } from "@cellnet/cellnet";
 * rpc.setCallIdBase(299); // the next call has CallID 300
 * ```
 */
export function setCallIdBase(base: number): void {
  if (!Number.isSafeInteger(base) || base < 0) {
    throw new RangeError(
      `rpc.setCallIdBase: base must be a non-negative safe integer, got ${base}`,
    );
  }
  setLastCallId(base);
}
