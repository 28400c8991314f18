/**
 * `defineMessage`: declare a message type once (name, fields in wire order,
 * codec) and get a class whose instances are typed messages.
 *
 * @module
 */
import type { Codec } from "../codec/codec.ts";
import type { Fields, FieldValues } from "../codec/field.ts";
import { messageClass } from "./_message_class.ts";
import { type MessageMeta, registerMessageMeta } from "./meta.ts";

/** Options for {@link defineMessage}. */
export interface DefineMessageOptions {
  /** Codec name or instance; default `binary` (cellnet's goobjfmt). */
  readonly codec?: string | Codec;
  /** Explicit id; default `stringHash(name)` as cellnet does. */
  readonly id?: number;
}

/** The class {@link defineMessage} returns. */
export interface MessageClass<F extends Fields> {
  /** Create a message; fields not given hold their zero value. */
  new (init?: Partial<FieldValues<F>>): FieldValues<F>;
  /** The registered meta (name, id, codec). */
  readonly meta: MessageMeta<FieldValues<F>>;
}

/** The instance type of a class made by {@link defineMessage}. */
export type MessageOf<C> = C extends MessageClass<infer F> ? FieldValues<F> : never;

/**
 * Declare and register a message type. Field order is wire order, so keep
 * it as in the Go struct.
 *
 * @example cellnet's chat messages
 * ```ts
 * import { defineMessage, t, type MessageOf } from "@cellnet/cellnet";
 * export const ChatREQ = defineMessage("doc.ChatREQ", { Content: t.string });
 * export type ChatREQ = MessageOf<typeof ChatREQ>;
 * const req = new ChatREQ({ Content: "hello" });
 * ```
 */
export function defineMessage<const F extends Fields>(
  name: string,
  fields: F,
  options: DefineMessageOptions = {},
): MessageClass<F> {
  const Message = messageClass(fields);
  Object.defineProperty(Message, "name", { value: name.slice(name.lastIndexOf(".") + 1) });
  const meta = registerMessageMeta({
    name,
    type: Message as unknown as new () => FieldValues<F>,
    fields,
    codec: options.codec,
    id: options.id,
  });
  Object.defineProperty(Message, "meta", { value: meta, enumerable: false });
  return Message as unknown as MessageClass<F>;
}
