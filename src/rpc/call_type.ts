/**
 * `rpc.callType`: cellnet's `CallType` / `CallSyncType`. No envelope: the
 * request goes out as a plain message and the reply is the next message of
 * the reply type on that session.
 *
 * @module
 */
import type { Session } from "../cellnet.ts";
import { RpcSessionClosedError } from "../errors.ts";
import type { MessageType } from "../message/meta.ts";
import { messageName } from "../message/meta.ts";
import { type SessionTarget, targetSession } from "../session/_target.ts";
import { TypedCall } from "./_pending.ts";
import { type CallOptions, DEFAULT_RPC_TIMEOUT_MS } from "./call.ts";

/**
 * Send `request` as a plain message and await the next `replyType` message
 * on the same session (cellnet's `CallType` / `CallSyncType`; the wire is
 * the same).
 *
 * Unlike cellnet: concurrent calls for one reply type queue up first in,
 * first out per session (cellnet's second call steals the first's reply);
 * the timeout applies (cellnet's async `CallType` ignores it); a reply taken
 * by a call does **not** also reach the peer's handler (cellnet's does);
 * other messages of that type, when no call waits, do. After a call timed
 * out or was aborted, the next message of its type on that session is taken
 * to be its late reply: dropped and counted in `rpc.stats().lateReplies`,
 * so it cannot answer a later call. A closed session fails its calls with
 * `RpcSessionClosedError`.
 *
 * @example
 * ```ts
 * import { defineMessage, rpc, t, tcp } from "@cellnet/cellnet";
 * const LoginREQ = defineMessage("calltypedoc.LoginREQ", { Name: t.string });
 * const LoginACK = defineMessage("calltypedoc.LoginACK", { Token: t.string });
 * async function login(client: tcp.SyncConnector): Promise<string> {
 *   const ack = await rpc.callType(client, new LoginREQ({ Name: "ann" }), LoginACK, { timeoutMs: 2000 });
 *   return ack.Token; // typed: ack is a LoginACK
 * }
 * ```
 */
export function callType<T extends object>(
  target: SessionTarget,
  request: object,
  replyType: MessageType<T>,
  options: CallOptions = {},
): Promise<T> {
  let session: Session;
  try {
    session = targetSession(target, "rpc.callType");
  } catch (e) {
    return Promise.reject(e);
  }
  if (typeof replyType !== "function") {
    return Promise.reject(new TypeError("rpc.callType: replyType must be a message class"));
  }
  const { signal, timeoutMs = DEFAULT_RPC_TIMEOUT_MS } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const pending = new TypedCall(session, replyType, resolve as (r: object) => void, reject);
    pending.arm(timeoutMs, signal, `of type ${replyType.name} to ${messageName(request)}`);
    let sent: boolean;
    try {
      sent = session.send(request);
    } catch (e) {
      pending.fail(e);
      return;
    }
    if (!sent) pending.fail(new RpcSessionClosedError(`rpc.callType: the session is closed`));
  });
}
