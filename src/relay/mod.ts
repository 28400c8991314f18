/**
 * cellnet's `relay`: a message wrapped in a `RelayACK` with pass-through
 * values (an int64, int64s, a string, bytes) that a gateway uses to route
 * between clients and backends without decoding what it forwards. The
 * receiving handler gets a {@link RecvMsgEvent}; a {@link Broadcaster}
 * (process-wide or per peer) sees every relay first.
 *
 * @example The gateway pattern of cellnet's relay test
 * ```ts
 * import { bindProcessorHandler, defineMessage, relay, type Session, t, tcp } from "@cellnet/cellnet";
 * const ChatREQ = defineMessage("relaydoc.ChatREQ", { Content: t.string });
 * const clients = new tcp.Acceptor({ name: "clients", address: "127.0.0.1:0" });
 * const backends = new tcp.Acceptor({ name: "backends", address: "127.0.0.1:0" });
 * let backend: Session | undefined;
 * bindProcessorHandler(backends, "tcp.ltv", (ev) => (backend ??= ev.session));
 * bindProcessorHandler(clients, "tcp.ltv", (ev) => {
 *   // To the backend, with the client's session id to route the answer by.
 *   if (backend && ev.message instanceof ChatREQ) relay.relay(backend, ev.message, { int64: ev.session.id });
 * });
 * relay.setPeerBroadcaster(backends, (ev) => {
 *   const ids = ev.passThrough.int64Slice.length ? ev.passThrough.int64Slice : [ev.passThrough.int64];
 *   for (const id of ids) if (ev.message) clients.getSession(Number(id))?.send(ev.message);
 * });
 * ```
 * ```
 *
 * @module
 */
export { type Broadcaster, setBroadcaster, setPeerBroadcaster } from "./broadcaster.ts";
export { type PassThroughValues, RecvMsgEvent } from "./recv_event.ts";
export { type PassThrough, relay } from "./relay.ts";
