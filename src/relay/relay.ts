/**
 * `relay.relay`: cellnet's `relay.Relay`, one `RelayACK` carrying an
 * optional message and pass-through values.
 *
 * @module
 */
import { RelayACK } from "../message/cellnet_messages.ts";
import { encodeMessage } from "../message/encode.ts";
import { type SessionTarget, targetSession } from "../session/_target.ts";

/**
 * The values a relay carries past the message, unread by the relay itself
 * (cellnet's pass-through `int64`, `[]int64`, `string`, and the `[]byte`
 * payload). Numbers are taken as int64 (they must be integers).
 */
export interface PassThrough {
  /** `RelayACK.Int64`, e.g. the client session id a gateway routes by. */
  readonly int64?: bigint | number;
  /** `RelayACK.Int64Slice`, e.g. the session ids of a broadcast. */
  readonly int64Slice?: readonly (bigint | number)[];
  /** `RelayACK.Str`. */
  readonly str?: string;
  /** `RelayACK.Bytes`, a raw payload (not echoed by `reply`). */
  readonly bytes?: Uint8Array;
}

const NO_IDS: bigint[] = [];

/**
 * Relay `message` (encoded with its own codec; none when undefined) and the
 * pass-through values to `target`, a session or a connector (cellnet's
 * `relay.Relay(ses, msg, int64(id), …)`). Zero values are not written, as in
 * Go, so a zero `int64` cannot be told from none. Returns what
 * `session.send` returns; throws `TypeError` for a bad target or
 * non-integer number, and the encoding errors of `send`.
 *
 * @example A gateway forwards a client's message with the client's id
 * ```ts
 * import { relay, type Event, type Session } from "@cellnet/cellnet";
 * function forward(ev: Event, backend: Session): void {
 *   relay.relay(backend, ev.message as object, { int64: ev.session.id });
 * }
 * ```
 */
export function relay(
  target: SessionTarget,
  message?: object,
  passThrough: PassThrough = {},
): boolean {
  const session = targetSession(target, "relay.relay");
  const ack = new RelayACK({
    Bytes: passThrough.bytes,
    Int64: passThrough.int64 === undefined ? 0n : int64(passThrough.int64),
    Int64Slice: passThrough.int64Slice?.map(int64) ?? NO_IDS,
    Str: passThrough.str,
  });
  if (message !== undefined && message !== null) {
    const { id, body } = encodeMessage(message);
    ack.MsgID = id;
    ack.Msg = body;
  }
  return session.send(ack);
}

function int64(v: bigint | number): bigint {
  if (typeof v === "bigint") return v;
  if (!Number.isInteger(v)) {
    throw new TypeError(`relay.relay: pass-through int64 must be an integer, got ${v}`);
  }
  return BigInt(v);
}
