/**
 * `@cellnet/cellnet/browser`: the portable core for web pages — codecs,
 * messages, the event queue, processors, the registry — without the TCP
 * peers or any runtime adapter. Safe for `esbuild --platform=browser`.
 *
 * @example
 * ```ts
 * import { defineMessage, t } from "@cellnet/cellnet/browser";
 * const ChatREQ = defineMessage("browserdoc.ChatREQ", { Content: t.string });
 * console.log(ChatREQ.meta.id);
 * ```
 *
 * @module
 */
import { registerTransport } from "../transport/registry.ts";
import { browserWebSocketTransport } from "../transport/ws/browser.ts";

// A page dials WebSocket through the platform's own client.
registerTransport("ws", "browser", () => Promise.resolve(browserWebSocketTransport));

export * from "./_common.ts";
export { browserWebSocketTransport };
