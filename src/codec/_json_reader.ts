/**
 * A JSON reader for the json codec that keeps number literals exact (int64
 * values are not rounded through a double) and bounds nesting depth.
 *
 * @module
 */
import { DecodeError } from "../errors.ts";

// ---- a JSON reader that keeps number literals exact --------------------------

/** A number literal as written, so int64 values are not rounded through a double. */
export class JsonNumber {
  readonly raw: string;
  constructor(raw: string) {
    this.raw = raw;
  }
}
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | Map<string, JsonValue>;

const MAX_DEPTH = 1000;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export class JsonReader {
  #s: string;
  #i = 0;
  constructor(text: string) {
    this.#s = text;
  }

  #fail(what: string): DecodeError {
    const at = this.#i < this.#s.length
      ? `'${this.#s[this.#i]}' at offset ${this.#i}`
      : "end of input";
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
        case '"':
          out += '"';
          break;
        case "\\":
          out += "\\";
          break;
        case "/":
          out += "/";
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
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
