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
import type { BoundCodec, Codec, MessageShape } from "./codec.ts";
import { registerCodec } from "./codec.ts";
import type { ByteWriter } from "./byte_writer.ts";
import { t, zeroValues, type FieldType, type Fields } from "./field.ts";
import { DecodeError, EncodeError } from "../errors.ts";

// ---- output helpers ---------------------------------------------------------

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const HTML_ESCAPES: { readonly [c: string]: string } = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** Go's escaping of `JSON.stringify`'s output (only strings can hold these characters). */
function goEscape(json: string): string {
  HTML_UNSAFE.lastIndex = 0;
  return HTML_UNSAFE.test(json) ? json.replace(HTML_UNSAFE, (c) => HTML_ESCAPES[c]!) : json;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

function base64(bytes: Uint8Array): string {
  let s = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + B64[v & 63]!;
  }
  if (i + 1 === n) {
    const v = bytes[i]! << 16;
    s += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + "==";
  } else if (i + 2 === n) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + "=";
  }
  return s;
}

/** Go's `base64.StdEncoding` decode: padding required, CR and LF ignored. */
function unbase64(text: string, path: string): Uint8Array {
  const s = text.includes("\r") || text.includes("\n") ? text.replace(/[\r\n]/g, "") : text;
  const bad = (): DecodeError => new DecodeError(`${path}: illegal base64 data`);
  if (s.length % 4 !== 0) throw bad();
  let pad = 0;
  if (s.endsWith("==")) pad = 2;
  else if (s.endsWith("=")) pad = 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    let v = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      let d = c < 128 ? B64_INDEX[c]! : -1;
      if (d < 0) {
        if (!(last && c === 0x3d && j >= 4 - pad)) throw bad();
        d = 0;
      }
      v = (v << 6) | d;
    }
    out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 0xff;
    if (o < out.length) out[o++] = v & 0xff;
  }
  return out;
}

