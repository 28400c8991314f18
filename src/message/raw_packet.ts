/**
 * `RawPacket`: cellnet's `cellnet.RawPacket`, a message id with ready-made body
 * bytes that bypass any codec.
 *
 * @module
 */

/**
 * A frame body sent as-is under `msgId`. Use it to forward bytes you did not
 * decode (a gateway) or to send a message whose type is not registered here.
 *
 * @example
 * ```ts
 * import { RawPacket } from "@cellnet/cellnet";
 * const pkt = new RawPacket(4673, new Uint8Array([5, 0, 104, 101, 108, 108, 111, 210, 4, 0, 0]));
 * ```
 */
export class RawPacket {
  /** The 16-bit message id written in the frame. */
  readonly msgId: number;
  /** The body bytes. */
  readonly msgData: Uint8Array;
  /** Create a raw packet; `msgData` is copied into the outgoing buffer on send. */
  constructor(msgId: number, msgData: Uint8Array) {
    this.msgId = msgId;
    this.msgData = msgData;
  }
}
