/**
 * `relay.RecvMsgEvent`: how a relayed message reaches the handler.
 *
 * @module
 */
import type { Event, Session } from "../cellnet.ts";
import type { RelayACK } from "../message/cellnet_messages.ts";
import { relay } from "./relay.ts";

/** The pass-through values of a received relay, zero when absent. */
export interface PassThroughValues {
  /** `RelayACK.Int64` (cellnet's `PassThroughAsInt64()`). */
  readonly int64: bigint;
  /** `RelayACK.Int64Slice` (cellnet's `PassThroughAsInt64Slice()`). */
  readonly int64Slice: readonly bigint[];
  /** `RelayACK.Str` (cellnet's `PassThroughAsString()`). */
  readonly str: string;
  /** `RelayACK.Bytes` (cellnet has no accessor for it). */
  readonly bytes: Uint8Array;
}

/**
 * A received relay (cellnet's `relay.RecvMsgEvent`): `message` is the
 * decoded inner message (undefined when the relay carried none, Go's nil),
 * `passThrough` its pass-through values, and {@link reply} relays a message
 * back with the same `int64`, `int64Slice` and `str` (not `bytes`, as Go).
 *
 * @example A backend answers the client the gateway named
 * ```ts
 * import { bindProcessorHandler, relay, tcp } from "@cellnet/cellnet";
 * const backend = new tcp.Connector({ name: "backend", address: "127.0.0.1:16802" });
 * bindProcessorHandler(backend, "tcp.ltv", (ev) => {
 *   if (ev instanceof relay.RecvMsgEvent && ev.message) {
 *     console.log("from client", ev.passThrough.int64);
 *     ev.reply(ev.message); // back through the gateway to that client
 *   }
 * });
 * ```
 */
export class RecvMsgEvent implements Event<object | undefined> {
  /** The session the relay came on. */
  readonly session: Session;
  /** The inner message, or undefined when the relay carried none. */
  readonly message: object | undefined;
  /** The envelope as received. */
  readonly ack: RelayACK;
  /** The pass-through values. */
  readonly passThrough: PassThroughValues;

  /** Wrap a received relay; the relay hooker makes these. */
  constructor(session: Session, message: object | undefined, ack: RelayACK) {
    this.session = session;
    this.message = message;
    this.ack = ack;
    this.passThrough = {
      int64: ack.Int64,
      int64Slice: ack.Int64Slice,
      str: ack.Str,
      bytes: ack.Bytes,
    };
  }

  /** Relay `message` back on this session with this relay's int64, int64Slice and str. */
  reply(message: object): boolean {
    const { int64, int64Slice, str } = this.passThrough;
    return relay(this.session, message, { int64, int64Slice, str });
  }
}
