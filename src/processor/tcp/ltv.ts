/**
 * Registers the `tcp.ltv` processor: LTV framing with each message's codec,
 * the {@link MsgHooker} (rpc, relay, and the message log when it is enabled
 * for the peer), and the queued callback, as cellnet's `proc/tcp/setup.go`.
 *
 * @module
 */
import { LTVTransmitter } from "./ltv_transmitter.ts";
import { MsgHooker } from "../msg_hooker.ts";
import { queuedCallback, registerProcessor } from "../processor.ts";

const transmitter = new LTVTransmitter();

registerProcessor("tcp.ltv", (peer, userCallback) => ({
  transmitter,
  hooker: new MsgHooker(peer, { protocol: "tcp" }),
  callback: queuedCallback(peer, userCallback),
}));
