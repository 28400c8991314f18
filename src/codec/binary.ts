/**
 * cellnet's `binary` codec (goobjfmt): fields concatenated in declaration
 * order, little-endian, strings and slices prefixed by a uint16 length.
 *
 * Differences from goobjfmt, all deliberate:
 * - no trailing zero padding (goobjfmt sizes slice elements by Go's in-memory
 *   size and returns its whole buffer; decoders ignore trailing bytes, so
 *   the true encoding is equivalent on the wire);
 * - lengths over 65535 are an {@link EncodeError} instead of silently wrapping;
 * - lengths or counts running past the body are a {@link DecodeError}
 *   instead of a panic;
 * - strings are decoded as UTF-8 with U+FFFD for invalid sequences (Go keeps
 *   the raw bytes; a JS string cannot).
 *
 * Importing this module registers the codec.
 *
 * @module
 */
import type { BoundCodec, MessageShape, SchemaCodec } from "./codec.ts";
import { registerCodec } from "./codec.ts";
import { type ByteWriter, utf8Length } from "./byte_writer.ts";
import { ByteReader } from "./_byte_reader.ts";
import { decodeMembers as unrollDecode, encodeMembers as unrollEncode } from "./_unroll.ts";
import { type Fields, type FieldType, t } from "./field.ts";
import { DecodeError, EncodeError } from "../errors.ts";

type Encode = (value: unknown, out: ByteWriter) => void;
type Decode = (r: ByteReader) => unknown;
type Size = (value: unknown) => number;

/** A field compiled once at bind time. */
interface Plan {
  readonly enc: Encode;
  readonly dec: Decode;
  /** Encoded size of the zero value: goobjfmt's minimum body size. */
  readonly min: number;
}

const MAX_U16 = 0xffff;
const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;
const MAX_U64 = 2n ** 64n - 1n;

const WIDTH: { readonly [kind: string]: number } = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v instanceof Uint8Array) return "a Uint8Array";
  switch (typeof v) {
    case "number":
      return `the number ${v}`;
    case "bigint":
      return `the bigint ${v}n`;
    case "string":
      return "a string";
    case "boolean":
      return `${v}`;
    case "undefined":
      return "undefined";
    default:
      return `a value of type ${typeof v}`;
  }
}

function bad(path: string, expected: string, v: unknown): EncodeError {
  return new EncodeError(`${path}: expected ${expected}, got ${describe(v)}`);
}

/** Go's in-memory size and alignment on 64-bit, used only to size `binary:"-"` slices. */
function goLayout(type: FieldType<unknown>): { size: number; align: number } {
  const w = WIDTH[type.kind];
  if (w !== undefined) return { size: w, align: w };
  if (type.kind === "string") return { size: 16, align: 8 };
  if (type.kind === "bytes" || type.kind === "slice") return { size: 24, align: 8 };
  let size = 0;
  let align = 1;
  for (const f of Object.values(type.fields ?? {})) {
    const l = goLayout(f);
    size = Math.ceil(size / l.align) * l.align + l.size;
    align = Math.max(align, l.align);
  }
  return { size: Math.ceil(size / align) * align, align };
}

/**
 * goobjfmt's `dataSize` for a value, i.e. how many zeros a `binary:"-"` field
 * takes. A value of the wrong type counts as the zero value: the field is not
 * sent, so there is nothing to reject.
 */
function compileSize(type: FieldType<unknown>): Size {
  const w = WIDTH[type.kind];
  if (w !== undefined) return () => w;
  switch (type.kind) {
    case "string":
      return (v) => 2 + (typeof v === "string" ? utf8Length(v) : 0);
    case "bytes":
      return (v) => 2 + (v instanceof Uint8Array ? v.length : 0);
    case "slice": {
      const elemSize = goLayout(type.elem!).size;
      return (v) => 2 + (Array.isArray(v) ? v.length * elemSize : 0);
    }
    default: {
      const names = Object.keys(type.fields!);
      const sizes = names.map((n) => compileSize(type.fields![n]!));
      return (v) => {
        const o = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
        let sum = 0;
        for (let i = 0; i < names.length; i++) sum += sizes[i]!(o[names[i]!]);
        return sum;
      };
    }
  }
}

