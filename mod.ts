/**
 * cellnet-ts: cellnet's network model for TypeScript on Node.js, Deno and
 * Bun, wire-compatible with Go cellnet (tcp.ltv framing, StringHash ids,
 * the binary codec).
 *
 * A peer (`tcp.Acceptor`, `tcp.Connector`, `tcp.SyncConnector`) owns
 * sessions; a processor (`tcp.ltv`) frames and encodes their messages and
 * hands events to one handler, through an optional `EventQueue`.
 *
 * @example A chat server
 * ```ts
 * import { bindProcessorHandler, defineMessage, t, tcp } from "@cellnet/cellnet";
 *
 * const ChatREQ = defineMessage("modexample.ChatREQ", { Content: t.string });
 * const ChatACK = defineMessage("modexample.ChatACK", { Content: t.string, Id: t.int64 });
 *
 * const acceptor = new tcp.Acceptor({ name: "server", address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof ChatREQ) {
 *     acceptor.broadcast(new ChatACK({ Content: ev.message.Content, Id: BigInt(ev.session.id) }));
 *   }
 * });
 * await acceptor.start();
 * await acceptor.stop();
 * ```
 *
 * @module
 */

// Side-effect registrations: codecs, system messages, the tcp.ltv processor, tcp peers.
import "./src/codec/binary.ts";
import "./src/codec/json.ts";
import "./src/message/sysmsg.ts";
import "./src/processor/tcp_ltv.ts";

export * as tcp from "./src/peer/tcp/mod.ts";

export * from "./src/errors.ts";
export { type Logger, type LogLevel, consoleLogger, getDefaultLogger, setDefaultLogger } from "./src/log.ts";

export { type BoundCodec, type Codec, getCodec, type MessageShape, registerCodec } from "./src/codec/codec.ts";
export { type FieldKind, type Fields, type FieldType, type FieldValues, t, zeroValues } from "./src/codec/field.ts";
export { ByteWriter } from "./src/codec/byte_writer.ts";
export { binaryCodec } from "./src/codec/binary.ts";
export { jsonCodec } from "./src/codec/json.ts";

export { stringHash } from "./src/message/string_hash.ts";
export {
  type MessageMeta,
  type MessageMetaInit,
  messageMetaByFullName,
  messageMetaById,
  messageMetaByMsg,
  messageMetaByType,
  type MessageType,
  registeredMessageMetas,
  registerMessageMeta,
} from "./src/message/meta.ts";
export { defineMessage, type DefineMessageOptions, type MessageClass, type MessageOf } from "./src/message/define.ts";
export { RawPacket } from "./src/message/raw_packet.ts";
export { CloseReason, closeReasonName } from "./src/message/close_reason.ts";
export { SessionAccepted, SessionClosed, SessionConnected, SessionConnectError } from "./src/message/sysmsg.ts";

export { Session } from "./src/session/session.ts";
export { SessionManager } from "./src/session/session_manager.ts";
export { type ErrorReporter, EventQueue } from "./src/queue/event_queue.ts";

export { type Event, type EventCallback, RecvMsgEvent } from "./src/processor/event.ts";
export { type EventHooker, MultiHooker } from "./src/processor/hooker.ts";
export type { MessageReceiver, MessageSink, MessageTransmitter, ReceiveLimits } from "./src/processor/transmitter.ts";
export { LTVTransmitter } from "./src/processor/ltv_transmitter.ts";
export {
  bindProcessorHandler,
  type ProcessorBundle,
  type ProcessorCreator,
  processorNames,
  queuedCallback,
  registerProcessor,
} from "./src/processor/processor.ts";
export { type MessageHandler, MessageDispatcher } from "./src/processor/dispatcher.ts";

export type { Peer } from "./src/peer/peer.ts";
export { BasePeer } from "./src/peer/base_peer.ts";
export {
  DEFAULT_SEND_QUEUE_HIGH_WATER,
  parseAddress,
  type PeerOptions,
  type ResolvedSessionOptions,
  type SlowConsumerPolicy,
} from "./src/peer/options.ts";
export { createPeer, newGenericPeer, type PeerCreator, peerCreatorNames, registerPeerCreator } from "./src/peer/peer_registry.ts";
export { type Heartbeat, type HeartbeatOptions, type HeartbeatTarget, startHeartbeat } from "./src/peer/heartbeat.ts";

export type {
  Connection,
  ConnectionHandler,
  ConnectOptions,
  Listener,
  ListenOptions,
  NetAddress,
  RuntimeName,
  Transport,
} from "./src/runtime/transport.ts";
export { detectRuntime, loadTransport } from "./src/runtime/detect.ts";

// --- WebSocket (RFC 6455) protocol layer: src/transport/ws/ (branch ws-core) ---
export {
  type AcceptWebSocketOptions,
  acceptWebSocket,
  type HandshakeOptions,
  type HttpHeadLimits,
  type HttpRequestHandler,
  type HttpRequestInfo,
  type HttpResponse,
  matchRoute,
} from "./src/transport/ws/upgrade.ts";
export { type ConnectWebSocketOptions, connectWebSocket } from "./src/transport/ws/connect.ts";
export {
  CloseCode,
  DEFAULT_WS_CLOSE_TIMEOUT_MS,
  DEFAULT_WS_MAX_FRAGMENTS,
  DEFAULT_WS_MAX_PACKET_SIZE,
  type HttpHeaders,
  WSConnection,
  type WSConnectionOptions,
  type WSRequestInfo,
} from "./src/transport/ws/ws_connection.ts";
