/**
 * Internal: protoplus slices and nested structs (protoplus v0.1.0
 * `proto/slice_*.go`, `MarshalStruct` / `UnmarshalStruct` and the generated
 * `Marshal` / `Unmarshal`), and the compiler of a struct's member list.
 *
 * @module
 */
import type { ByteWriter } from "./byte_writer.ts";
import type { Fields, FieldType } from "./field.ts";
import { type DecodeMembers, decodeSwitch, encodeMembers } from "./_protoplus_unroll.ts";
import {
  bad,
  checkInt32,
  checkUint32,
  compileScalar,
  type FieldPlan,
  int64Halves,
  keyOf,
  unsupported,
  varintSize,
} from "./_protoplus_scalar.ts";
import {
  beginLength,
  endLength,
  int64Of,
  uint64Of,
  WIRE,
  type WireReader,
  writeUtf8,
  writeVarint32,
  writeVarint64,
} from "./_protoplus_wire.ts";
import { DecodeError } from "../errors.ts";

/** A compiled struct body: its fields in index order. */
export interface MembersPlan {
  readonly encodeMembers: (o: Record<string, unknown>, out: ByteWriter) => void;
  readonly decodeMembers: DecodeMembers;
}

// Bytes written for empty strings inside []string fields of the struct being
// encoded. protoplus's Size() counts them as 0, and MarshalStruct drops a
// nested struct whose Size() is 0, so a struct holding only such strings
// vanishes from the wire; this counter lets the encoder do the same.
let emptyStringBytes = 0;

/** Appends to `prev` when it is an array (the message's fresh zero slice), else to a new one. */
function target(prev: unknown): unknown[] {
  return Array.isArray(prev) ? prev : [];
}

/** Encoder of a packed varint slice element: 32 or 64 bits as protoplus writes them. */
type PackedElem = (v: unknown, w: ByteWriter, path: string) => void;
/** Decoder of a packed varint slice element from its varint halves. */
type PackedRead = (lo: number, hi: number) => unknown;

const PACKED: { readonly [kind: string]: readonly [PackedElem, PackedRead] } = {
  int32: [
    (v, w, path) => {
      const n = checkInt32(v, path);
      // uint64(int32) sign-extends: a negative element is a 10-byte varint.
      if (n >= 0) writeVarint32(w, n);
      else writeVarint64(w, n >>> 0, 0xffffffff);
    },
    (lo) => lo | 0,
  ],
  uint32: [(v, w, path) => writeVarint32(w, checkUint32(v, path)), (lo) => lo],
  int64: [
    (v, w, path) => {
      const h = int64Halves(v, path, false);
      if (h === 0) w.u8(0);
      else writeVarint64(w, h.lo, h.hi);
    },
    int64Of,
  ],
  uint64: [
    (v, w, path) => {
      const h = int64Halves(v, path, true);
      if (h === 0) w.u8(0);
      else writeVarint64(w, h.lo, h.hi);
    },
    uint64Of,
  ],
};

function compileSlice(type: FieldType<unknown>, index: number, path: string): FieldPlan {
  const elem = type.elem!;
  const key = keyOf(index, WIRE.bytes);
  const what = path;
  const packed = PACKED[elem.kind];
  if (packed) {
    const [write, read] = packed;
    return {
      usesPrev: true,
      enc: (v, w) => {
        if (!Array.isArray(v)) throw bad(path, "an array", v);
        const n = v.length;
        if (n === 0) return;
        writeVarint32(w, key);
        const at = beginLength(w);
        for (let i = 0; i < n; i++) write(v[i], w, path);
        endLength(w, at);
      },
      dec: (r, wt, prev) => {
        if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
        const n = r.length(what);
        const limit = r.pos + n;
        const end = r.end;
        const out = target(prev);
        r.end = limit;
        while (r.pos < limit) {
          const lo = r.varint(what);
          out.push(read(lo, r.hi));
        }
        r.end = end;
        return out;
      },
    };
  }
  switch (elem.kind) {
    case "bool":
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!Array.isArray(v)) throw bad(path, "an array", v);
          const n = v.length;
          if (n === 0) return;
          writeVarint32(w, key);
          writeVarint32(w, n);
          for (let i = 0; i < n; i++) {
            const b = v[i];
            if (typeof b !== "boolean") throw bad(`${path}[${i}]`, "a boolean", b);
            w.u8(b ? 1 : 0);
          }
        },
        dec: (r, wt, prev) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          const n = r.length(what);
          const out = target(prev);
          const b = r.buf;
          for (let i = 0; i < n; i++) {
            const c = b[r.pos]!;
            if (c > 1) {
              throw new DecodeError(`${what}: bad bool value ${c} at offset ${r.pos - r.base}`);
            }
            out.push(c === 1);
            r.pos++;
          }
          return out;
        },
      };
    case "float32":
    case "float64": {
      const width = elem.kind === "float32" ? 4 : 8;
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!Array.isArray(v)) throw bad(path, "an array", v);
          const n = v.length;
          if (n === 0) return;
          writeVarint32(w, key);
          writeVarint32(w, n * width);
          for (let i = 0; i < n; i++) {
            const f = v[i];
            if (typeof f !== "number") throw bad(`${path}[${i}]`, `a number (${elem.kind})`, f);
            if (width === 4) w.f32(f);
            else w.f64(f);
          }
        },
        dec: (r, wt, prev) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          const n = r.length(what);
          const limit = r.pos + n;
          const end = r.end;
          const out = target(prev);
          r.end = limit;
          while (r.pos < limit) out.push(width === 4 ? r.float32(what) : r.float64(what));
          r.end = end;
          return out;
        },
      };
    }
    case "string": {
      const emptySize = varintSize(key) + 1;
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!Array.isArray(v)) throw bad(path, "an array", v);
          for (let i = 0; i < v.length; i++) {
            const s = v[i];
            if (typeof s !== "string") throw bad(`${path}[${i}]`, "a string", s);
            // One key per element; empty strings are kept (unlike a string field).
            writeVarint32(w, key);
            const at = beginLength(w);
            writeUtf8(w, s);
            endLength(w, at);
            if (s === "") emptyStringBytes += emptySize;
          }
        },
        dec: (r, wt, prev) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          const out = target(prev);
          out.push(r.string(what));
          return out;
        },
      };
    }
    case "struct": {
      const members = compileMembers(elem.fields!, path + "[]");
      const zero = elem.zero;
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!Array.isArray(v)) throw bad(path, "an array", v);
          for (let i = 0; i < v.length; i++) writeStruct(w, key, v[i], members, `${path}[${i}]`);
        },
        dec: (r, wt, prev) => {
          const out = target(prev);
          out.push(readStruct(r, wt, zero() as Record<string, unknown>, members, what));
          return out;
        },
      };
    }
    default:
      throw unsupported(path, type, `[]${elem.kind}`);
  }
}

