/**
 * cellnet's `rpc`: request/reply over any session or connector of a peer
 * whose processor carries the message hooker (tcp.ltv does, as in Go).
 *
 * - {@link call} (Go `CallSync`) awaits the reply; {@link callback} (Go
 *   `Call`) hands it to a callback on the peer's queue.
 * - The server answers with `ev.reply(msg)`; its handler gets a
 *   {@link RecvMsgEvent} whose message is the inner request.
 * - {@link callType} (Go `CallType` / `CallSyncType`) sends plain messages
 *   and matches the reply by type, first in first out per session.
 * - Call ids are process-wide and count up from 1; {@link stats} counts
 *   timeouts and late replies.
 *
 * @example
 * ```ts
 * import { rpc, tcp } from "@cellnet/cellnet";
 * async function ask(client: tcp.SyncConnector, request: object): Promise<object> {
 *   return await rpc.call(client, request, { timeoutMs: 1000 });
 * }
 * ```
 *
 * @module
 */
export { call, callback, type CallOptions, DEFAULT_RPC_TIMEOUT_MS } from "./call.ts";
export { callType } from "./call_type.ts";
export { RecvMsgEvent } from "./recv_event.ts";
export { type RpcStats, setCallIdBase, stats } from "./stats.ts";
export type { SessionTarget } from "../session/_target.ts";
