/**
 * The portable API shared by every entry: everything but the TCP peers and
 * the runtime adapters. No module reached from here imports a runtime module,
 * statically or dynamically.
 *
 * @module
 */

// Side-effect registrations: codecs, system messages, the tcp.ltv processor.
import "../codec/binary.ts";
import "../codec/json.ts";
import "../message/sysmsg.ts";
import "../processor/tcp/ltv.ts";
import "../processor/gorillaws/ltv.ts";

export type {
  Event,
  EventCallback,
  EventHooker,
  MessageReceiver,
  MessageSink,
  MessageTransmitter,
  Peer,
  ProcessorBundle,
  ReceiveLimits,
  SendMsgEvent,
  Session,
} from "../cellnet.ts";

export * from "../errors.ts";
export {
  consoleLogger,
  getDefaultLogger,
  type Logger,
  type LogLevel,
  setDefaultLogger,
} from "../log.ts";

export {
  type BoundCodec,
  type Codec,
  getCodec,
  type MessageShape,
  registerCodec,
  type SchemaCodec,
} from "../codec/codec.ts";
export {
  type FieldKind,
  type Fields,
  type FieldType,
  type FieldValues,
  t,
  zeroValues,
} from "../codec/field.ts";
export { ByteWriter } from "../codec/byte_writer.ts";
export { binaryCodec } from "../codec/binary.ts";
export { jsonCodec } from "../codec/json.ts";
export { protoplusCodec } from "../codec/protoplus.ts";

export { stringHash, stringHashBytes } from "../message/string_hash.ts";
export { decodeMessage, encodeMessage } from "../message/encode.ts";
export {
  type MessageMeta,
  messageMetaByFullName,
  messageMetaById,
  messageMetaByMsg,
  messageMetaByType,
  type MessageMetaInit,
  messageName,
  type MessageType,
  registeredMessageMetas,
  registerMessageMeta,
} from "../message/meta.ts";
export {
  defineMessage,
  type DefineMessageOptions,
  type MessageClass,
  type MessageOf,
} from "../message/define.ts";
export { RawPacket } from "../message/raw_packet.ts";
// cellnet's own rpc and relay envelopes, registered as Go's tcp.ltv registers them.
export {
  RelayACK,
  type RelayACKFields,
  RemoteCallACK,
  type RemoteCallFields,
  RemoteCallREQ,
} from "../message/cellnet_messages.ts";
export { CloseReason, closeReasonName } from "../message/close_reason.ts";
export {
  SessionAccepted,
  SessionClosed,
  SessionConnected,
  SessionConnectError,
} from "../message/sysmsg.ts";

export { CoreSession, type SessionHost } from "../session/session.ts";
export { SessionManager } from "../session/session_manager.ts";
export { type ErrorReporter, EventQueue } from "../queue/event_queue.ts";
export * as timer from "../timer/mod.ts";

export { OutboundEvent, RecvMsgEvent } from "../processor/event.ts";
export { chainHookers, MultiHooker } from "../processor/hooker.ts";
export { LTVTransmitter } from "../processor/tcp/ltv_transmitter.ts";
export { WSMessageTransmitter } from "../processor/gorillaws/ws_transmitter.ts";
export {
  type BindOptions,
  bindProcessorHandler,
  type ProcessorCreator,
  processorNames,
  queuedCallback,
  registerProcessor,
} from "../processor/processor.ts";
export { MessageDispatcher, type MessageHandler } from "../processor/dispatcher.ts";

export { BasePeer, type PeerPhase } from "../peer/base_peer.ts";
export { type AcceptorOptions, GenericAcceptor } from "../peer/acceptor.ts";
export { type ConnectorOptions, GenericConnector } from "../peer/connector.ts";
export { GenericSyncConnector, type SyncConnectorOptions } from "../peer/sync_connector.ts";
export {
  DEFAULT_FRAME_TIMEOUT_MS,
  DEFAULT_SEND_QUEUE_HIGH_WATER,
  type PeerOptions,
  type RateLimitPolicy,
  type ResolvedSessionOptions,
  type SlowConsumerPolicy,
} from "../peer/options.ts";
export { type PeerCreator, peerCreatorNames, registerPeerCreator } from "../peer/peer_registry.ts";
export { createPeer, newGenericPeer, type PeerTypes } from "../peer/create_peer.ts";
export {
  type Heartbeat,
  type HeartbeatOptions,
  type HeartbeatTarget,
  startHeartbeat,
} from "../peer/heartbeat.ts";

export type {
  Connection,
  ConnectionHandler,
  ConnectOptions,
  Listener,
  ListenOptions,
  NetAddress,
  Transport,
} from "../transport/transport.ts";
export { detectRuntime, type RuntimeName } from "../transport/runtime.ts";
export { parseWebSocketAddress } from "../transport/ws/family.ts";
export { webSocketOverTcp, type WebSocketPeerOptions } from "../transport/ws/ws_transport.ts";
export * as gorillaws from "../peer/gorillaws/mod.ts";
export {
  type WebSocketOptions,
  WSAcceptor,
  type WSAcceptorOptions,
  WSConnector,
  type WSConnectorOptions,
  WSSyncConnector,
  type WSSyncConnectorOptions,
} from "../peer/gorillaws/mod.ts";
export {
  acceptWebSocket,
  type AcceptWebSocketOptions,
  type HandshakeOptions,
  type HttpHeadLimits,
  type HttpRequestHandler,
  type HttpRequestInfo,
  type HttpResponse,
  matchRoute,
} from "../transport/ws/upgrade.ts";
export { connectWebSocket, type ConnectWebSocketOptions } from "../transport/ws/connect.ts";
export {
  CloseCode,
  DEFAULT_WS_CLOSE_TIMEOUT_MS,
  DEFAULT_WS_MAX_FRAGMENTS,
  DEFAULT_WS_MAX_PACKET_SIZE,
  type HttpHeaders,
  WSConnection,
  type WSConnectionOptions,
  type WSRequestInfo,
} from "../transport/ws/ws_connection.ts";
export {
  type Endpoint,
  loadTransport,
  type ProtocolFamily,
  protocolFamily,
  registeredTransports,
  registerProtocol,
  registerTransport,
  type TransportLoader,
} from "../transport/registry.ts";

// The write backpressure threshold every built-in transport shares (adapters branch).
export { WRITE_HIGH_WATER } from "../transport/transport.ts";
// rpc, relay, the message log and SyncReceiver (tcp.ltv carries their hooker).
/** cellnet's `rpc`: `rpc.call`, `rpc.callback`, `rpc.callType`, `rpc.RecvMsgEvent`. */
export * as rpc from "../rpc/mod.ts";
/** cellnet's `relay`: `relay.relay`, `relay.RecvMsgEvent`, `relay.setBroadcaster`. */
export * as relay from "../relay/mod.ts";
/** cellnet's `msglog`: `msglog.enable`, `msglog.setMsgLogRule`, `msglog.GoLogger`. */
export * as msglog from "../msglog/mod.ts";
export { MsgHooker, type MsgHookerOptions } from "../processor/msg_hooker.ts";
export { SyncReceiver, type SyncReceiverOptions } from "../processor/sync_receiver.ts";
export type { SessionTarget } from "../session/_target.ts";

// ---- gorillaws branch: session ids shared across peers (PeerOptions.sessionIds) ----
export { SessionIdCounter, type SessionIdSource } from "../session/session_id_counter.ts";