/**
 * protoplus `MarshalStruct`: key, size, body; nothing at all when the body's
 * protoplus Size() is 0 (an all-zero struct, or one holding only empty
 * strings of []string fields). Unlike protoplus the prefix is the true body
 * length: its Size() undercounts those empty strings, making a prefix too
 * short to decode (no value cellnet-ts writes is affected otherwise).
 */
function writeStruct(
  w: ByteWriter,
  key: number,
  v: unknown,
  members: MembersPlan,
  path: string,
): void {
  if (typeof v !== "object" || v === null) throw bad(path, "an object", v);
  const start = w.pos;
  writeVarint32(w, key);
  const at = beginLength(w);
  const outer = emptyStringBytes;
  emptyStringBytes = 0;
  try {
    members.encodeMembers(v as Record<string, unknown>, w);
  } finally {
    const phantom = emptyStringBytes;
    emptyStringBytes = outer;
    if (w.pos - at - 1 === phantom) w.pos = start;
  }
  if (w.pos !== start) endLength(w, at);
}

/** protoplus `UnmarshalStruct` into `into`: Bytes wire type, a length, then fields up to it. */
function readStruct(
  r: WireReader,
  wt: number,
  into: Record<string, unknown>,
  members: MembersPlan,
  what: string,
): Record<string, unknown> {
  if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
  const n = r.length(what);
  const limit = r.pos + n;
  const end = r.end;
  r.end = limit;
  members.decodeMembers(into, r);
  r.end = end;
  return into;
}

function compileStruct(type: FieldType<unknown>, index: number, path: string): FieldPlan {
  const members = compileMembers(type.fields!, path);
  const key = keyOf(index, WIRE.bytes);
  const zero = type.zero;
  return {
    usesPrev: true,
    enc: (v, w) => writeStruct(w, key, v, members, path),
    // A second occurrence decodes into the same struct, as in Go.
    dec: (r, wt, prev) => {
      const into = typeof prev === "object" && prev !== null ? prev : zero();
      return readStruct(r, wt, into as Record<string, unknown>, members, path);
    },
  };
}

function compileField(type: FieldType<unknown>, index: number, path: string): FieldPlan {
  let plan: FieldPlan;
  if (type.kind === "slice") plan = compileSlice(type, index, path);
  else if (type.kind === "struct") plan = compileStruct(type, index, path);
  else plan = compileScalar(type, index, path);
  // binary:"-" means "write the zero value"; protoplus writes nothing for a zero value.
  return type.ignored ? { ...plan, enc: () => {} } : plan;
}

/** Compile a struct's fields; field i (declaration order) is protoplus field index i. */
export function compileMembers(fields: Fields, path: string): MembersPlan {
  const names = Object.keys(fields);
  const plans = names.map((n, i) => compileField(fields[n]!, i, `${path}.${n}`));
  return {
    encodeMembers: encodeMembers(names, plans.map((p) => p.enc)),
    decodeMembers: decodeSwitch(names, plans, path),
  };
}
