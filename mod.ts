/**
 * cellnet-ts: cellnet's network model for TypeScript on Node.js, Deno and
 * Bun, wire-compatible with Go cellnet (tcp.ltv framing, StringHash ids,
 * the binary codec).
 *
 * A peer (`tcp.Acceptor`, `tcp.Connector`, `tcp.SyncConnector`) owns
 * sessions; a processor (`tcp.ltv`) frames and encodes their messages and
 * hands events to one handler, through an optional `EventQueue`.
 *
 * This entry detects the runtime and loads its transports (TCP, and
 * WebSocket over it) on demand. Other entries: `./core` (portable, no
 * adapter), `./node`, `./deno`, `./bun` (one adapter, registered eagerly)
 * and `./browser` (no `tcp` namespace; WebSocket on the page's client).
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

// The runtime adapters, registered as lazy loaders: each runtime loads only its own.
import "./src/transport/auto.ts";

export * from "./src/entries/core.ts";
