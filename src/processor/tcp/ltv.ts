/**
 * Registers the `tcp.ltv` processor: LTV framing with each message's codec,
 * an empty hooker chain (rpc and relay hook in here when added), and the
 * queued callback.
 *
 * @module
 */
import { LTVTransmitter } from "./ltv_transmitter.ts";
import { queuedCallback, registerProcessor } from "../processor.ts";

const transmitter = new LTVTransmitter();

registerProcessor("tcp.ltv", (peer, userCallback) => ({
  transmitter,
  callback: queuedCallback(peer, userCallback),
}));
