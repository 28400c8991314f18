/**
 * Internal: protoplus encoders and decoders of scalar fields (protoplus
 * v0.1.0 `proto/field_marshal.go`, `proto/field_unmarshal.go`), and the
 * value checks shared with slices.
 *
 * @module
 */
import type { ByteWriter } from "./byte_writer.ts";
import type { FieldType } from "./field.ts";
import {
  beginLength,
  endLength,
  hiOf,
  int64Of,
  loOf,
  uint64Of,
  WIRE,
  type WireReader,
  writeUtf8,
  writeVarint32,
  writeVarint64,
} from "./_protoplus_wire.ts";
import { EncodeError } from "../errors.ts";

/** Writes one field (nothing when its value is the zero value). */
export type Encode = (value: unknown, out: ByteWriter) => void;
/** Reads one occurrence of a field; `prev` is the current value (bytes and slices append to it). */
export type Decode = (r: WireReader, wt: number, prev: unknown) => unknown;

/** A compiled field. */
export interface FieldPlan {
  readonly enc: Encode;
  readonly dec: Decode;
  /** The decoder reads `prev` (bytes, slices and structs accumulate, as in Go). */
  readonly usesPrev: boolean;
}

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;
const MAX_U64 = 2n ** 64n - 1n;
const TWO_32 = 4294967296;

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

/** An EncodeError saying what `path` should have held and what it held. */
export function bad(path: string, expected: string, v: unknown): EncodeError {
  return new EncodeError(`${path}: expected ${expected}, got ${describe(v)}`);
}

/** Key varint of field `index` with wire type `wt`. */
export function keyOf(index: number, wt: number): number {
  return index * 8 + wt;
}

