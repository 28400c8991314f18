/**
 * Relay broadcasters: a function run for every relay a peer receives,
 * before its handler, typically a gateway routing replies to client
 * sessions by their pass-through ids (cellnet's `relay.SetBroadcaster`).
 *
 * @module
 */
import type { Peer } from "../cellnet.ts";
import type { RecvMsgEvent } from "./recv_event.ts";

/** What a broadcaster is called with: every received relay (cellnet's `BroadcasterFunc`). */
export type Broadcaster = (event: RecvMsgEvent) => unknown;

let global: Broadcaster | undefined;
const perPeer = new WeakMap<Peer, Broadcaster>();

/**
 * Set (or clear, with undefined) the process-wide broadcaster (cellnet's
 * `relay.SetBroadcaster`): it runs for every relay received by any peer
 * that has no broadcaster of its own, on that peer's queue when it has one,
 * before the handler, which still gets the event.
 *
 * @example
 * ```ts
 * import { relay } from "@cellnet/cellnet";
 * relay.setBroadcaster((ev) => console.log("relay from", ev.session.peer.name, ev.passThrough.int64));
 * relay.setBroadcaster(undefined);
 * ```
 */
export function setBroadcaster(fn: Broadcaster | undefined): void {
  global = fn;
}

/**
 * Set (or clear) `peer`'s own broadcaster, used instead of the process-wide
 * one for relays that peer receives. A gateway sets it on the peer its
 * backends connect to, so relays elsewhere are left alone.
 *
 * @example A gateway routes backend replies to its clients
 * ```ts
 * import { relay, tcp } from "@cellnet/cellnet";
 * const clients = new tcp.Acceptor({ name: "clients", address: "127.0.0.1:0" });
 * const backends = new tcp.Acceptor({ name: "backends", address: "127.0.0.1:0" });
 * relay.setPeerBroadcaster(backends, (ev) => {
 *   if (ev.message) clients.getSession(Number(ev.passThrough.int64))?.send(ev.message);
 * });
 * ```
 */
export function setPeerBroadcaster(peer: Peer, fn: Broadcaster | undefined): void {
  if (fn) perPeer.set(peer, fn);
  else perPeer.delete(peer);
}

/** The broadcaster that runs for relays `peer` receives, if any. */
export function broadcasterOf(peer: Peer): Broadcaster | undefined {
  return perPeer.get(peer) ?? global;
}
