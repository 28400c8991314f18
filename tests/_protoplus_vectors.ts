// Every protoplus body of the two golden vector files, with a t.* schema
// built from the vectors' own type descriptions and the value converted to
// what the codec takes and gives back.
import { readFileSync } from "node:fs";

import { protoplusCodec } from "../src/codec/protoplus.ts";
import type { BoundCodec } from "../src/codec/codec.ts";
import { type Fields, type FieldType, t, zeroValues } from "../src/codec/field.ts";
import { RelayACK, RemoteCallACK, RemoteCallREQ } from "../src/message/cellnet_messages.ts";

interface PPField {
  index: number;
  name: string;
  protoplusType: string;
}
interface PPType {
  fields?: PPField[];
  underlying?: string;
}
interface PPVector {
  label: string;
  message?: string;
  goType?: string;
  msgId?: number;
  value: Record<string, unknown>;
  bodyHex?: string | null;
  frameHex?: string;
}
interface Fixture {
  messages: (PPType & { name: string; codec?: string; see?: string })[];
  types: Record<string, PPType>;
  vectors?: (PPVector & { codec: string })[];
  protoplusReferenceTypes?: Record<string, PPType>;
  protoplusReference?: PPVector[];
  protoplusMessages?: PPVector[];
  rpc?: PPVector[];
  relay?: PPVector[];
}

function load(file: string): Fixture {
  return JSON.parse(
    readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8"),
  ) as Fixture;
}
const wire = load("cellnet-wire.json");
const ext = load("cellnet-ext.json");

// Named protoplus types: tests.* (protoplus's own test types) and pp.* (user messages).
const named: Record<string, PPType> = { ...wire.protoplusReferenceTypes, ...ext.types };

const SCALARS: Record<string, FieldType<unknown>> = {
  bool: t.bool,
  int32: t.int32,
  uint32: t.uint32,
  int64: t.int64,
  uint64: t.uint64,
  float32: t.float32,
  float64: t.float64,
  string: t.string,
  bytes: t.bytes,
};

/** `"[]pp.Vec2 (struct slice)"`, `"tests.MyEnum (enum, underlying int32)"`, `"uint32"`... → t.* */
export function ppType(desc: string): FieldType<unknown> {
  const [base, ...rest] = desc.split(" ");
  const note = rest.join(" ");
  if (base!.startsWith("[]")) return t.slice(ppType(base!.slice(2) + (note ? ` ${note}` : "")));
  const scalar = SCALARS[base!];
  if (scalar) return scalar;
  if (note.includes("enum")) return t.int32;
  const type = named[base!];
  if (!type) throw new Error(`unknown protoplus type ${desc}`);
  if (type.underlying) return SCALARS[type.underlying]!;
  return t.struct(ppFields(type.fields!));
}

function ppFields(fields: PPField[]): Fields {
  const out: Record<string, FieldType<unknown>> = {};
  fields.forEach((f, i) => {
    if (f.index !== i) throw new Error(`field ${f.name} has index ${f.index}, expected ${i}`);
    out[f.name] = ppType(f.protoplusType);
  });
  return out;
}

export function unhex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Vector value conventions → the JS value of a field. */
export function fromVector(type: FieldType<unknown>, v: unknown): unknown {
  switch (type.kind) {
    case "int64":
    case "uint64":
      return BigInt(v as string);
    case "float32":
      return Math.fround(v as number);
    case "bytes":
      return unhex(v as string);
    case "slice":
      return (v as unknown[]).map((e) => fromVector(type.elem!, e));
    case "struct":
      return fromFields(type.fields!, v as Record<string, unknown>);
    default:
      return v;
  }
}
function fromFields(fields: Fields, v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) out[name] = fromVector(fields[name]!, v[name]);
  return out;
}

