/**
 * `MsgHooker`: cellnet's `tcp.MsgHooker`, the hooker of the tcp.ltv
 * processor. On the way in it unwraps rpc requests (the handler gets an
 * `rpc.RecvMsgEvent`), settles rpc replies (never passed on), unwraps relays
 * (an `relay.RecvMsgEvent`, after the broadcaster), hands typed-rpc replies
 * to their calls, fails a closed session's calls, and writes the message
 * log; on the way out it only logs, and only exists while the peer's log is
 * on, so a peer without a message log keeps the send path's fast paths.
 *
 * @module
 */
import type { Event, EventHooker, Peer, SendMsgEvent } from "../cellnet.ts";
import { RelayACK, RemoteCallACK, RemoteCallREQ } from "../message/cellnet_messages.ts";
import { decodeMessage } from "../message/encode.ts";
import { SessionClosed } from "../message/sysmsg.ts";
import { type PeerMsgLog, peerMsgLog } from "../msglog/_peer_state.ts";
import { resolveRelay } from "../relay/_resolve.ts";
import { hasTypedCalls, takeTyped } from "../rpc/_pending.ts";
import { failSessionCalls, resolveReply, resolveRequest } from "../rpc/_resolve.ts";

/** Options of {@link MsgHooker}. */
export interface MsgHookerOptions {
  /** The protocol named in log lines (`#tcp.recv`); default `tcp`. */
  readonly protocol?: string;
  /** The logger name of message lines; default `<protocol>proc` (cellnet's `tcpproc`). */
  readonly logName?: string;
}

/**
 * The rpc + relay + message-log hooker (cellnet's `tcp.MsgHooker`). tcp.ltv
 * installs one per peer; another processor (gorillaws.ltv, a custom one) can
 * install its own to get rpc and relay.
 *
 * @example A processor with rpc, relay and the message log
 * ```ts
 * import { LTVTransmitter, MsgHooker, queuedCallback, registerProcessor } from "@cellnet/cellnet";
 * registerProcessor("doc.rpcltv", (peer, cb) => ({
 *   transmitter: new LTVTransmitter(),
 *   hooker: new MsgHooker(peer, { protocol: "tcp" }),
 *   callback: queuedCallback(peer, cb),
 * }));
 * ```
 */
export class MsgHooker implements EventHooker {
  readonly #log: PeerMsgLog;
  readonly #protocol: string;
  readonly #logName: string;
  readonly #outbound = (ev: SendMsgEvent): SendMsgEvent => this.#logOutbound(ev);

  /** The hooker of `peer`'s sessions. */
  constructor(peer: Peer, options: MsgHookerOptions = {}) {
    this.#log = peerMsgLog(peer);
    this.#protocol = options.protocol ?? "tcp";
    this.#logName = options.logName ?? `${this.#protocol}proc`;
  }

  /** Unwrap rpc and relay envelopes, settle replies, log; see the module doc. */
  onInboundEvent(ev: Event): Event | undefined {
    const msg = ev.message as object;
    const type = msg.constructor;
    if (type === RemoteCallREQ) return resolveRequest(ev, msg as RemoteCallREQ, this.#log);
    if (type === RemoteCallACK) return resolveReply(ev, msg as RemoteCallACK, this.#log);
    if (type === RelayACK) return resolveRelay(ev, msg as RelayACK, this.#log);
    if (this.#log.enabled) {
      this.#log.message(this.#logName, this.#protocol, "recv", ev.session, msg);
    }
    if (type === SessionClosed) failSessionCalls(ev);
    else if (hasTypedCalls() && takeTyped(ev.session, msg)) return undefined;
    return ev;
  }

  /** Present only while the peer's message log is on: it logs and passes every message. */
  get onOutboundEvent(): ((ev: SendMsgEvent) => SendMsgEvent | undefined) | undefined {
    return this.#log.enabled ? this.#outbound : undefined;
  }

  #logOutbound(ev: SendMsgEvent): SendMsgEvent {
    const msg = ev.message as object;
    const type = msg.constructor;
    const log = this.#log;
    try {
      if (type === RemoteCallREQ || type === RemoteCallACK) {
        const env = msg as RemoteCallREQ;
        log.rpc(
          "send",
          ev.session,
          env.MsgID & 0xffff,
          decodeMessage(env.MsgID & 0xffff, env.Data),
        );
      } else if (type === RelayACK) {
        const ack = msg as RelayACK;
        log.relay(
          "send",
          ev.session,
          ack,
          ack.MsgID === 0 ? undefined : decodeMessage(ack.MsgID & 0xffff, ack.Msg),
        );
      } else {
        log.message(this.#logName, this.#protocol, "send", ev.session, msg);
      }
    } catch (e) {
      // cellnet drops such a message; it is the caller's to send, so it goes.
      const what = type === RelayACK ? "relay" : "rpc";
      ev.session.peer.logger.warn(`${what}.ResolveOutboundEvent: ${(e as Error).message}`);
    }
    return ev;
  }
}
