/**
 * One-call encoding of a single message, like Go's `codec.EncodeMessage` and
 * `codec.DecodeMessage`: no writer, bound codec or receiver to set up, for
 * tools, tests, and anything that stores or forwards message bodies.
 *
 * @module
 */
import { ByteWriter } from "../codec/byte_writer.ts";
import {
  DecodeError,
  ProtocolError,
  UnknownMessageError,
  UnregisteredMessageError,
} from "../errors.ts";
import { messageMetaById, messageMetaByMsg } from "./meta.ts";

/**
 * Encode `message` with its registered codec: its id and a fresh copy of its
 * body. Throws `UnregisteredMessageError` for an unregistered type and
 * `EncodeError` when a field cannot be encoded.
 *
 * @example
 * ```ts
 * import { decodeMessage, defineMessage, encodeMessage, t } from "@cellnet/cellnet";
 * const TestEchoACK = defineMessage("encdoc.TestEchoACK", { Msg: t.string, Value: t.int32 });
 * const { id, body } = encodeMessage(new TestEchoACK({ Msg: "hello", Value: 1234 }));
 * const back = decodeMessage(id, body) as InstanceType<typeof TestEchoACK>;
 * console.log(back.Msg, back.Value); // hello 1234
 * ```
 */
export function encodeMessage(message: object): { id: number; body: Uint8Array } {
  const meta = messageMetaByMsg(message);
  if (meta === undefined || meta.system) {
    const name = (message as { constructor?: { name?: string } })?.constructor?.name ??
      typeof message;
    throw new UnregisteredMessageError(
      `cannot encode ${name}: its type is not a registered message`,
    );
  }
  const out = new ByteWriter(64);
  meta.bound.encode(message, out);
  return { id: meta.id, body: out.view().slice() };
}

/**
 * Decode a body by message id with the registered codec. Throws
 * `UnknownMessageError` for an id no message has (or a system event's),
 * and `DecodeError` for a body that does not decode.
 *
 * @example
 * ```ts
 * import { decodeMessage, UnknownMessageError } from "@cellnet/cellnet";
 * try {
 *   decodeMessage(4660, new Uint8Array());
 * } catch (e) {
 *   console.log(e instanceof UnknownMessageError); // true, unless something registered id 4660
 * }
 * ```
 */
export function decodeMessage(id: number, body: Uint8Array): object {
  const meta = messageMetaById(id);
  if (meta === undefined || meta.system) throw new UnknownMessageError(id);
  try {
    return meta.bound.decode(body);
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    const why = e instanceof ProtocolError ? e.message : String((e as Error)?.message ?? e);
    throw new DecodeError(`${meta.name} (id ${id}): ${why}`, { cause: e });
  }
}