function compileScalar(type: FieldType<unknown>, path: string): Plan {
  // Built once here: the decode closures run per message and must not concatenate.
  const what = `${path}: ${type.kind}`;
  switch (type.kind) {
    case "bool":
      return {
        min: 1,
        enc: (v, out) => {
          if (typeof v !== "boolean") throw bad(path, "a boolean", v);
          out.u8(v ? 1 : 0);
        },
        dec: (r) => r.u8(what) !== 0,
      };
    case "int8":
      return {
        min: 1,
        enc: (v, out) => {
          if (typeof v !== "number" || (v << 24) >> 24 !== v) {
            throw bad(path, "an int8 (integer in -128..127)", v);
          }
          out.i8(v);
        },
        dec: (r) => r.i8(what),
      };
    case "uint8":
      return {
        min: 1,
        enc: (v, out) => {
          if (typeof v !== "number" || (v & 0xff) !== v) {
            throw bad(path, "a uint8 (integer in 0..255)", v);
          }
          out.u8(v);
        },
        dec: (r) => r.u8(what),
      };
    case "int16":
      return {
        min: 2,
        enc: (v, out) => {
          if (typeof v !== "number" || (v << 16) >> 16 !== v) {
            throw bad(path, "an int16 (integer in -32768..32767)", v);
          }
          out.i16(v);
        },
        dec: (r) => r.i16(what),
      };
    case "uint16":
      return {
        min: 2,
        enc: (v, out) => {
          if (typeof v !== "number" || (v & 0xffff) !== v) {
            throw bad(path, "a uint16 (integer in 0..65535)", v);
          }
          out.u16(v);
        },
        dec: (r) => r.u16(what),
      };
    case "int32":
      return {
        min: 4,
        enc: (v, out) => {
          if (typeof v !== "number" || (v | 0) !== v) {
            throw bad(path, "an int32 (integer in -2147483648..2147483647)", v);
          }
          out.i32(v);
        },
        dec: (r) => r.i32(what),
      };
    case "uint32":
      return {
        min: 4,
        enc: (v, out) => {
          if (typeof v !== "number" || v >>> 0 !== v) {
            throw bad(path, "a uint32 (integer in 0..4294967295)", v);
          }
          out.u32(v);
        },
        dec: (r) => r.u32(what),
      };
    case "int64":
      return {
        min: 8,
        enc: (v, out) => {
          if (typeof v === "bigint") {
            if (v < MIN_I64 || v > MAX_I64) {
              throw bad(path, "an int64 (bigint in -2^63..2^63-1)", v);
            }
            out.i64(v);
          } else if (typeof v === "number" && Number.isSafeInteger(v)) {
            out.i64(BigInt(v));
          } else {
            throw bad(path, "an int64 (bigint, or a safe integer number)", v);
          }
        },
        dec: (r) => r.i64(what),
      };
    case "uint64":
      return {
        min: 8,
        enc: (v, out) => {
          if (typeof v === "bigint") {
            if (v < 0n || v > MAX_U64) throw bad(path, "a uint64 (bigint in 0..2^64-1)", v);
            out.u64(v);
          } else if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) {
            out.u64(BigInt(v));
          } else {
            throw bad(path, "a uint64 (bigint, or a non-negative safe integer number)", v);
          }
        },
        dec: (r) => r.u64(what),
      };
    case "float32":
      return {
        min: 4,
        enc: (v, out) => {
          if (typeof v !== "number") throw bad(path, "a number (float32)", v);
          out.f32(v);
        },
        dec: (r) => r.f32(what),
      };
    case "float64":
      return {
        min: 8,
        enc: (v, out) => {
          if (typeof v !== "number") throw bad(path, "a number (float64)", v);
          out.f64(v);
        },
        dec: (r) => r.f64(what),
      };
    case "string":
      return {
        min: 2,
        enc: (v, out) => {
          if (typeof v !== "string") throw bad(path, "a string", v);
          try {
            out.string16(v);
          } catch (e) {
            throw new EncodeError(`${path}: ${(e as Error).message}`, { cause: e });
          }
        },
        dec: (r) => r.string16(what),
      };
    case "bytes":
      return {
        min: 2,
        enc: (v, out) => {
          if (!(v instanceof Uint8Array)) throw bad(path, "a Uint8Array", v);
          if (v.length > MAX_U16) {
            throw new EncodeError(`${path}: byte slice of ${v.length} bytes exceeds ${MAX_U16}`);
          }
          out.u16(v.length);
          out.bytes(v);
        },
        dec: (r) => r.bytes16(what),
      };
    default:
      throw new TypeError(`${path}: unsupported field kind '${type.kind}'`);
  }
}

function compileSlice(type: FieldType<unknown>, path: string): Plan {
  const elem = compile(type.elem!, path + "[]");
  const encElem = elem.enc;
  const decElem = elem.dec;
  const elemMin = elem.min;
  const what = path + ": slice";
  return {
    min: 2,
    enc: (v, out) => {
      if (!Array.isArray(v)) throw bad(path, "an array", v);
      const n = v.length;
      if (n > MAX_U16) throw new EncodeError(`${path}: slice of ${n} elements exceeds ${MAX_U16}`);
      out.u16(n);
      for (let i = 0; i < n; i++) encElem(v[i], out);
    },
    dec: (r) => {
      const n = r.count16(what, elemMin);
      const arr: unknown[] = [];
      for (let i = 0; i < n; i++) arr.push(decElem(r));
      return arr;
    },
  };
}

