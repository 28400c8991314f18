/**
 * cellnet's `json` codec: the body is what Go's `encoding/json` produces for
 * the same struct, e.g. `{"Msg":"hello","Value":1234}`.
 *
 * Matching Go means: keys in declaration order, no spaces, `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as `\u003c`…, `[]byte` as padded base64, int64
 * and uint64 as plain numbers with every digit (read back exactly, which
 * `JSON.parse` cannot do, hence the small parser below), float32 printed with
 * the shortest digits that identify the float32, NaN and ±Infinity refused.
 * Decoding follows Go too: keys match fields exactly or else
 * case-insensitively, unknown keys are skipped, `null` leaves the zero value,
 * and integer fields accept only integer literals in range.
 *
 * Differences: slices and `[]byte` always encode as `[]` / `""`, never `null`
 * (both are accepted on decode); `binary:"-"` tags mean nothing here, as in Go.
 *
 * Importing this module registers the codec.
 *
 * @module
 */
import type { BoundCodec, MessageShape, SchemaCodec } from "./codec.ts";
import { registerCodec } from "./codec.ts";
import type { ByteWriter } from "./byte_writer.ts";
import { DecodeError, EncodeError } from "../errors.ts";
import { t } from "./field.ts";
import { compileMembers, mismatch, wrongType } from "./_json_plan.ts";
import { goEscape } from "./_json_go_text.ts";
import { JsonReader } from "./_json_reader.ts";

// ---- the codec ----------------------------------------------------------------

const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

function bodyText(body: Uint8Array, name: string): string {
  if (body.length === 0) throw new DecodeError(`json: ${name}: unexpected end of JSON input`);
  return textDecoder.decode(body);
}

function asDecodeError(e: unknown, name: string): DecodeError {
  if (e instanceof DecodeError) return e;
  return new DecodeError(`json: ${name}: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
  });
}

function bindSchemaless<T extends object>(shape: MessageShape<T>): BoundCodec<T> {
  const name = shape.name;
  return {
    encode(message: T, out: ByteWriter): void {
      let json: string | undefined;
      try {
        json = JSON.stringify(message);
      } catch (e) {
        throw new EncodeError(`${name}: ${e instanceof Error ? e.message : String(e)}`, {
          cause: e,
        });
      }
      if (typeof json !== "string") throw wrongType(name, "a JSON-serialisable message", message);
      out.utf8(goEscape(json));
    },
    decode(body: Uint8Array): T {
      try {
        const parsed: unknown = JSON.parse(bodyText(body, name));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          throw new DecodeError(
            `json: cannot unmarshal ${
              Array.isArray(parsed) ? "array" : String(parsed === null ? "null" : typeof parsed)
            } into ${name}`,
          );
        }
        // A "__proto__" key would swap the message's prototype through Object.assign.
        if (Object.hasOwn(parsed, "__proto__")) {
          delete (parsed as Record<string, unknown>)["__proto__"];
        }
        return Object.assign(shape.create(), parsed);
      } catch (e) {
        throw asDecodeError(e, name);
      }
    },
  };
}

function bindJson<T extends object>(shape: MessageShape<T>): BoundCodec<T> {
  if (!shape.fields) return bindSchemaless(shape);
  t.struct(shape.fields); // validates names and field types
  const name = shape.name;
  const members = compileMembers(shape.fields, name);
  return {
    encode(message: T, out: ByteWriter): void {
      if (typeof message !== "object" || message === null) {
        throw wrongType(name, "a message object", message);
      }
      out.utf8(members.encode(message as unknown as Record<string, unknown>));
    },
    decode(body: Uint8Array): T {
      try {
        const v = new JsonReader(bodyText(body, name)).document();
        const msg = shape.create();
        if (v === null) return msg; // Go: unmarshalling null into a struct is a no-op
        if (!(v instanceof Map)) throw mismatch(name, name, v);
        members.decodeInto(v, msg as unknown as Record<string, unknown>);
        return msg;
      } catch (e) {
        throw asDecodeError(e, name);
      }
    },
  };
}

/**
 * The `json` codec, byte-compatible with Go's `encoding/json` for the
 * declared fields; schemaless shapes use `JSON.stringify` / `JSON.parse`.
 *
 * @example
 * ```ts
 * import { ByteWriter, jsonCodec, t, zeroValues } from "@cellnet/cellnet";
 * const fields = { Msg: t.string, Value: t.int32 };
 * const echo = jsonCodec.bind({ name: "main.TestEchoACK", fields, create: () => zeroValues(fields) });
 * const out = new ByteWriter();
 * echo.encode({ Msg: "hello", Value: 1234 }, out);
 * console.log(new TextDecoder().decode(out.view())); // {"Msg":"hello","Value":1234}
 * ```
 */
export const jsonCodec: SchemaCodec = Object.freeze({
  name: "json",
  mimeType: "application/json",
  bind: bindJson,
});

registerCodec(jsonCodec);
