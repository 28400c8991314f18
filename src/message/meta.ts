/**
 * The message registry: cellnet's `MessageMeta` (name, id, codec, type) and
 * its lookups by id, name and type.
 *
 * @module
 */
import type { BoundCodec, Codec } from "../codec/codec.ts";
import { getCodec } from "../codec/codec.ts";
// The default codec: registered before any message can name it by default.
import "../codec/binary.ts";
import type { Fields } from "../codec/field.ts";
import { MessageRegistrationError, UnregisteredMessageError } from "../errors.ts";
import { stringHash } from "./string_hash.ts";

/** A class whose instances are messages. */
export type MessageType<T extends object = object> = new (...args: never[]) => T;

/** Everything known about one registered message type. */
export interface MessageMeta<T extends object = object> {
  /** Full name, e.g. `proto.ChatREQ`; hashed to the id by default. */
  readonly name: string;
  /** The 16-bit id carried in each frame. */
  readonly id: number;
  /** The codec that writes and reads its body. */
  readonly codec: Codec;
  /** The class of its instances. */
  readonly type: MessageType<T>;
  /** Declared fields in wire order, when the message has a schema. */
  readonly fields?: Fields;
  /** The codec prepared for this type (the hot path calls this). */
  readonly bound: BoundCodec<T>;
  /** System events (SessionAccepted...) are raised locally and never accepted from the wire. */
  readonly system: boolean;
}

/** What {@link registerMessageMeta} takes. */
export interface MessageMetaInit<T extends object> {
  /** Full name, e.g. `proto.ChatREQ`. */
  readonly name: string;
  /** The class of its instances; `new type()` must give a zero message. */
  readonly type: MessageType<T>;
  /** Codec name or instance; default `binary`. */
  readonly codec?: string | Codec;
  /** Explicit id; default `stringHash(name)`. */
  readonly id?: number;
  /** Declared fields in wire order (required by the binary codec). */
  readonly fields?: Fields;
  /** Internal: mark as a locally raised system event. */
  readonly system?: boolean;
}

const META = Symbol.for("cellnet.meta");
type Tagged = { [META]?: MessageMeta<object> };

const byId = new Map<number, MessageMeta<object>>();
const byName = new Map<string, MessageMeta<object>>();

/**
 * Register a message type, cellnet's `cellnet.RegisterMessageMeta`. Throws
 * {@link MessageRegistrationError} for id 0 or out of 16 bits, a duplicate id
 * or a duplicate name, naming both messages.
 *
 * @example A class registered with the json codec
 * ```ts
 * import { registerMessageMeta } from "@cellnet/cellnet";
 * class Hello { Text = ""; }
 * registerMessageMeta({ name: "doc.Hello", type: Hello, codec: "json" });
 * ```
 */
export function registerMessageMeta<T extends object>(init: MessageMetaInit<T>): MessageMeta<T> {
  const id = init.id ?? stringHash(init.name);
  if (!Number.isInteger(id) || id <= 0 || id > 0xffff) {
    throw new MessageRegistrationError(`message '${init.name}': id must be 1..65535, got ${id}`);
  }
  const sameId = byId.get(id);
  if (sameId) {
    throw new MessageRegistrationError(
      `message '${init.name}' has id ${id}, already taken by '${sameId.name}'`,
    );
  }
  if (byName.has(init.name)) {
    throw new MessageRegistrationError(`message name '${init.name}' is already registered`);
  }
  if ((init.type as Tagged)[META]) {
    throw new MessageRegistrationError(
      `type ${init.type.name} is already registered as '${(init.type as Tagged)[META]!.name}'`,
    );
  }
  const codec = typeof init.codec === "object" ? init.codec : getCodec(init.codec ?? "binary");
  const type = init.type;
  const bound = init.system
    ? unencodable<T>(init.name)
    // The codec binds for objects; this message type is the one the shape creates.
    : (codec.bind({ name: init.name, fields: init.fields, create: () => new type() }) as BoundCodec<
      T
    >);
  const meta: MessageMeta<T> = {
    name: init.name,
    id,
    codec,
    type,
    fields: init.fields,
    bound,
    system: init.system ?? false,
  };
  byId.set(id, meta as MessageMeta<object>);
  byName.set(init.name, meta as MessageMeta<object>);
  Object.defineProperty(type, META, { value: meta, enumerable: false });
  return meta;
}

