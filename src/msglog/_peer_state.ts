/**
 * Internal: each peer's message-log switch and loggers, and the writers of
 * cellnet's line shapes. The processor's hooker holds its peer's state and
 * checks `enabled` before doing any work, so a peer without a message log
 * pays one property read per message.
 *
 * @module
 */
import type { Peer, Session } from "../cellnet.ts";
import type { Logger } from "../log.ts";
import { decodeMessage } from "../message/encode.ts";
import { RawPacket } from "../message/raw_packet.ts";
import type { RelayACK } from "../message/cellnet_messages.ts";
import { GoLogger } from "./go_logger.ts";
import { isMsgLogValid } from "./rules.ts";
import { messageSize, messageToID, messageToName, messageToString } from "./text.ts";

/** Makes the logger for one of cellnet's logger names (`tcpproc`, `rpc`, `relay`). */
export type LoggerFactory = (name: string) => Logger;

/** One peer's message log. */
export class PeerMsgLog {
  /** Whether the peer writes message lines. */
  enabled = false;
  #factory: LoggerFactory = (name) => new GoLogger(name);
  #loggers = new Map<string, Logger>();

  /** Turn the log on with these loggers. */
  enable(factory: LoggerFactory): void {
    this.#factory = factory;
    this.#loggers.clear();
    this.enabled = true;
  }

  /** The logger called `name`. */
  logger(name: string): Logger {
    let l = this.#loggers.get(name);
    if (l === undefined) this.#loggers.set(name, l = this.#factory(name));
    return l;
  }

  /** `#tcp.recv(peer)@id len: N Type | text` (or `.send`), if the message passes the rules. */
  message(
    logName: string,
    protocol: string,
    dir: string,
    session: Session,
    message: unknown,
  ): void {
    const msg = peekMessage(message);
    if (!isMsgLogValid(messageToID(msg))) return;
    this.logger(logName).debug(
      `#${protocol}.${dir}(${session.peer.name})@${session.id} len: ${messageSize(msg)} ` +
        `${messageToName(msg)} | ${messageToString(msg)}`,
    );
  }

  /** `#rpc.recv(peer)@id …` for the inner message of an envelope with inner id `id`. */
  rpc(dir: string, session: Session, id: number, inner: object): void {
    if (!isMsgLogValid(id)) return;
    this.logger("rpc").debug(
      `#rpc.${dir}(${session.peer.name})@${session.id} len: ${messageSize(inner)} ` +
        `${messageToName(inner)} | ${messageToString(inner)}`,
    );
  }

  /** `#relay.recv(peer)@id len: N Type {pass-through}| text`. */
  relay(dir: string, session: Session, ack: RelayACK, inner: object | undefined): void {
    if (!isMsgLogValid(ack.MsgID)) return;
    this.logger("relay").debug(
      `#relay.${dir}(${session.peer.name})@${session.id} len: ${messageSize(inner)} ` +
        `${messageToName(inner)} {${messageToString(ack)}}| ${messageToString(inner)}`,
    );
  }
}

const states = new WeakMap<Peer, PeerMsgLog>();

/** The message-log state of `peer`, created (off) on first use. */
export function peerMsgLog(peer: Peer): PeerMsgLog {
  let s = states.get(peer);
  if (s === undefined) states.set(peer, s = new PeerMsgLog());
  return s;
}

/** The message a log line shows: a RawPacket's decoded message (cellnet's `PacketMessagePeeker`). */
function peekMessage(message: unknown): unknown {
  if (!(message instanceof RawPacket)) return message;
  try {
    return decodeMessage(message.msgId, message.msgData);
  } catch {
    return undefined;
  }
}
