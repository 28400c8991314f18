/**
 * Schema plans for the json codec: an encoder and a decoder per `t.*` field
 * type, compiled once per message type.
 *
 * @module
 */
import { type Fields, type FieldType, zeroValues } from "./field.ts";
import { DecodeError, EncodeError } from "../errors.ts";
import { base64, formatFloat, goEscape, unbase64 } from "./_json_go_text.ts";
import { JsonNumber, type JsonValue } from "./_json_reader.ts";

// ---- schema plans -----------------------------------------------------------

export type Encode = (v: unknown) => string;
export type Decode = (v: JsonValue) => unknown;
export interface Plan {
  readonly enc: Encode;
  readonly dec: Decode;
}

const INT_RANGE: { readonly [kind: string]: readonly [number, number] } = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};
const BIG_RANGE: { readonly [kind: string]: readonly [bigint, bigint] } = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

export function jsonKind(v: JsonValue): string {
  if (v === null) return "null";
  if (v instanceof JsonNumber) return "number";
  if (v instanceof Map) return "object";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

export function mismatch(path: string, goType: string, v: JsonValue): DecodeError {
  return new DecodeError(`json: cannot unmarshal ${jsonKind(v)} into ${path} of type ${goType}`);
}

export function wrongType(path: string, expected: string, v: unknown): EncodeError {
  const got = v === null
    ? "null"
    : Array.isArray(v)
    ? "an array"
    : typeof v === "number"
    ? `the number ${v}`
    : typeof v;
  return new EncodeError(`${path}: expected ${expected}, got ${got}`);
}

export function compile(type: FieldType<unknown>, path: string): Plan {
  const kind = type.kind;
  const intRange = INT_RANGE[kind];
  if (intRange) {
    const [lo, hi] = intRange;
    return {
      enc: (v) => {
        if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
          throw wrongType(
            path,
            `${kind.startsWith("u") ? "a" : "an"} ${kind} (integer in ${lo}..${hi})`,
            v,
          );
        }
        return String(v);
      },
      dec: (v) => {
        if (!(v instanceof JsonNumber)) throw mismatch(path, kind, v);
        // `+ 0` turns the literal -0 into 0, as Go's ParseInt does.
        const n = INTEGER.test(v.raw) ? Number(v.raw) + 0 : NaN;
        if (!(n >= lo && n <= hi)) {
          throw new DecodeError(
            `json: cannot unmarshal number ${v.raw} into ${path} of type ${kind}`,
          );
        }
        return n;
      },
    };
  }
  const bigRange = BIG_RANGE[kind];
  if (bigRange) {
    const [lo, hi] = bigRange;
    return {
      enc: (v) => {
        if (typeof v === "bigint" && v >= lo && v <= hi) return v.toString();
        if (typeof v === "number" && Number.isSafeInteger(v) && v >= lo) return String(v);
        throw wrongType(
          path,
          `${
            kind.startsWith("u") ? "a" : "an"
          } ${kind} (bigint in range, or a safe integer number)`,
          v,
        );
      },
      dec: (v) => {
        if (!(v instanceof JsonNumber)) throw mismatch(path, kind, v);
        const n = INTEGER.test(v.raw) ? BigInt(v.raw) : null;
        if (n === null || n < lo || n > hi) {
          throw new DecodeError(
            `json: cannot unmarshal number ${v.raw} into ${path} of type ${kind}`,
          );
        }
        return n;
      },
    };
  }
  switch (kind) {
    case "bool":
      return {
        enc: (v) => {
          if (typeof v !== "boolean") throw wrongType(path, "a boolean", v);
          return v ? "true" : "false";
        },
        dec: (v) => {
          if (typeof v !== "boolean") throw mismatch(path, "bool", v);
          return v;
        },
      };
    case "float32":
    case "float64": {
      const f32 = kind === "float32";
      return {
        enc: (v) => {
          if (typeof v !== "number") throw wrongType(path, `a number (${kind})`, v);
          return formatFloat(v, f32, path);
        },
        dec: (v) => {
          if (!(v instanceof JsonNumber)) throw mismatch(path, kind, v);
          const n = f32 ? Math.fround(Number(v.raw)) : Number(v.raw);
          if (!Number.isFinite(n)) {
            throw new DecodeError(
              `json: cannot unmarshal number ${v.raw} into ${path} of type ${kind}`,
            );
          }
          return n;
        },
      };
    }
    case "string":
      return {
        enc: (v) => {
          if (typeof v !== "string") throw wrongType(path, "a string", v);
          return goEscape(JSON.stringify(v));
        },
        dec: (v) => {
          if (typeof v !== "string") throw mismatch(path, "string", v);
          return v;
        },
      };
    case "bytes":
      return {
        enc: (v) => {
          if (!(v instanceof Uint8Array)) throw wrongType(path, "a Uint8Array", v);
          return `"${base64(v)}"`;
        },
        dec: (v) => {
          if (typeof v !== "string") throw mismatch(path, "[]byte", v);
          return unbase64(v, path);
        },
      };
    case "slice": {
      const elem = compile(type.elem!, path + "[]");
      return {
        enc: (v) => {
          if (!Array.isArray(v)) throw wrongType(path, "an array", v);
          let s = "[";
          for (let i = 0; i < v.length; i++) s += (i === 0 ? "" : ",") + elem.enc(v[i]);
          return s + "]";
        },
        dec: (v) => {
          if (!Array.isArray(v)) throw mismatch(path, "slice", v);
          return v.map(elem.dec);
        },
      };
    }
    case "struct": {
      const fields = type.fields!;
      const members = compileMembers(fields, path);
      return {
        enc: (v) => {
          if (typeof v !== "object" || v === null) throw wrongType(path, "an object", v);
          return members.encode(v as Record<string, unknown>);
        },
        dec: (v) => {
          if (!(v instanceof Map)) throw mismatch(path, "struct", v);
          const o = zeroValues(fields) as Record<string, unknown>;
          members.decodeInto(v, o);
          return o;
        },
      };
    }
    default:
      throw new TypeError(`${path}: unsupported field kind '${kind}'`);
  }
}

export interface Members {
  encode(o: Record<string, unknown>): string;
  decodeInto(v: Map<string, JsonValue>, o: Record<string, unknown>): void;
}

export function compileMembers(fields: Fields, path: string): Members {
  const names = Object.keys(fields);
  const plans = names.map((n) => compile(fields[n]!, `${path}.${n}`));
  const keys = names.map((n) => goEscape(JSON.stringify(n)) + ":");
  const byName = new Map<string, number>(names.map((n, i) => [n, i]));
  const byFolded = new Map<string, number>();
  names.forEach((n, i) => {
    const folded = n.toLowerCase();
    if (!byFolded.has(folded)) byFolded.set(folded, i);
  });
  return {
    encode(o) {
      let s = "{";
      for (let i = 0; i < names.length; i++) {
        s += (i === 0 ? "" : ",") + keys[i] + plans[i]!.enc(o[names[i]!]);
      }
      return s + "}";
    },
    decodeInto(v, o) {
      for (const [key, value] of v) {
        // Go: an exact match wins, else a case-insensitive one; unknown keys are skipped.
        const i = byName.get(key) ?? byFolded.get(key.toLowerCase());
        if (i === undefined || value === null) continue;
        o[names[i]!] = plans[i]!.dec(value);
      }
    },
  };
}