/** Go's float formatting in encoding/json (JS's Number#toString uses the same 1e-6 / 1e21 switch to exponents). */
function formatFloat(v: number, float32: boolean, path: string): string {
  if (!Number.isFinite(v)) throw new EncodeError(`${path}: json: unsupported value: ${v}`);
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  if (!float32) return String(v);
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new EncodeError(`${path}: json: unsupported value: ${v} overflows float32`);
  // Shortest decimal that reads back as the same float32 (Go: FormatFloat(f, 'g', -1, 32)).
  for (let p = 1; p < 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(Number(f.toPrecision(9)));
}

// ---- a JSON reader that keeps number literals exact --------------------------

/** A number literal as written, so int64 values are not rounded through a double. */
class JsonNumber {
  constructor(readonly raw: string) {}
}
type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | Map<string, JsonValue>;

const MAX_DEPTH = 1000;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class JsonReader {
  #s: string;
  #i = 0;
  constructor(text: string) {
    this.#s = text;
  }

  #fail(what: string): DecodeError {
    const at = this.#i < this.#s.length ? `'${this.#s[this.#i]}' at offset ${this.#i}` : "end of input";
    return new DecodeError(`json: ${what}, found ${at}`);
  }

  #ws(): void {
    const s = this.#s;
    let i = this.#i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.#i = i;
  }

  /** Parse a whole document. */
  document(): JsonValue {
    const v = this.#value(0);
    this.#ws();
    if (this.#i !== this.#s.length) throw this.#fail("unexpected data after the top-level value");
    return v;
  }

  #value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw this.#fail(`nesting deeper than ${MAX_DEPTH}`);
    this.#ws();
    const s = this.#s;
    const c = s[this.#i];
    switch (c) {
      case "{": {
        this.#i++;
        const obj = new Map<string, JsonValue>();
        this.#ws();
        if (s[this.#i] === "}") {
          this.#i++;
          return obj;
        }
        for (;;) {
          this.#ws();
          if (s[this.#i] !== '"') throw this.#fail("expected a string key");
          const key = this.#string();
          this.#ws();
          if (s[this.#i] !== ":") throw this.#fail("expected ':'");
          this.#i++;
          obj.set(key, this.#value(depth + 1));
          this.#ws();
          const d = s[this.#i++];
          if (d === "}") return obj;
          if (d !== ",") {
            this.#i--;
            throw this.#fail("expected ',' or '}'");
          }
        }
      }
      case "[": {
        this.#i++;
        const arr: JsonValue[] = [];
        this.#ws();
        if (s[this.#i] === "]") {
          this.#i++;
          return arr;
        }
        for (;;) {
          arr.push(this.#value(depth + 1));
          this.#ws();
          const d = s[this.#i++];
          if (d === "]") return arr;
          if (d !== ",") {
            this.#i--;
            throw this.#fail("expected ',' or ']'");
          }
        }
      }
      case '"':
        return this.#string();
      case "t":
        return this.#literal("true", true);
      case "f":
        return this.#literal("false", false);
      case "n":
        return this.#literal("null", null);
      default: {
        NUMBER.lastIndex = this.#i;
        const m = NUMBER.exec(s);
        if (!m) throw this.#fail("expected a value");
        this.#i += m[0].length;
        return new JsonNumber(m[0]);
      }
    }
  }

  #literal<V extends JsonValue>(word: string, value: V): V {
    if (!this.#s.startsWith(word, this.#i)) throw this.#fail(`expected '${word}'`);
    this.#i += word.length;
    return value;
  }

  #string(): string {
    const s = this.#s;
    const start = ++this.#i;
    let i = start;
    // Fast path: no escapes.
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.#i = i + 1;
        return s.slice(start, i);
      }
      if (c === 0x5c || c < 0x20) break;
    }
    let out = s.slice(start, i);
    for (;;) {
      if (i >= s.length) {
        this.#i = i;
        throw this.#fail("unterminated string");
      }
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.#i = i + 1;
        return out;
      }
      if (c < 0x20) {
        this.#i = i;
        throw this.#fail("control character in string");
      }
      if (c !== 0x5c) {
        out += s[i];
        i++;
        continue;
      }
      const e = s[i + 1];
      i += 2;
      switch (e) {
        case '"': out += '"'; break;
        case "\\": out += "\\"; break;
        case "/": out += "/"; break;
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "u": {
          const h = s.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) {
            this.#i = i;
            throw this.#fail("bad \\u escape");
          }
          out += String.fromCharCode(parseInt(h, 16));
          i += 4;
          break;
        }
        default:
          this.#i = i - 1;
          throw this.#fail("bad escape");
      }
    }
  }
}

// ---- schema plans -----------------------------------------------------------

type Encode = (v: unknown) => string;
type Decode = (v: JsonValue) => unknown;
interface Plan {
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

function jsonKind(v: JsonValue): string {
  if (v === null) return "null";
  if (v instanceof JsonNumber) return "number";
  if (v instanceof Map) return "object";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function mismatch(path: string, goType: string, v: JsonValue): DecodeError {
  return new DecodeError(`json: cannot unmarshal ${jsonKind(v)} into ${path} of type ${goType}`);
}

function wrongType(path: string, expected: string, v: unknown): EncodeError {
  const got = v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "number" ? `the number ${v}` : typeof v;
  return new EncodeError(`${path}: expected ${expected}, got ${got}`);
}

function compile(type: FieldType<unknown>, path: string): Plan {
  const kind = type.kind;
  const intRange = INT_RANGE[kind];
  if (intRange) {
    const [lo, hi] = intRange;
    return {
      enc: (v) => {
        if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
          throw wrongType(path, `${kind.startsWith("u") ? "a" : "an"} ${kind} (integer in ${lo}..${hi})`, v);
        }
        return String(v);
      },
      dec: (v) => {
        if (!(v instanceof JsonNumber)) throw mismatch(path, kind, v);
        // `+ 0` turns the literal -0 into 0, as Go's ParseInt does.
        const n = INTEGER.test(v.raw) ? Number(v.raw) + 0 : NaN;
        if (!(n >= lo && n <= hi)) throw new DecodeError(`json: cannot unmarshal number ${v.raw} into ${path} of type ${kind}`);
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
        throw wrongType(path, `${kind.startsWith("u") ? "a" : "an"} ${kind} (bigint in range, or a safe integer number)`, v);
      },
      dec: (v) => {
        if (!(v instanceof JsonNumber)) throw mismatch(path, kind, v);
        const n = INTEGER.test(v.raw) ? BigInt(v.raw) : null;
        if (n === null || n < lo || n > hi) {
          throw new DecodeError(`json: cannot unmarshal number ${v.raw} into ${path} of type ${kind}`);
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
          if (!Number.isFinite(n)) throw new DecodeError(`json: cannot unmarshal number ${v.raw} into ${path} of type ${kind}`);
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

interface Members {
  encode(o: Record<string, unknown>): string;
  decodeInto(v: Map<string, JsonValue>, o: Record<string, unknown>): void;
}

function compileMembers(fields: Fields, path: string): Members {
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
      for (let i = 0; i < names.length; i++) s += (i === 0 ? "" : ",") + keys[i] + plans[i]!.enc(o[names[i]!]);
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

// ---- the codec ----------------------------------------------------------------

const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

function bodyText(body: Uint8Array, name: string): string {
  if (body.length === 0) throw new DecodeError(`json: ${name}: unexpected end of JSON input`);
  return textDecoder.decode(body);
}

function asDecodeError(e: unknown, name: string): DecodeError {
  if (e instanceof DecodeError) return e;
  return new DecodeError(`json: ${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

function bindSchemaless<T extends object>(shape: MessageShape<T>): BoundCodec<T> {
  const name = shape.name;
  return {
    encode(message: T, out: ByteWriter): void {
      let json: string | undefined;
      try {
        json = JSON.stringify(message);
      } catch (e) {
        throw new EncodeError(`${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      if (typeof json !== "string") throw wrongType(name, "a JSON-serialisable message", message);
      out.utf8(goEscape(json));
    },
    decode(body: Uint8Array): T {
      try {
        const parsed: unknown = JSON.parse(bodyText(body, name));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          throw new DecodeError(`json: cannot unmarshal ${Array.isArray(parsed) ? "array" : String(parsed === null ? "null" : typeof parsed)} into ${name}`);
        }
        // A "__proto__" key would swap the message's prototype through Object.assign.
        if (Object.hasOwn(parsed, "__proto__")) delete (parsed as Record<string, unknown>)["__proto__"];
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
      if (typeof message !== "object" || message === null) throw wrongType(name, "a message object", message);
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
 * import { jsonCodec } from "./json.ts";
 * const fields = { Msg: t.string, Value: t.int32 };
 * const echo = jsonCodec.bind({ name: "main.TestEchoACK", fields, create: () => zeroValues(fields) });
 * echo.encode({ Msg: "hello", Value: 1234 }, out); // {"Msg":"hello","Value":1234}
 * ```
 */
export const jsonCodec: Codec = Object.freeze({
  name: "json",
  mimeType: "application/json",
  bind: bindJson,
});

registerCodec(jsonCodec);
