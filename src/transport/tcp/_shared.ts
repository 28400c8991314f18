/**
 * What the three socket adapters share besides the connection core: the
 * lifecycle states, the graceful-close linger, and the errors they report.
 *
 * @module
 */
import {
  AddressInUseError,
  ConnectError,
  ListenError,
  NetworkError,
  TimeoutError,
} from "../../errors.ts";
import { osErrorCode, osErrorReason } from "../_os_error.ts";

/**
 * A graceful close gives up (destroys the socket) after this long without
 * progress: no queued byte written, or, once all is written, no FIN from the peer.
 */
export const LINGER_MS = 2000;

/** Connection lifecycle; plain constants rather than an enum so the files are erasable TypeScript. */
export const OPEN = 0;
/** Graceful close or remote end: no more onData, writes ignored, flushing. */
export const CLOSING = 1;
/** Destroyed or closed; only the single onClose remains. */
export const CLOSED = 2;
/** One of {@link OPEN}, {@link CLOSING}, {@link CLOSED}. */
export type State = typeof OPEN | typeof CLOSING | typeof CLOSED;

/** `[::1]:80` or `127.0.0.1:80`, for messages. */
export function formatAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A failed dial: `connect to 127.0.0.1:1 failed: connection refused (ECONNREFUSED)`. */
export function connectError(where: string, err: unknown): ConnectError {
  const code = osErrorCode(err);
  const message = `connect to ${where} failed: ${osErrorReason(err, code)}`;
  return new ConnectError(message, { cause: err, code });
}

/** A dial cut off by `timeoutMs`. */
export function connectTimeout(where: string, timeoutMs: number, cause?: unknown): TimeoutError {
  const message = `connect to ${where} timed out after ${timeoutMs} ms`;
  return new TimeoutError(message, cause === undefined ? undefined : { cause });
}

/** A failed bind: an {@link AddressInUseError} for EADDRINUSE, a {@link ListenError} otherwise. */
export function listenError(where: string, err: unknown): ListenError {
  const code = osErrorCode(err);
  const message = `listen on ${where} failed: ${osErrorReason(err, code)}`;
  if (code === "EADDRINUSE") return new AddressInUseError(message, { cause: err });
  return new ListenError(message, { cause: err, code });
}

/** A runtime's error under an established connection (reset, broken pipe), for onClose. */
export function networkError(err: unknown): NetworkError {
  if (err instanceof NetworkError) return err;
  const code = osErrorCode(err);
  return new NetworkError(osErrorReason(err, code), { cause: err, code });
}

/** `err` as an Error (runtimes may reject with other values). */
export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Surface a bug in caller code (a throwing handler) the way an uncaught
 * exception in an event listener would, without throwing out of the socket
 * callback that happened to run it.
 */
export function reportLater(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/**
 * Bounds a graceful close that waits on the peer: a peer that stops reading
 * would otherwise keep the flush, and the connection, alive forever. A slow
 * but moving flush re-arms the timer, so it is not cut short. Created only
 * when a connection starts closing.
 */
export class Linger {
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #unsent: () => number;
  readonly #giveUp: (error: Error | undefined) => void;

  /** `unsent` reads the bytes still queued; `giveUp` destroys the connection (with a TimeoutError if bytes were left). */
  constructor(unsent: () => number, giveUp: (error: Error | undefined) => void) {
    this.#unsent = unsent;
    this.#giveUp = giveUp;
  }

  /** Start the timer unless it runs; `lastUnsent` is what progress is measured against. */
  arm(lastUnsent: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const left = this.#unsent();
      if (left < lastUnsent) {
        this.arm(left);
        return;
      }
      this.#giveUp(
        left > 0
          ? new TimeoutError(
            `close: ${left} bytes still unsent after ${LINGER_MS} ms without progress`,
          )
          : undefined,
      );
    }, LINGER_MS);
  }

  /** Stop the timer (the connection closed). */
  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