/** True when a value encodes to nothing in protoplus. */
function isZero(type: FieldType<unknown>, v: unknown): boolean {
  switch (type.kind) {
    case "slice":
    case "bytes":
      return (v as ArrayLike<unknown>).length === 0;
    case "struct":
      return Object.keys(type.fields!).every((n) =>
        isZero(type.fields![n]!, (v as Record<string, unknown>)[n])
      );
    case "int64":
    case "uint64":
      return v === 0n;
    default:
      return v === 0 || v === false || v === "";
  }
}

/** What decoding gives back: all-zero elements of struct slices are not on the wire. */
function decodedOf(fields: Fields, v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) {
    const type = fields[name]!;
    let value = v[name];
    if (type.kind === "slice" && type.elem!.kind === "struct") {
      value = (value as Record<string, unknown>[])
        .filter((e) => !isZero(type.elem!, e))
        .map((e) => decodedOf(type.elem!.fields!, e));
    } else if (type.kind === "struct") {
      value = decodedOf(type.fields!, value as Record<string, unknown>);
    }
    out[name] = value;
  }
  return out;
}

/** One protoplus body to check. */
export interface BodyCase {
  readonly file: string;
  readonly label: string;
  readonly type: string;
  readonly msgId?: number;
  readonly codec: BoundCodec<Record<string, unknown>>;
  /** The schema built from the vector file (the codec is bound to it, or is cellnet's own message). */
  readonly fields: Fields;
  readonly value: Record<string, unknown>;
  readonly decoded: Record<string, unknown>;
  readonly body: string;
  readonly frameHex?: string;
}

const CELLNET: Record<string, { meta: { bound: BoundCodec<object> } }> = {
  "rpc.RemoteCallREQ": RemoteCallREQ,
  "rpc.RemoteCallACK": RemoteCallACK,
  "relay.RelayACK": RelayACK,
};

const bound = new Map<string, { fields: Fields; codec: BoundCodec<Record<string, unknown>> }>();
function typeFor(
  name: string,
  fixture: Fixture,
): { fields: Fields; codec: BoundCodec<Record<string, unknown>> } {
  let b = bound.get(name);
  if (b) return b;
  const decl = fixture.messages.find((m) => m.name === name && m.fields) ??
    wire.messages.find((m) => m.name === name && m.fields) ??
    (named[name] as PPType | undefined);
  if (!decl?.fields) throw new Error(`no declaration for ${name}`);
  const fields = ppFields(decl.fields);
  const codec = CELLNET[name]
    ? (CELLNET[name]!.meta.bound as BoundCodec<Record<string, unknown>>)
    : protoplusCodec.bind({ name, fields, create: () => zeroValues(fields) });
  b = { fields, codec };
  bound.set(name, b);
  return b;
}

function cases(file: string, fixture: Fixture, vectors: PPVector[] | undefined): BodyCase[] {
  return (vectors ?? []).map((v) => {
    const type = (v.message ?? v.goType)!;
    const { fields, codec } = typeFor(type, fixture);
    const value = fromFields(fields, v.value);
    // A vector without bodyHex (relay's reply) has the frame: 2-byte length, 2-byte id, body.
    const body = v.bodyHex ?? v.frameHex!.slice(8);
    return {
      file,
      label: v.label,
      type,
      msgId: v.msgId,
      codec,
      fields,
      value,
      decoded: decodedOf(fields, value),
      body,
      frameHex: v.frameHex,
    };
  });
}

/** Every protoplus body in cellnet-wire.json and cellnet-ext.json. */
export const bodyCases: readonly BodyCase[] = [
  ...cases("cellnet-wire.json", wire, wire.vectors?.filter((v) => v.codec === "protoplus")),
  ...cases("cellnet-wire.json", wire, wire.protoplusReference),
  ...cases("cellnet-ext.json", ext, ext.protoplusMessages),
  ...cases("cellnet-ext.json", ext, ext.rpc),
  ...cases("cellnet-ext.json", ext, ext.relay),
];
