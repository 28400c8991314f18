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
export * from "./_common.ts";
