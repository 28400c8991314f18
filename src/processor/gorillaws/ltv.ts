/**
 * Registers the `gorillaws.ltv` processor: one message per binary WebSocket
 * message (MsgID + body), each message's codec, and the queued callback.
 *
 * @module
 */
import { MsgHooker } from "../msg_hooker.ts";
import { queuedCallback, registerProcessor } from "../processor.ts";
import { WSMessageTransmitter } from "./ws_transmitter.ts";

const transmitter = new WSMessageTransmitter();

// rpc and relay on WebSocket too (Go's gorillaws.ltv has only the log hook,
// so a Go peer there does not unwrap them); the log lines read #ws.recv.
registerProcessor("gorillaws.ltv", (peer, userCallback) => ({
  transmitter,
  hooker: new MsgHooker(peer, { protocol: "ws", logName: "gorillawsproc" }),
  callback: queuedCallback(peer, userCallback),
}));
