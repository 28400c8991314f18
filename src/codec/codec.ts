/**
 * Codecs turn a message object into body bytes and back. cellnet names:
 * `binary` (goobjfmt), `json`; user codecs register with {@link registerCodec}.
 *
 * A codec is bound once per message type ({@link Codec.bind}) so the hot path
 * runs a plan prepared at registration, with no per-message lookups.
 *
 * @module
 */
import type { ByteWriter } from "./byte_writer.ts";
import type { Fields } from "./field.ts";
import { NotRegisteredError } from "../errors.ts";

/** What a codec needs to know about one message type. */
export interface MessageShape<T extends object = object> {
  /** Full name, e.g. `proto.ChatREQ` (for error messages and JSON). */
  readonly name: string;
  /** Creates an instance holding each field's zero value. */
  readonly create: () => T;
  /** The declared fields in wire order; absent for schemaless types (json, raw). */
  readonly fields?: Fields;
}

/** A codec prepared for one message type. */
export interface BoundCodec<T extends object = object> {
  /**
   * Append the body of `message` at `out`'s end. Throws
   * {@link import("../errors.ts").EncodeError} when it cannot be encoded; the
   * caller rolls `out` back.
   */
  encode(message: T, out: ByteWriter): void;
  /**
   * Decode a body (never retained: copy what must outlive the call). Throws
   * {@link import("../errors.ts").DecodeError} on malformed input, never
   * anything else.
   */
  decode(body: Uint8Array): T;
  /**
   * Optional: decode `buf[start..end)` in place, with the same result and
   * errors as `decode(buf.subarray(start, end))`. The tcp.ltv receiver uses
   * it when present, saving a view per frame (the binary codec has it).
   */
  decodeRange?(buf: Uint8Array, start: number, end: number): T;
}

/**
 * A named codec, cellnet's `cellnet.Codec`. `T` is the message type the
 * codec binds to; a user codec implements `Codec` (any object) and returns
 * plain objects from `decode` without casts, while the built-in codecs bind
 * generically. The registry pairs each bound codec with its message type.
 */
export interface Codec<T extends object = object> {
  /** Registry name, e.g. `binary`. */
  readonly name: string;
  /** MIME type, e.g. `application/binary`. */
  readonly mimeType: string;
  /** Prepare this codec for one message type. Throws if the shape is unsupported. */
  bind(shape: MessageShape<T>): BoundCodec<T>;
}

/**
 * A codec that binds to any message type, keeping it in the bound codec's
 * type: what the built-in schema codecs (`binary`, `json`, `protoplus`) are.
 */
export interface SchemaCodec extends Codec {
  /** Prepare this codec for one message type `T`. Throws if the shape is unsupported. */
  bind<T extends object>(shape: MessageShape<T>): BoundCodec<T>;
}

const codecs = new Map<string, Codec>();

/**
 * Register a codec under its name so messages can name it.
 *
 * @example Registering a codec
 * ```ts
 * import { registerCodec, getCodec } from "@cellnet/cellnet";
 * registerCodec(getCodec("json")); // already registered: replaces itself
 * ```
 */
export function registerCodec(codec: Codec): void {
  codecs.set(codec.name, codec);
}

/**
 * Look a codec up by name; throws {@link NotRegisteredError} when unknown.
 *
 * @example
 * ```ts
 * import { getCodec } from "@cellnet/cellnet";
 * console.log(getCodec("binary").mimeType);
 * ```
 */
export function getCodec(name: string): Codec {
  const codec = codecs.get(name);
  if (!codec) {
    throw new NotRegisteredError(
      `codec not registered: '${name}' (known: ${[...codecs.keys()].join(", ") || "none"})`,
    );
  }
  return codec;
}
