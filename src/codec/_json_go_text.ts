/**
 * Go `encoding/json` text helpers for the json codec: HTML-safe escaping,
 * padded base64 for `[]byte`, and float formatting as Go prints it.
 *
 * @module
 */
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
export function goEscape(json: string): string {
  HTML_UNSAFE.lastIndex = 0;
  return HTML_UNSAFE.test(json) ? json.replace(HTML_UNSAFE, (c) => HTML_ESCAPES[c]!) : json;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function base64(bytes: Uint8Array): string {
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
export function unbase64(text: string, path: string): Uint8Array {
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
export function formatFloat(v: number, float32: boolean, path: string): string {
  if (!Number.isFinite(v)) throw new EncodeError(`${path}: json: unsupported value: ${v}`);
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  if (!float32) return String(v);
  const f = Math.fround(v);
  if (!Number.isFinite(f)) {
    throw new EncodeError(`${path}: json: unsupported value: ${v} overflows float32`);
  }
  // Shortest decimal that reads back as the same float32 (Go: FormatFloat(f, 'g', -1, 32)).
  for (let p = 1; p < 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(Number(f.toPrecision(9)));
}
