/**
 * Straight-line field loops for the binary codec: `o["A"] = d0(r); o["B"] = d1(r);`
 * instead of a loop over parallel arrays, so each store site sees one
 * property of one hidden class. Generated with `new Function` where the
 * runtime allows it; a plain loop where a content security policy forbids it.
 *
 * @module
 */

/** Reads every field of a struct into `o`. */
export type DecodeMembers<R> = (o: Record<string, unknown>, r: R) => void;
/** Writes every field of `o`. */
export type EncodeMembers<W> = (o: Record<string, unknown>, out: W) => void;

/** `o[names[i]] = decs[i](r)` for each field, in order. */
export function decodeMembers<R>(
  names: readonly string[],
  decs: readonly ((r: R) => unknown)[],
): DecodeMembers<R> {
  try {
    const body = names.map((n, i) => `o[${JSON.stringify(n)}] = d[${i}](r);`).join(" ");
    return new Function("d", `"use strict"; return function (o, r) { ${body} };`)(
      decs,
    ) as DecodeMembers<R>;
  } catch {
    return (o, r) => {
      for (let i = 0; i < names.length; i++) o[names[i]] = decs[i](r);
    };
  }
}

/** `encs[i](o[names[i]], out)` for each field, in order. */
export function encodeMembers<W>(
  names: readonly string[],
  encs: readonly ((v: unknown, out: W) => void)[],
): EncodeMembers<W> {
  try {
    const body = names.map((n, i) => `e[${i}](o[${JSON.stringify(n)}], w);`).join(" ");
    return new Function("e", `"use strict"; return function (o, w) { ${body} };`)(
      encs,
    ) as EncodeMembers<W>;
  } catch {
    return (o, out) => {
      for (let i = 0; i < names.length; i++) encs[i](o[names[i]], out);
    };
  }
}
