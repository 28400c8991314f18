/**
 * Internal: Go's text forms of a message value, as cellnet's log lines show
 * them: `%+v` of a struct (`{Msg:hello Value:1234}`) and protoplus's
 * compact text (`MsgID:4660 Data:[0 0] CallID:77 `), driven by the
 * message's field schema.
 *
 * @module
 */
import type { Fields, FieldType } from "../codec/field.ts";

/** protoplus's compact text shows slices longer than this as `[len: N]`. */
const COMPACT_SLICE_MAX = 50;

/** Go's `%v` of a float: shortest digits, exponent form below 1e-4 and from 1e+06 (`1e+06`, `2.5e-07`). */
export function goFloat(value: number, bits: 32 | 64): string {
  // A float32 field holds any JS number until encoded; Go's holds the rounded value.
  const x = bits === 32 ? Math.fround(value) : value;
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = (bits === 32 ? shortestFloat32(x) : x).toExponential();
  const [mantissa, e] = exp.split("e");
  const neg = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const power = Number(e);
  let out: string;
  if (power < -4 || power >= 6) {
    const abs = Math.abs(power);
    out = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" +
      (power < 0 ? "-" : "+") +
      (abs < 10 ? "0" : "") + abs;
  } else if (power >= 0) {
    const whole = digits.slice(0, power + 1).padEnd(power + 1, "0");
    const frac = digits.slice(power + 1);
    out = frac ? `${whole}.${frac}` : whole;
  } else {
    out = "0." + "0".repeat(-power - 1) + digits;
  }
  return neg ? "-" + out : out;
}

/** The shortest decimal that reads back as the same float32. */
function shortestFloat32(x: number): number {
  for (let p = 1; p < 10; p++) {
    const candidate = Number(x.toPrecision(p));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

/** Go's `%+v` of a value of `type` (schema-less values by their JS type). */
export function goValue(value: unknown, type: FieldType<unknown> | undefined): string {
  switch (type?.kind) {
    case "string":
      return String(value);
    case "float32":
      return goFloat(Number(value), 32);
    case "float64":
      return goFloat(Number(value), 64);
    case "bytes":
      return `[${Array.prototype.join.call(value as Uint8Array, " ")}]`;
    case "slice":
      return `[${(value as unknown[]).map((e) => goValue(e, type.elem)).join(" ")}]`;
    case "struct":
      return goStruct(value as object, type.fields);
    case undefined:
      return untyped(value);
    default:
      return String(value);
  }
}

/** Go's `%+v` of a struct: `{Name:value Name:value}`. */
export function goStruct(value: object, fields: Fields | undefined): string {
  const obj = value as Record<string, unknown>;
  const names = fields ? Object.keys(fields) : Object.keys(obj);
  return `{${names.map((n) => `${n}:${goValue(obj[n], fields?.[n])}`).join(" ")}}`;
}

function untyped(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : goFloat(value, 64);
  }
  if (value instanceof Uint8Array) return `[${Array.prototype.join.call(value, " ")}]`;
  if (Array.isArray(value)) return `[${value.map(untyped).join(" ")}]`;
  if (typeof value === "object") return goStruct(value, undefined);
  return String(value);
}

/**
 * protoplus's compact text of a struct (`proto.CompactTextString`): each
 * non-zero field as `Name:value ` (note the trailing space), strings quoted,
 * slices `[a b]` or `[len: N]` past 50 elements, nested structs `{…}`.
 * Names in `skip` are left out (Go's `text:"-"` tag).
 */
export function compactText(
  value: object,
  fields: Fields | undefined,
  skip?: ReadonlySet<string>,
): string {
  const obj = value as Record<string, unknown>;
  let out = "";
  for (const name of fields ? Object.keys(fields) : Object.keys(obj)) {
    if (skip?.has(name)) continue;
    const type = fields?.[name];
    const v = obj[name];
    const kind = type?.kind;
    if (kind === "slice" || kind === "bytes" || v instanceof Uint8Array || Array.isArray(v)) {
      const list = v as ArrayLike<unknown> | undefined;
      const len = list?.length ?? 0;
      if (len === 0) continue;
      const elem = kind === "slice" ? type!.elem : undefined;
      const items = len > COMPACT_SLICE_MAX
        ? `len: ${len}`
        : Array.prototype.map.call(list, (e: unknown) => compactAny(e, elem)).join(" ");
      out += `${name}:[${items}] `;
      continue;
    }
    if (kind !== "struct" && isZero(v)) continue;
    out += `${name}:${compactAny(v, type)} `;
  }
  return out;
}

function isZero(v: unknown): boolean {
  return v === 0 || v === 0n || v === false || v === "" || v === undefined || v === null;
}

function compactAny(v: unknown, type: FieldType<unknown> | undefined): string {
  if (typeof v === "string") return quote(v);
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "nan";
    if (v === Infinity) return "inf";
    if (v === -Infinity) return "-inf";
    if (type?.kind === "float32") return goFloat(v, 32);
    return Number.isInteger(v) && type?.kind !== "float64" ? String(v) : goFloat(v, 64);
  }
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array) && !Array.isArray(v)) {
    return `{${compactText(v, type?.fields)}}`;
  }
  return String(v);
}

/** protoplus's `writeString`: quoted, with only \n \r \t " and \\ escaped. */
function quote(s: string): string {
  return `"${s.replace(/[\n\r\t"\\]/g, (c) => ESCAPES[c]!)}"`;
}

const ESCAPES: Record<string, string> = {
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  '"': '\\"',
  "\\": "\\\\",
};
