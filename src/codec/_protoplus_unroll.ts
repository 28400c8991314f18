/**
 * Internal: the protoplus struct decoder as straight-line code, a `switch`
 * over the field index with one case per field (what protoplus's generated
 * `Unmarshal` is), so each store site sees one property of one hidden class.
 * Generated with `new Function` where the runtime allows it; a loop over the
 * fields where a content security policy forbids it.
 *
 * @module
 */
import type { WireReader } from "./_protoplus_wire.ts";

export { encodeMembers } from "./_unroll.ts";

/** Reads fields into `o` until the reader's end; unknown fields are skipped. */
export type DecodeMembers = (o: Record<string, unknown>, r: WireReader) => void;

/** What {@link decodeSwitch} needs of a compiled field. */
interface FieldDecoder {
  readonly dec: (r: WireReader, wt: number, prev: unknown) => unknown;
  readonly usesPrev: boolean;
}

/** Build the decode loop of a struct whose field i is `names[i]`. */
export function decodeSwitch(
  names: readonly string[],
  fields: readonly FieldDecoder[],
  path: string,
): DecodeMembers {
  const keyWhat = `${path}: field key`;
  const skipWhat = `${path}: unknown field`;
  const decs = fields.map((f) => f.dec);
  try {
    const cases = names.map((n, i) => {
      const k = JSON.stringify(n);
      return `case ${i}: o[${k}] = d${i}(r, wt, ${
        fields[i]!.usesPrev ? `o[${k}]` : "undefined"
      }); break;`;
    });
    const params = decs.map((_, i) => `d${i}`);
    const body = `"use strict"; return function (o, r) {
      while (r.pos < r.end) {
        var key = r.varint(K);
        var wt = key & 7;
        if (r.hi !== 0) { r.skip(wt, S); continue; }
        switch (key >>> 3) { ${cases.join(" ")} default: r.skip(wt, S); }
      }
    };`;
    return new Function("K", "S", ...params, body)(keyWhat, skipWhat, ...decs) as DecodeMembers;
  } catch {
    return (o, r) => {
      while (r.pos < r.end) {
        const key = r.varint(keyWhat);
        const wt = key & 7;
        const i = key >>> 3;
        if (r.hi !== 0 || i >= names.length) {
          r.skip(wt, skipWhat);
          continue;
        }
        const name = names[i]!;
        o[name] = decs[i]!(r, wt, o[name]);
      }
    };
  }
}
