/**
 * The chat messages of cellnet's examples/chat, under the same names, so
 * their ids (StringHash of the name) and binary bodies match Go's.
 *
 * @module
 */
import { defineMessage, type MessageOf, t } from "../../mod.ts";

/** Client → server: one line of chat. Go: `type ChatREQ struct { Content string }`. */
export const ChatREQ = defineMessage("proto.ChatREQ", { Content: t.string });
/** The instance type of {@link ChatREQ}. */
export type ChatREQ = MessageOf<typeof ChatREQ>;

/** Server → every client: a line and its sender's session id. Go: `type ChatACK struct { Content string; Id int64 }`. */
export const ChatACK = defineMessage("proto.ChatACK", { Content: t.string, Id: t.int64 });
/** The instance type of {@link ChatACK}. */
export type ChatACK = MessageOf<typeof ChatACK>;

/** Default address of the chat server, as in cellnet's example. */
export const DEFAULT_CHAT_ADDRESS = "127.0.0.1:18801";

/**
 * Default WebSocket address of the chat server, written as cellnet writes
 * gorillaws addresses; its port also serves the chat web page at `/`.
 */
export const DEFAULT_CHAT_WS_ADDRESS = "http://127.0.0.1:18802/chat";
