/**
 * `@cellnet/cellnet/node`: the core with the Node TCP transport registered
 * eagerly (no detection, no dynamic import): for bundles and for programs
 * that name their runtime.
 *
 * @example
 * ```ts
 * import { registeredTransports } from "@cellnet/cellnet/node";
 * console.log(registeredTransports()); // [["tcp", "node"], …]
 * ```
 *
 * @module
 */
import { registerTransport } from "../transport/registry.ts";
import { installNativeStrings } from "../transport/tcp/node_strings.ts";
import { webSocketOverTcp } from "../transport/ws/ws_transport.ts";
import { nodeTransport } from "../transport/tcp/node.ts";

registerTransport("tcp", "node", () => Promise.resolve(nodeTransport));
registerTransport("ws", "node", () => Promise.resolve(webSocketOverTcp(nodeTransport)));
// The codecs' strings through Buffer#latin1Slice / #utf8Write past 32 bytes (see codec/_utf8.ts).
installNativeStrings("v8");

export * from "./core.ts";
export { nodeTransport };