function unencodable<T extends object>(name: string): BoundCodec<T> {
  const refuse = (): never => {
    throw new UnregisteredMessageError(`system message '${name}' is raised locally and never sent`);
  };
  return { encode: refuse, decode: refuse };
}

/**
 * The meta registered under `id`, or undefined. System events are included.
 *
 * @example
 * ```ts
 * import { defineMessage, messageMetaById, t } from "@cellnet/cellnet";
 * const Ping = defineMessage("metadoc.Ping", { Seq: t.int32 });
 * console.log(messageMetaById(Ping.meta.id)?.name); // "metadoc.Ping"
 * ```
 */
export function messageMetaById(id: number): MessageMeta<object> | undefined {
  return byId.get(id);
}

/**
 * The meta registered under a full name such as `proto.ChatREQ`, or undefined.
 *
 * @example
 * ```ts
 * import { messageMetaByFullName } from "@cellnet/cellnet";
 * console.log(messageMetaByFullName("cellnet.SessionClosed")?.id);
 * ```
 */
export function messageMetaByFullName(name: string): MessageMeta<object> | undefined {
  return byName.get(name);
}

/**
 * The meta registered for a class, or undefined.
 *
 * @example
 * ```ts
 * import { defineMessage, messageMetaByType, t } from "@cellnet/cellnet";
 * const Pong = defineMessage("metadoc.Pong", { Seq: t.int32 });
 * console.log(messageMetaByType(Pong)?.id === Pong.meta.id); // true
 * ```
 */
export function messageMetaByType<T extends object>(
  type: MessageType<T>,
): MessageMeta<T> | undefined {
  return Object.hasOwn(type, META) ? ((type as Tagged)[META] as MessageMeta<T>) : undefined;
}

/**
 * The meta of a message instance's class, or undefined (one property read: the send path uses it).
 *
 * @example
 * ```ts
 * import { defineMessage, messageMetaByMsg, t } from "@cellnet/cellnet";
 * const Hi = defineMessage("metadoc.Hi", { Text: t.string });
 * console.log(messageMetaByMsg(new Hi())?.name); // "metadoc.Hi"
 * ```
 */
export function messageMetaByMsg<T extends object>(message: T): MessageMeta<T> | undefined {
  const ctor = (message as { constructor?: unknown }).constructor as Tagged | undefined;
  const meta = ctor?.[META];
  return meta !== undefined && meta.type === ctor ? (meta as unknown as MessageMeta<T>) : undefined;
}

/**
 * Every registered meta, for tools and tests.
 *
 * @example
 * ```ts
 * import { registeredMessageMetas } from "@cellnet/cellnet";
 * for (const meta of registeredMessageMetas()) console.log(meta.id, meta.name);
 * ```
 */
export function registeredMessageMetas(): MessageMeta<object>[] {
  return [...byId.values()];
}

/**
 * A message's name for log lines: its registered full name, else its class
 * name, else what it prints as (system events print as `SessionClosed: …`).
 *
 * @example
 * ```ts
 * import { defineMessage, messageName, t } from "@cellnet/cellnet";
 * const Hello = defineMessage("doc.NamedHello", { Text: t.string });
 * console.log(messageName(new Hello())); // "doc.NamedHello"
 * ```
 */
export function messageName(message: unknown): string {
  if (typeof message !== "object" || message === null) return String(message);
  const meta = messageMetaByMsg(message);
  if (meta !== undefined && !meta.system) return meta.name;
  const ctor = (message as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === "string" && ctor.name !== "Object" ? ctor.name : String(message);
}
