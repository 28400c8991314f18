/**
 * `rpc.RecvMsgEvent`: how an RPC request reaches the server's handler.
 *
 * @module
 */
import type { Event, Session } from "../cellnet.ts";
import { RemoteCallACK } from "../message/cellnet_messages.ts";
import { encodeMessage } from "../message/encode.ts";

/**
 * An RPC request (cellnet's `rpc.RecvMsgEvent`): `message` is the decoded
 * inner message, and {@link reply} answers the call with a `RemoteCallACK`
 * carrying the same CallID. Handlers need not tell it from a plain
 * message's event: `ev.reply(msg)` answers either way.
 *
 * @example An echo server that serves plain messages and RPC alike
 * ```ts
 * import { bindProcessorHandler, defineMessage, rpc, t, tcp } from "@cellnet/cellnet";
 * const Echo = defineMessage("rpceventdoc.TestEchoACK", { Msg: t.string, Value: t.int32 });
 * const server = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(server, "tcp.ltv", (ev) => {
 *   if (!(ev.message instanceof Echo)) return;
 *   if (ev instanceof rpc.RecvMsgEvent) console.log("rpc call", ev.callId);
 *   ev.reply(new Echo({ Msg: ev.message.Msg, Value: ev.message.Value }));
 * });
 * ```
 */
export class RecvMsgEvent<M = object> implements Event<M> {
  /** The session the request came on. */
  readonly session: Session;
  /** The decoded inner message. */
  readonly message: M;
  /** The caller's CallID, echoed in the reply. */
  readonly callId: bigint;

  /** Wrap a request; the rpc hooker makes these. */
  constructor(session: Session, message: M, callId: bigint) {
    this.session = session;
    this.message = message;
    this.callId = callId;
  }

  /**
   * Answer the call: `message` in its own codec inside a `RemoteCallACK`
   * with this call's id. Returns what `session.send` returns; throws its
   * errors (`EncodeError`, `UnregisteredMessageError`).
   */
  reply(message: object): boolean {
    const { id, body } = encodeMessage(message);
    return this.session.send(new RemoteCallACK({ MsgID: id, Data: body, CallID: this.callId }));
  }
}
