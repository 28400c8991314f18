/**
 * `@cellnet/cellnet/browser`: the portable core for web pages — codecs,
 * messages, the event queue, processors, the registry, `gorillaws` peers —
 * without the `tcp` namespace or any runtime adapter. `gorillaws.Connector`
 * dials through the page's own `WebSocket` (registered here as the `ws`
 * transport of the `browser` runtime). Safe for `esbuild --platform=browser`.
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