/** Compiled member list of a struct; shared by nested structs and the top level. */
interface StructPlan {
  readonly min: number;
  /** Read every member into an object (in declaration order). */
  readonly decodeMembers: (o: Record<string, unknown>, r: ByteReader) => void;
  /** Encode the members of an object already checked to be non-null. */
  readonly encodeMembers: (o: Record<string, unknown>, out: ByteWriter) => void;
}

function compileMembers(fields: Fields, path: string): StructPlan {
  const names = Object.keys(fields);
  const plans = names.map((n) => compile(fields[n]!, `${path}.${n}`));
  return {
    min: plans.reduce((sum, p) => sum + p.min, 0),
    decodeMembers: unrollDecode(names, plans.map((p) => p.dec)),
    encodeMembers: unrollEncode(names, plans.map((p) => p.enc)),
  };
}

function compileStruct(type: FieldType<unknown>, path: string): Plan {
  const { min, decodeMembers, encodeMembers } = compileMembers(type.fields!, path);
  return {
    min,
    enc: (v, out) => {
      if (typeof v !== "object" || v === null) throw bad(path, "an object", v);
      encodeMembers(v as Record<string, unknown>, out);
    },
    dec: (r) => {
      // Same key order every time, so every decoded value shares one hidden class.
      const o: Record<string, unknown> = {};
      decodeMembers(o, r);
      return o;
    },
  };
}

function compile(type: FieldType<unknown>, path: string): Plan {
  let plan: Plan;
  if (type.kind === "slice") plan = compileSlice(type, path);
  else if (type.kind === "struct") plan = compileStruct(type, path);
  else plan = compileScalar(type, path);
  if (!type.ignored) return plan;
  // goobjfmt writes zeros of the field's current size and decodes it normally.
  const size = compileSize(type);
  return { min: plan.min, dec: plan.dec, enc: (v, out) => out.zeros(size(v)) };
}

// Decoding is synchronous, so one reader serves every call; a fresh one is
// made only if a decode re-enters (a shape's create() decoding something).
let spareReader: ByteReader | null = new ByteReader();

function bindBinary<T extends object>(shape: MessageShape<T>): BoundCodec<T> {
  if (!shape.fields) {
    throw new TypeError(
      `binary codec: message ${shape.name} declares no fields (the binary codec needs a schema)`,
    );
  }
  t.struct(shape.fields); // validates names and field types
  const name = shape.name;
  const create = shape.create;
  const { min, decodeMembers, encodeMembers } = compileMembers(shape.fields, name);
  const decodeRange = (buf: Uint8Array, start: number, end: number): T => {
    const r = spareReader ?? new ByteReader();
    spareReader = null;
    try {
      const msg = create();
      const size = end - start;
      // goobjfmt: an empty body is a valid zero message.
      if (size === 0) return msg;
      if (size < min) {
        throw new DecodeError(
          `out of data: ${name} needs at least ${min} bytes, the body has ${size}`,
        );
      }
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
  const bound: BoundCodec<T> = {
    encode(message: T, out: ByteWriter): void {
      if (typeof message !== "object" || message === null) {
        throw bad(name, "a message object", message);
      }
      encodeMembers(message as unknown as Record<string, unknown>, out);
    },
    decode(body: Uint8Array): T {
      return decodeRange(body, 0, body.length);
    },
    decodeRange,
  };
  return bound;
}

/**
 * The `binary` codec (goobjfmt), cellnet's default for hand-written messages.
 *
 * @example Encoding and decoding `main.TestEchoACK`
 * ```ts
 * import { binaryCodec } from "./binary.ts";
 * import { ByteWriter } from "./byte_writer.ts";
 * import { t, zeroValues } from "./field.ts";
 *
 * const fields = { Msg: t.string, Value: t.int32 };
 * const echo = binaryCodec.bind({ name: "main.TestEchoACK", fields, create: () => zeroValues(fields) });
 * const out = new ByteWriter();
 * echo.encode({ Msg: "hello", Value: 1234 }, out); // 05 00 68 65 6c 6c 6f d2 04 00 00
 * echo.decode(out.view()); // { Msg: "hello", Value: 1234 }
 * ```
 */
export const binaryCodec: SchemaCodec = Object.freeze({
  name: "binary",
  mimeType: "application/binary",
  bind: bindBinary,
});

registerCodec(binaryCodec);
