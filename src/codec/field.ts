/**
 * The schema vocabulary: how a message's fields are declared so codecs can
 * encode them the way Go's struct fields are encoded.
 *
 * Field order is object key order and is the wire order, which is why
 * integer-like names are refused: JavaScript would move them to the front.
 *
 * @module
 */

/** The Go kinds a field can have (named Go types map to their underlying kind). */
export type FieldKind =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float32"
  | "float64"
  | "string"
  | "bytes"
  | "slice"
  | "struct";

/** The declared type of one field; build these with {@link t}. */
export interface FieldType<T> {
  /** The Go kind. */
  readonly kind: FieldKind;
  /** Element type, for `slice`. */
  readonly elem?: FieldType<unknown>;
  /** Member fields in wire order, for `struct`. */
  readonly fields?: Fields;
  /** Go's `binary:"-"` tag: the binary codec writes zeros in its place. */
  readonly ignored?: boolean;
  /** Returns a fresh zero value (new arrays and byte arrays every call). */
  readonly zero: () => T;
  /** Phantom carrying `T` for inference; never set. */
  readonly __type?: T;
}

/** Named fields in wire order. */
export type Fields = { readonly [name: string]: FieldType<unknown> };

/** The plain object type described by `F`. */
export type FieldValues<F extends Fields> = {
  -readonly [K in keyof F]: F[K] extends FieldType<infer T> ? T : never;
};

const KINDS: ReadonlySet<string> = new Set<FieldKind>([
  "bool",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "float32",
  "float64",
  "string",
  "bytes",
  "slice",
  "struct",
]);

// Array-index-like keys are enumerated before all others in JS, whatever the
// declaration order, so they would silently change the wire order.
const INTEGER_LIKE = /^(?:0|[1-9][0-9]*)$/;

const validated = new WeakSet<Fields>();

function checkFields(fields: Fields): void {
  if (validated.has(fields)) return;
  if (typeof fields !== "object" || fields === null) {
    throw new TypeError(
      `fields must be an object of field types, got ${fields === null ? "null" : typeof fields}`,
    );
  }
  for (const name of Object.keys(fields)) {
    if (INTEGER_LIKE.test(name)) {
      throw new TypeError(
        `field name '${name}' is integer-like: JavaScript would reorder it, breaking wire order`,
      );
    }
    const type = fields[name] as Partial<FieldType<unknown>> | undefined;
    if (
      typeof type !== "object" || type === null || !KINDS.has(type.kind as string) ||
      typeof type.zero !== "function"
    ) {
      throw new TypeError(`field '${name}' is not a field type (build it with t.*)`);
    }
  }
  validated.add(fields);
}

function scalar<T>(kind: FieldKind, zero: () => T): FieldType<T> {
  return Object.freeze({ kind, zero });
}

const zeroNumber = (): number => 0;
const zeroBigint = (): bigint => 0n;
const NO_BYTES: readonly number[] = Object.freeze([]);

/**
 * Field type constructors, one per Go kind.
 *
 * @example Declaring cellnet's chat messages
 * ```ts
 * import { t, type FieldValues } from "./field.ts";
 *
 * const ChatACK = { Content: t.string, Id: t.int64 };
 * type ChatACK = FieldValues<typeof ChatACK>; // { Content: string; Id: bigint }
 *
 * const Mixed = {
 *   Where: t.struct({ X: t.int32, Y: t.int32 }),
 *   Scores: t.slice(t.int32),
 *   Secret: t.ignored(t.int32), // Go: `binary:"-"`
 * };
 * ```
 */
export const t: {
  /** Go `bool`: one byte, decoded true when non-zero. */
  readonly bool: FieldType<boolean>;
  /** Go `int8`. */
  readonly int8: FieldType<number>;
  /** Go `int16`. */
  readonly int16: FieldType<number>;
  /** Go `int32` (and named types over it, such as enums). */
  readonly int32: FieldType<number>;
  /** Go `int64`, exact as a bigint. */
  readonly int64: FieldType<bigint>;
  /** Go `uint8` / `byte`. */
  readonly uint8: FieldType<number>;
  /** Go `uint16`. */
  readonly uint16: FieldType<number>;
  /** Go `uint32`. */
  readonly uint32: FieldType<number>;
  /** Go `uint64`, exact as a bigint. */
  readonly uint64: FieldType<bigint>;
  /** Go `float32`; values are rounded with `Math.fround` semantics on encode. */
  readonly float32: FieldType<number>;
  /** Go `float64`. */
  readonly float64: FieldType<number>;
  /** Go `string`: UTF-8 on the wire. */
  readonly string: FieldType<string>;
  /** Go `[]byte`. */
  readonly bytes: FieldType<Uint8Array>;
  /** Go `[]T` for any element type. */
  slice<T>(elem: FieldType<T>): FieldType<T[]>;
  /** A nested (non-pointer) Go struct, encoded inline. */
  struct<F extends Fields>(fields: F): FieldType<FieldValues<F>>;
  /** Go's `binary:"-"` tag: the binary codec writes zeros of the field's size; decoding is normal. */
  ignored<T>(type: FieldType<T>): FieldType<T>;
} = Object.freeze({
  bool: scalar("bool", () => false),
  int8: scalar("int8", zeroNumber),
  int16: scalar("int16", zeroNumber),
  int32: scalar("int32", zeroNumber),
  int64: scalar("int64", zeroBigint),
  uint8: scalar("uint8", zeroNumber),
  uint16: scalar("uint16", zeroNumber),
  uint32: scalar("uint32", zeroNumber),
  uint64: scalar("uint64", zeroBigint),
  float32: scalar("float32", zeroNumber),
  float64: scalar("float64", zeroNumber),
  string: scalar("string", () => ""),
  // From an empty array, not a length: V8 takes a slow path for new Uint8Array(0).
  bytes: scalar("bytes", () => new Uint8Array(NO_BYTES)),
  slice<T>(elem: FieldType<T>): FieldType<T[]> {
    if (typeof elem !== "object" || elem === null || !KINDS.has(elem.kind)) {
      throw new TypeError("t.slice() needs a field type as element");
    }
    return Object.freeze({ kind: "slice", elem: elem as FieldType<unknown>, zero: (): T[] => [] });
  },
  struct<F extends Fields>(fields: F): FieldType<FieldValues<F>> {
    checkFields(fields);
    return Object.freeze({ kind: "struct", fields, zero: () => zeroValues(fields) });
  },
  ignored<T>(type: FieldType<T>): FieldType<T> {
    if (typeof type !== "object" || type === null || !KINDS.has(type.kind)) {
      throw new TypeError("t.ignored() needs a field type");
    }
    return Object.freeze({ ...type, ignored: true });
  },
});

/**
 * Create an object holding each field's zero value, in field order.
 *
 * @param fields The field declarations.
 * @returns A fresh object; arrays and byte arrays in it are new each call.
 *
 * @example
 * ```ts
 * import { t, zeroValues } from "@cellnet/cellnet";
 * console.log(zeroValues({ Name: t.string, Ids: t.slice(t.int32) })); // { Name: "", Ids: [] }
 * ```
 */
export function zeroValues<F extends Fields>(fields: F): FieldValues<F> {
  checkFields(fields);
  const out: Record<string, unknown> = {};
  for (const name in fields) out[name] = fields[name]!.zero();
  return out as FieldValues<F>;
}
