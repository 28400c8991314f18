/**
 * The gateway example's messages. Clients talk to the gateway only; the
 * gateway relays what they send to a backend with the client's session id
 * as the relay's pass-through value, and routes what backends relay back to
 * the client sessions the pass-through ids name.
 *
 * @module
 */
import { defineMessage, type MessageOf, t } from "../../mod.ts";

/** A backend announces its role (`chat` or `echo`) when it connects to the gateway. */
export const BackendRegister = defineMessage("gateway.BackendRegister", { Role: t.string });
export type BackendRegister = MessageOf<typeof BackendRegister>;

/** A chat line from a client; the chat backend sends it to every client it knows. */
export const ChatREQ = defineMessage("gateway.ChatREQ", { Content: t.string });
export type ChatREQ = MessageOf<typeof ChatREQ>;

/** A chat line for clients: who said it (their session id at the gateway) and what. */
export const ChatACK = defineMessage("gateway.ChatACK", { From: t.int64, Content: t.string });
export type ChatACK = MessageOf<typeof ChatACK>;

/** A request the echo backend answers to its sender only. */
export const EchoREQ = defineMessage("gateway.EchoREQ", { Text: t.string });
export type EchoREQ = MessageOf<typeof EchoREQ>;

/** The echo backend's answer. */
export const EchoACK = defineMessage("gateway.EchoACK", { Text: t.string, Backend: t.string });
export type EchoACK = MessageOf<typeof EchoACK>;

/** Where the gateway listens for clients by default. */
export const DEFAULT_CLIENT_ADDRESS = "127.0.0.1:18901";
/** Where the gateway listens for backends by default. */
export const DEFAULT_BACKEND_ADDRESS = "127.0.0.1:18902";
