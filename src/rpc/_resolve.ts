/**
 * Internal: what the message hooker does with rpc envelopes on the way in
 * (cellnet's `rpc.ResolveInboundEvent`).
 *
 * @module
 */
import type { Event } from "../cellnet.ts";
import { RpcSessionClosedError } from "../errors.ts";
import type { RemoteCallACK, RemoteCallREQ } from "../message/cellnet_messages.ts";
import { decodeMessage } from "../message/encode.ts";
import type { PeerMsgLog } from "../msglog/_peer_state.ts";
import { counters, failSession, pendingCall } from "./_pending.ts";
import { RecvMsgEvent } from "./recv_event.ts";

/**
 * A request: the event the handler gets, with the decoded inner message; or
 * undefined when the inner message does not decode (logged, dropped, the
 * session stays open, as in cellnet).
 */
export function resolveRequest(ev: Event, req: RemoteCallREQ, log: PeerMsgLog): Event | undefined {
  const inner = decodeInner(ev, req.MsgID, req.Data);
  if (inner === undefined) return undefined;
  if (log.enabled) log.rpc("recv", ev.session, req.MsgID & 0xffff, inner);
  return new RecvMsgEvent(ev.session, inner, req.CallID);
}

/** A reply: settles its call, or is counted late. Never passed on. */
export function resolveReply(ev: Event, ack: RemoteCallACK, log: PeerMsgLog): undefined {
  const id = Number(ack.CallID);
  const pending = pendingCall(ev.session, id);
  let inner: object;
  try {
    inner = decodeMessage(ack.MsgID & 0xffff, ack.Data);
  } catch (e) {
    ev.session.peer.logger.warn(`rpc.ResolveInboundEvent: ${(e as Error).message}`);
    pending?.fail(e);
    return undefined;
  }
  if (log.enabled) log.rpc("recv", ev.session, ack.MsgID & 0xffff, inner);
  if (pending) pending.resolveWith(inner);
  else counters.lateReplies++;
  return undefined;
}

/** The session closed: fail its pending calls. */
export function failSessionCalls(ev: Event): void {
  failSession(
    ev.session,
    () => new RpcSessionClosedError(`the session closed before the rpc reply came`),
  );
}

function decodeInner(ev: Event, msgId: number, data: Uint8Array): object | undefined {
  try {
    return decodeMessage(msgId & 0xffff, data);
  } catch (e) {
    ev.session.peer.logger.warn(`rpc.ResolveInboundEvent: ${(e as Error).message}`);
    return undefined;
  }
}
