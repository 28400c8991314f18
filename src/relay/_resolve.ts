/**
 * Internal: what the message hooker does with a `RelayACK` on the way in
 * (cellnet's `relay.ResoleveInboundEvent`).
 *
 * @module
 */
import type { Event } from "../cellnet.ts";
import type { RelayACK } from "../message/cellnet_messages.ts";
import { decodeMessage } from "../message/encode.ts";
import type { PeerMsgLog } from "../msglog/_peer_state.ts";
import { invokeReporting } from "../queue/event_queue.ts";
import { broadcasterOf } from "./broadcaster.ts";
import { RecvMsgEvent } from "./recv_event.ts";

/**
 * The event the handler gets for a relay, after the broadcaster was posted;
 * undefined when the inner message does not decode (logged, dropped, the
 * session stays open, as in cellnet).
 */
export function resolveRelay(ev: Event, ack: RelayACK, log: PeerMsgLog): Event | undefined {
  let inner: object | undefined;
  if (ack.MsgID !== 0) {
    try {
      inner = decodeMessage(ack.MsgID & 0xffff, ack.Msg);
    } catch (e) {
      ev.session.peer.logger.warn(`relay.ResoleveInboundEvent: ${(e as Error).message}`);
      return undefined;
    }
  }
  if (log.enabled) log.relay("recv", ev.session, ack, inner);
  const out = new RecvMsgEvent(ev.session, inner, ack);
  const peer = ev.session.peer;
  const broadcaster = broadcasterOf(peer);
  if (broadcaster) {
    // Posted before the handler's event, so on a queue it runs first.
    if (peer.queue) peer.queue.postCall(broadcaster, out);
    else invokeReporting(broadcaster, out, peer);
  }
  return out;
}
