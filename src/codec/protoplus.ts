/**
 * cellnet's `protoplus` codec (github.com/davyxu/protoplus v0.1.0), the
 * codec of cellnet's rpc and relay envelopes. It looks like protobuf but is
 * not compatible with it:
 *
 * - a field is `key, payload` with key = `fieldIndex << 3 | wireType`, where
 *   fieldIndex is the field's 0-based position in the schema;
 * - wire types 1 Varint, 2 Bytes, 3/4 Zigzag (read, never written),
 *   5 Fixed32, 6 Fixed64;
 * - zero values (false, 0, ±0.0, "", empty bytes and slices) are omitted;
 * - a negative int32 / int64 is Fixed32 / Fixed64 (4 / 8 bytes two's
 *   complement), but a negative element of a `[]int32` / `[]int64` is the
 *   10-byte varint of its 64-bit value inside the packed payload;
 * - floats are Fixed32 / Fixed64 IEEE bits; float slices are packed raw;
 * - `[]bool` is a count then one 0/1 byte each; `[]string` repeats the key
 *   per element (empty strings kept);
 * - a nested struct is key, size, body, and is omitted when its body is
 *   empty, so all-zero elements of a struct slice vanish from the wire.
 *
 * Schemas are the `t.*` ones; protoplus has no 8- or 16-bit integers and no
 * slices of bytes or of slices, and binding such a schema throws a
 * TypeError. `t.ignored` fields are never written (the zero value of a
 * protoplus field is no bytes) and are decoded normally.
 *
 * Decoding follows protoplus: unknown fields are skipped by wire type, a
 * field seen twice keeps the last scalar or string and appends bytes and
 * slices (a nested struct is decoded into the same struct). Where Go panics
 * or silently misreads (a bytes or nested length past the end, a truncated
 * fixed32/fixed64, a varint longer than 10 bytes, a wrong wire type, a
 * `[]bool` byte other than 0/1) this throws a {@link DecodeError}, and
 * nothing else. Strings are decoded as UTF-8 with U+FFFD for invalid
 * sequences. The one difference on the encoding side: the length prefix of
 * a nested struct holding an empty string in a `[]string` is the true length
 * (protoplus's Size() undercounts it, and Go cannot decode its own output).
 *
 * Importing this module registers the codec.
 *
 * @module
 */
import type { BoundCodec, MessageShape, SchemaCodec } from "./codec.ts";
import { registerCodec } from "./codec.ts";
import type { ByteWriter } from "./byte_writer.ts";
import { t } from "./field.ts";
import { compileMembers } from "./_protoplus_fields.ts";
import { WireReader } from "./_protoplus_wire.ts";
import { DecodeError, EncodeError } from "../errors.ts";

// Decoding is synchronous, so one reader serves every call; a fresh one is
// made only if a decode re-enters (a shape's create() decoding something).
let spareReader: WireReader | null = new WireReader();

function bindProtoplus<T extends object>(shape: MessageShape<T>): BoundCodec<T> {
  if (!shape.fields) {
    throw new TypeError(
      `protoplus codec: message ${shape.name} declares no fields (the protoplus codec needs a schema)`,
    );
  }
  t.struct(shape.fields); // validates names and field types
  const name = shape.name;
  const create = shape.create;
  const { decodeMembers, encodeMembers } = compileMembers(shape.fields, name);
  const decodeRange = (buf: Uint8Array, start: number, end: number): T => {
    const r = spareReader ?? new WireReader();
    spareReader = null;
    try {
      const msg = create();
      r.resetRange(buf, start, end);
      decodeMembers(msg as unknown as Record<string, unknown>, r);
      return msg;
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError(`${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    } finally {
      r.release();
      spareReader = r;
    }
  };
  return {
    encode(message: T, out: ByteWriter): void {
      if (typeof message !== "object" || message === null) {
        throw new EncodeError(
          `${name}: expected a message object, got ${message === null ? "null" : typeof message}`,
        );
      }
      // Top level: every field is written, however small the body (no size check, as in Go).
      encodeMembers(message as unknown as Record<string, unknown>, out);
    },
    decode(body: Uint8Array): T {
      return decodeRange(body, 0, body.length);
    },
    decodeRange,
  };
}

/**
 * The `protoplus` codec: cellnet's name and MIME type (`application/binary`,
 * as cellnet's `codec/protoplus` reports). Name it in `defineMessage`.
 *
 * @example A protoplus message
 * ```ts
 * import { defineMessage, t } from "@cellnet/cellnet";
 * import { ByteWriter } from "@cellnet/cellnet";
 * import { protoplusCodec } from "@cellnet/cellnet";
 *
 * const Move = defineMessage("docpp.Move", { X: t.int32, Y: t.int32 }, { codec: "protoplus" });
 * const out = new ByteWriter();
 * Move.meta.bound.encode(new Move({ X: 1, Y: -1 }), out); // 01 01 0d ff ff ff ff
 * Move.meta.bound.decode(out.view()); // Move { X: 1, Y: -1 }
 * console.log(protoplusCodec.name); // "protoplus"
 * ```
 */
export const protoplusCodec: SchemaCodec = Object.freeze({
  name: "protoplus",
  mimeType: "application/binary",
  bind: bindProtoplus,
});

registerCodec(protoplusCodec);