/** Bytes in the varint of `v` (a non-negative safe integer). */
export function varintSize(v: number): number {
  let n = 1;
  while (v > 0x7f) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Split an int64/uint64 value (bigint or safe integer) into halves; throws EncodeError. */
export function int64Halves(
  v: unknown,
  path: string,
  unsigned: boolean,
): { lo: number; hi: number } | 0 {
  if (typeof v === "bigint") {
    if (unsigned ? v < 0n || v > MAX_U64 : v < MIN_I64 || v > MAX_I64) {
      throw bad(
        path,
        unsigned ? "a uint64 (bigint in 0..2^64-1)" : "an int64 (bigint in -2^63..2^63-1)",
        v,
      );
    }
    if (v === 0n) return 0;
    halves.lo = loOf(v);
    halves.hi = hiOf(v);
    return halves;
  }
  if (typeof v === "number" && Number.isSafeInteger(v) && (!unsigned || v >= 0)) {
    if (v === 0) return 0;
    halves.lo = v >>> 0;
    halves.hi = Math.floor(v / TWO_32) >>> 0;
    return halves;
  }
  throw bad(
    path,
    unsigned
      ? "a uint64 (bigint, or a non-negative safe integer number)"
      : "an int64 (bigint, or a safe integer number)",
    v,
  );
}
// One shared result: encoding is synchronous and reads it at once.
const halves = { lo: 0, hi: 0 };

/** `v` as an int32, or an EncodeError. */
export function checkInt32(v: unknown, path: string): number {
  if (typeof v !== "number" || (v | 0) !== v) {
    throw bad(path, "an int32 (integer in -2147483648..2147483647)", v);
  }
  return v;
}

/** `v` as a uint32, or an EncodeError. */
export function checkUint32(v: unknown, path: string): number {
  if (typeof v !== "number" || v >>> 0 !== v) {
    throw bad(path, "a uint32 (integer in 0..4294967295)", v);
  }
  return v;
}

const SUPPORTED =
  "bool, int32, uint32, int64, uint64, float32, float64, string, bytes, struct or a slice of these";

/** The TypeError for a field kind protoplus does not have. */
export function unsupported(
  path: string,
  type: FieldType<unknown>,
  what: string = type.kind,
): TypeError {
  const hint = type.kind === "int8" || type.kind === "int16"
    ? " (protoplus has no 8- or 16-bit integers: use t.int32)"
    : type.kind === "uint8" || type.kind === "uint16"
    ? " (protoplus has no 8- or 16-bit integers: use t.uint32, or t.bytes for []byte)"
    : "";
  return new TypeError(
    `protoplus codec: ${path}: unsupported field type ${what}${hint}; protoplus has ${SUPPORTED}`,
  );
}

/** Compile a scalar field (bool, integers, floats, string, bytes) at protoplus index `index`. */
export function compileScalar(type: FieldType<unknown>, index: number, path: string): FieldPlan {
  const what = path;
  switch (type.kind) {
    case "bool": {
      const key = keyOf(index, WIRE.varint);
      return {
        usesPrev: false,
        enc: (v, w) => {
          if (typeof v !== "boolean") throw bad(path, "a boolean", v);
          if (!v) return;
          writeVarint32(w, key);
          w.u8(1);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.varint) throw r.badWireType(what, wt);
          return (r.varint(what) | r.hi) !== 0;
        },
      };
    }
    case "int32": {
      const keyV = keyOf(index, WIRE.varint);
      const keyF = keyOf(index, WIRE.fixed32);
      return {
        usesPrev: false,
        enc: (v, w) => {
          const n = checkInt32(v, path);
          if (n > 0) {
            writeVarint32(w, keyV);
            writeVarint32(w, n);
          } else if (n < 0) {
            writeVarint32(w, keyF);
            w.i32(n);
          }
        },
        dec: (r, wt) => {
          if (wt === WIRE.varint) return r.varint(what) | 0;
          if (wt === WIRE.fixed32) return r.fixed32(what) | 0;
          throw r.badWireType(what, wt);
        },
      };
    }
    case "uint32": {
      const key = keyOf(index, WIRE.varint);
      return {
        usesPrev: false,
        enc: (v, w) => {
          const n = checkUint32(v, path);
          if (n === 0) return;
          writeVarint32(w, key);
          writeVarint32(w, n);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.varint) throw r.badWireType(what, wt);
          return r.varint(what);
        },
      };
    }
    case "int64": {
      const keyV = keyOf(index, WIRE.varint);
      const keyF = keyOf(index, WIRE.fixed64);
      return {
        usesPrev: false,
        enc: (v, w) => {
          const h = int64Halves(v, path, false);
          if (h === 0) return;
          if ((h.hi | 0) >= 0) {
            writeVarint32(w, keyV);
            writeVarint64(w, h.lo, h.hi);
          } else {
            // protoplus: a negative int64 is Fixed64, not a 10-byte varint.
            writeVarint32(w, keyF);
            w.u32(h.lo);
            w.u32(h.hi);
          }
        },
        dec: (r, wt) => {
          let lo: number;
          if (wt === WIRE.varint) lo = r.varint(what);
          else if (wt === WIRE.fixed64) lo = r.fixed64(what);
          else throw r.badWireType(what, wt);
          return int64Of(lo, r.hi);
        },
      };
    }
    case "uint64": {
      const key = keyOf(index, WIRE.varint);
      return {
        usesPrev: false,
        enc: (v, w) => {
          const h = int64Halves(v, path, true);
          if (h === 0) return;
          writeVarint32(w, key);
          writeVarint64(w, h.lo, h.hi);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.varint) throw r.badWireType(what, wt);
          const lo = r.varint(what);
          return uint64Of(lo, r.hi);
        },
      };
    }
    case "float32": {
      const key = keyOf(index, WIRE.fixed32);
      return {
        usesPrev: false,
        enc: (v, w) => {
          if (typeof v !== "number") throw bad(path, "a number (float32)", v);
          // Go compares the float32: a number that rounds to ±0 is omitted.
          if (Math.fround(v) === 0) return;
          writeVarint32(w, key);
          w.f32(v);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.fixed32) throw r.badWireType(what, wt);
          return r.float32(what);
        },
      };
    }
    case "float64": {
      const key = keyOf(index, WIRE.fixed64);
      return {
        usesPrev: false,
        enc: (v, w) => {
          if (typeof v !== "number") throw bad(path, "a number (float64)", v);
          if (v === 0) return;
          writeVarint32(w, key);
          w.f64(v);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.fixed64) throw r.badWireType(what, wt);
          return r.float64(what);
        },
      };
    }
    case "string": {
      const key = keyOf(index, WIRE.bytes);
      return {
        usesPrev: false,
        enc: (v, w) => {
          if (typeof v !== "string") throw bad(path, "a string", v);
          if (v === "") return;
          writeVarint32(w, key);
          const at = beginLength(w);
          writeUtf8(w, v);
          endLength(w, at);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          return r.string(what);
        },
      };
    }
    case "bytes": {
      const key = keyOf(index, WIRE.bytes);
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!(v instanceof Uint8Array)) throw bad(path, "a Uint8Array", v);
          if (v.length === 0) return;
          writeVarint32(w, key);
          writeVarint32(w, v.length);
          w.bytes(v);
        },
        dec: (r, wt, prev) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          const got = r.bytes(what);
          // A repeated field appends, as Go's `append(*ret, ...)` does.
          if (!(prev instanceof Uint8Array) || prev.length === 0) return got;
          const joined = new Uint8Array(prev.length + got.length);
          joined.set(prev);
          joined.set(got, prev.length);
          return joined;
        },
      };
    }
    default:
      throw unsupported(path, type);
  }
}
