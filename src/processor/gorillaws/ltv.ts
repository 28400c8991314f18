/**
 * Registers the `gorillaws.ltv` processor: one message per binary WebSocket
 * message (MsgID + body), each message's codec, and the queued callback.
 *
 * @module
 */
import { queuedCallback, registerProcessor } from "../processor.ts";
import { WSMessageTransmitter } from "./ws_transmitter.ts";

const transmitter = new WSMessageTransmitter();

registerProcessor("gorillaws.ltv", (peer, userCallback) => ({
  transmitter,
  callback: queuedCallback(peer, userCallback),
}));
