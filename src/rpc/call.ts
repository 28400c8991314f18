/**
 * `rpc.call` and `rpc.callback`: cellnet's `rpc.CallSync` and `rpc.Call`.
 * The request travels in a `RemoteCallREQ` envelope (the inner message in
 * its own codec, a process-wide CallID); the server's `ev.reply(msg)`
 * answers with a `RemoteCallACK` carrying the same CallID.
 *
 * @module
 */
import type { Session } from "../cellnet.ts";
import { RpcSessionClosedError } from "../errors.ts";
import { RemoteCallREQ } from "../message/cellnet_messages.ts";
import { encodeMessage } from "../message/encode.ts";
import { messageName } from "../message/meta.ts";
import { invokeReporting } from "../queue/event_queue.ts";
import { type SessionTarget, targetSession } from "../session/_target.ts";
import { defaultReporter } from "../timer/_reporter.ts";
import { EnvelopeCall, nextCallId } from "./_pending.ts";

/** Options of {@link call}. */
export interface CallOptions {
  /** Fail with `RpcTimeoutError` after this many ms without a reply; default 5000, 0: no timeout. */
  readonly timeoutMs?: number;
  /** Abort the call: it rejects with the signal's reason (a reply after it is counted late). */
  readonly signal?: AbortSignal;
}

/** Timeout of a call whose options give none. */
export const DEFAULT_RPC_TIMEOUT_MS = 5000;

/**
 * Call the remote side and await its reply message (cellnet's
 * `rpc.CallSync`, without blocking). `target` is a session or a connector.
 *
 * Rejects with `RpcTimeoutError` when no reply comes in time (a later reply
 * is dropped and counted in `rpc.stats().lateReplies`), with
 * `RpcSessionClosedError` when the session is or becomes closed first
 * (cellnet waits for the timeout), with the signal's reason on abort, with
 * the error of a reply that does not decode, and with `TypeError` for a bad
 * target or `EncodeError` / `UnregisteredMessageError` for a request that
 * cannot be encoded. The reply (the `RemoteCallACK`) never reaches the
 * peer's handler; cellnet passes it on.
 *
 * The promise settles on the transport's callback, not on the peer's
 * queue; use {@link callback} to have the answer posted to the queue.
 *
 * @example Ask the echo server
 * ```ts
 * import { bindProcessorHandler, defineMessage, rpc, t, tcp } from "@cellnet/cellnet";
 * const Echo = defineMessage("calldoc.TestEchoACK", { Msg: t.string, Value: t.int32 });
 *
 * const server = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(server, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof Echo) ev.reply(ev.message); // an RPC event: answers the call
 * });
 * await server.start();
 *
 * const client = new tcp.SyncConnector({ address: `127.0.0.1:${server.port}` });
 * bindProcessorHandler(client, "tcp.ltv", () => {});
 * await client.start();
 * const reply = await rpc.call(client, new Echo({ Msg: "hello", Value: 1234 }), { timeoutMs: 1000 });
 * console.log(reply); // Echo { Msg: "hello", Value: 1234 }
 * await client.stop();
 * await server.stop();
 * ```
 */
export function call(
  target: SessionTarget,
  request: object,
  options: CallOptions = {},
): Promise<object> {
  let session: Session;
  let id: number;
  let body: Uint8Array;
  try {
    session = targetSession(target, "rpc.call");
    ({ id, body } = encodeMessage(request));
  } catch (e) {
    return Promise.reject(e);
  }
  const { signal, timeoutMs = DEFAULT_RPC_TIMEOUT_MS } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const callId = nextCallId();
  return new Promise<object>((resolve, reject) => {
    const pending = new EnvelopeCall(callId, session, resolve, reject);
    pending.arm(timeoutMs, signal, `to ${messageName(request)} (call ${callId})`);
    let sent: boolean;
    try {
      sent = session.send(new RemoteCallREQ({ MsgID: id, Data: body, CallID: BigInt(callId) }));
    } catch (e) {
      pending.fail(e);
      return;
    }
    if (!sent) pending.fail(new RpcSessionClosedError(`rpc call ${callId}: the session is closed`));
  });
}

/**
 * Call the remote side and get the reply or the error in `cb`, exactly
 * once, on the peer's queue when it has one (cellnet's `rpc.Call`). The
 * errors are those {@link call} rejects with; a bad target reaches `cb` too
 * (cellnet never calls back then). What `cb` throws is logged.
 *
 * @example
 * ```ts
 * import { defineMessage, rpc, t, tcp } from "@cellnet/cellnet";
 * const Echo = defineMessage("callbackdoc.TestEchoACK", { Msg: t.string, Value: t.int32 });
 * const client = new tcp.Connector({ address: "127.0.0.1:17701" });
 * rpc.callback(client, new Echo({ Msg: "hello" }), 1000, (result) => {
 *   if (result instanceof Error) console.log("failed:", result.message);
 *   else console.log("reply:", result);
 * });
 * ```
 */
export function callback(
  target: SessionTarget,
  request: object,
  timeoutMs: number,
  cb: (result: object | Error) => unknown,
): void {
  let session: Session | undefined;
  try {
    session = targetSession(target, "rpc.callback");
  } catch {
    // call() rejects with the same TypeError.
  }
  const deliver = (result: object | Error): void => {
    const peer = session?.peer;
    if (peer?.queue) peer.queue.postCall(cb, result);
    else invokeReporting(cb, result, peer ?? defaultReporter);
  };
  call(target, request, { timeoutMs }).then(
    deliver,
    (e) => deliver(e instanceof Error ? e : new Error(String(e))),
  );
}
