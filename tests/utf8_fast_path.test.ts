// The codecs' string fast paths against TextDecoder / TextEncoder, which
// define the behaviour: around every threshold, ASCII and not, invalid UTF-8
// and lone surrogates, plus a seeded random sweep.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  asciiDecoders,
  decodeUtf8,
  encodeUtf8,
  NATIVE_ASCII_MAX,
  SHORT_DECODE_MAX,
  SHORT_ENCODE_MAX,
  useNativeStrings,
} from "../src/codec/_utf8.ts";
import { latin1Slice, utf8Write } from "../src/transport/tcp/node_strings.ts";
import { ByteReader } from "../src/codec/_byte_reader.ts";
import { binaryCodec } from "../src/codec/binary.ts";
import { ByteWriter } from "../src/codec/byte_writer.ts";
import { t } from "../src/codec/field.ts";
import { prng } from "./_reliability.ts";

const opts = { timeout: 20000 };
const reference = new TextDecoder("utf-8", { ignoreBOM: true });
const referenceEncoder = new TextEncoder();
const hex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Lengths around the decode threshold, and a few past it. */
const DECODE_LENGTHS = [
  0,
  1,
  2,
  7,
  8,
  15,
  16,
  17,
  25,
  26,
  27,
  31,
  32,
  33,
  34,
  47,
  48,
  49,
  64,
  65,
  200,
];

/** `bytes` placed at an odd offset of a larger buffer, as a frame sits in a read chunk. */
function inChunk(bytes: Uint8Array): { buf: Uint8Array; at: number } {
  const buf = new Uint8Array(bytes.length + 7).fill(0xee);
  buf.set(bytes, 3);
  return { buf, at: 3 };
}

function expectDecode(bytes: Uint8Array, label: string): void {
  const { buf, at } = inChunk(bytes);
  const got = decodeUtf8(buf, at, bytes.length);
  const want = reference.decode(bytes);
  assert.equal(got, want, `${label}: ${hex(bytes)}`);
}

function ascii(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = 0x20 + ((i * 7) % 95);
  return b;
}

test(
  "decodeUtf8 gives TextDecoder's string for ASCII of every length around the threshold",
  opts,
  () => {
    assert.equal(SHORT_DECODE_MAX, 32, "the lengths below are chosen around 32");
    for (const n of DECODE_LENGTHS) expectDecode(ascii(n), `ascii ${n}`);
    // Every length up to past the threshold, with the extreme ASCII values.
    for (let n = 1; n <= SHORT_DECODE_MAX + 2; n++) {
      expectDecode(new Uint8Array(n).fill(0x7f), `0x7f x ${n}`);
      expectDecode(new Uint8Array(n).fill(0x00), `NUL x ${n}`);
    }
  },
);

test(
  "decodeUtf8 gives TextDecoder's string when one byte is not ASCII, at the start, middle or end",
  opts,
  () => {
    const inserts: [string, number[]][] = [
      ["é (2 bytes)", [0xc3, 0xa9]],
      ["中 (3 bytes)", [0xe4, 0xb8, 0xad]],
      ["😀 (4 bytes)", [0xf0, 0x9f, 0x98, 0x80]],
      ["BOM", [0xef, 0xbb, 0xbf]],
      ["lone continuation 0x80", [0x80]],
      ["0xff", [0xff]],
      ["truncated lead 0xc3", [0xc3]],
      ["overlong C0 80", [0xc0, 0x80]],
      ["encoded surrogate ED A0 80", [0xed, 0xa0, 0x80]],
    ];
    for (const n of DECODE_LENGTHS) {
      for (const [name, seq] of inserts) {
        if (n < seq.length) continue;
        for (const where of [0, (n - seq.length) >> 1, n - seq.length]) {
          const b = ascii(n);
          b.set(seq, where);
          expectDecode(b, `${name} at ${where} of ${n}`);
        }
      }
    }
  },
);

function randomSweep(seed: number, count: number, maxLength: number): void {
  const rand = prng(seed);
  for (let k = 0; k < count; k++) {
    const n = Math.floor(rand() * maxLength);
    const b = new Uint8Array(n);
    const mode = k % 3;
    for (let i = 0; i < n; i++) {
      const r = rand();
      // mode 0: all ASCII; 1: ASCII with a rare high byte; 2: any byte.
      b[i] = mode === 0
        ? Math.floor(r * 128)
        : mode === 1
        ? (r < 0.97 ? Math.floor(r * 128) : 0x80 + Math.floor(rand() * 128))
        : Math.floor(r * 256);
    }
    expectDecode(b, `random #${k}`);
  }
}

test("decodeUtf8 matches TextDecoder on seeded random bytes, mostly ASCII and not", opts, () => {
  randomSweep(20261202, 20000, 70);
});

test(
  "the ASCII decoders are not generated where code generation is forbidden (CSP), so TextDecoder is used",
  opts,
  () => {
    const realFunction = globalThis.Function;
    (globalThis as { Function: unknown }).Function = function () {
      throw new EvalError("Code generation from strings disallowed for this context");
    };
    let fns: ReturnType<typeof asciiDecoders>;
    try {
      fns = asciiDecoders();
    } finally {
      (globalThis as { Function: unknown }).Function = realFunction;
    }
    assert.equal(fns.length, 0);
    const made = asciiDecoders();
    assert.equal(made.length, SHORT_DECODE_MAX + 1);
    assert.equal(made[5]!(new TextEncoder().encode("xhello"), 1), "hello");
    assert.equal(
      made[2]!(new Uint8Array([0x61, 0x80]), 0),
      undefined,
      "not ASCII: left to TextDecoder",
    );
  },
);

test(
  "ByteReader.string16 reads strings around the threshold, in place in a larger chunk",
  opts,
  () => {
    const te = new TextEncoder();
    for (
      const s of [
        "",
        "a",
        "x".repeat(31),
        "y".repeat(32),
        "z".repeat(33),
        "é".repeat(16),
        "a".repeat(31) + "é",
        "\ufeffabc",
      ]
    ) {
      const body = te.encode(s);
      const frame = new Uint8Array(2 + body.length);
      frame[0] = body.length;
      frame[1] = body.length >> 8;
      frame.set(body, 2);
      const { buf, at } = inChunk(frame);
      const r = new ByteReader();
      r.resetRange(buf, at, at + frame.length);
      assert.equal(r.string16("s"), s);
      assert.equal(r.remaining, 0);
    }
  },
);

test("the binary codec round-trips strings around the thresholds, ASCII and not", opts, () => {
  const bound = binaryCodec.bind({
    name: "utf8.S",
    fields: { S: t.string },
    create: () => ({ S: "" }),
  });
  const te = new TextEncoder();
  const samples: string[] = [];
  for (const n of [0, 1, 16, 31, 32, 33, 48, 64]) {
    samples.push(
      "a".repeat(n),
      "é".repeat(n),
      "中".repeat(n),
      "a".repeat(Math.max(0, n - 1)) + "😀",
    );
  }
  for (const s of samples) {
    const w = new ByteWriter();
    bound.encode({ S: s }, w);
    const body = te.encode(s);
    const want = new Uint8Array(2 + body.length);
    want[0] = body.length;
    want[1] = body.length >> 8;
    want.set(body, 2);
    assert.equal(hex(w.view()), hex(want), `encode ${JSON.stringify(s)}`);
    assert.equal(bound.decode(w.view()).S, s, `decode ${JSON.stringify(s)}`);
  }
});

/** Lengths (UTF-16 units) around the encode threshold. */
const ENCODE_LENGTHS = [0, 1, 2, 8, 16, 26, 31, 32, 33, 34, 48, 64, 65, 200];

function expectEncode(s: string, label: string): void {
  const want = referenceEncoder.encode(s);
  const b = new Uint8Array(3 * s.length + 10).fill(0xee);
  const n = encodeUtf8(b, 5, s);
  assert.equal(hex(b.subarray(5, 5 + n)), hex(want), `${label}: ${JSON.stringify(s)}`);
  assert.ok(b.subarray(5 + n).every((x) => x === 0xee), `${label}: nothing written past the end`);
  assert.ok(
    b.subarray(0, 5).every((x) => x === 0xee),
    `${label}: nothing written before the start`,
  );
}

function encodeCases(): [string, string][] {
  const cases: [string, string][] = [];
  const inserts: [string, string][] = [
    ["é", "é"],
    ["ÿ (Latin-1 top)", "\u00ff"],
    ["ߟ (2-byte top)", "\u07ff"],
    ["ࠀ (3-byte first)", "\u0800"],
    ["中", "中"],
    ["U+FFFF", "\uffff"],
    ["😀 (pair)", "😀"],
    ["lone high", "\ud800"],
    ["lone low", "\udc00"],
    ["high at the end of a pair-less run", "\udbff"],
    ["reversed pair", "\udc00\ud800"],
  ];
  for (const n of ENCODE_LENGTHS) {
    cases.push([`ascii ${n}`, "a".repeat(n)]);
    for (const [name, ins] of inserts) {
      if (n < ins.length) continue;
      for (const where of [0, (n - ins.length) >> 1, n - ins.length]) {
        cases.push([
          `${name} at ${where} of ${n}`,
          "b".repeat(where) + ins + "c".repeat(n - ins.length - where),
        ]);
      }
    }
  }
  // A pair straddling the threshold: its high half is unit 31, 32 or 33.
  for (const at of [SHORT_ENCODE_MAX - 2, SHORT_ENCODE_MAX - 1, SHORT_ENCODE_MAX]) {
    cases.push([`pair at ${at}`, "d".repeat(at) + "😀"]);
    cases.push([`lone high at ${at}, last`, "d".repeat(at) + "\ud83d"]);
  }
  return cases;
}

test(
  "encodeUtf8 writes TextEncoder's bytes around the threshold: ASCII, Latin-1, CJK, pairs and lone surrogates",
  opts,
  () => {
    assert.equal(SHORT_ENCODE_MAX, 32, "the lengths above are chosen around 32");
    for (const [label, s] of encodeCases()) expectEncode(s, label);
  },
);

function randomString(rand: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    const r = rand();
    const c = r < 0.5
      ? Math.floor(rand() * 128)
      : r < 0.65
      ? 0x80 + Math.floor(rand() * 0x780)
      : r < 0.8
      ? 0xd800 + Math.floor(rand() * 0x800)
      : Math.floor(rand() * 0x10000);
    s += String.fromCharCode(c);
  }
  return s;
}

function randomEncodeSweep(seed: number, count: number): void {
  const rand = prng(seed);
  for (let k = 0; k < count; k++) {
    expectEncode(randomString(rand, Math.floor(rand() * 70)), `random #${k}`);
  }
}

test("encodeUtf8 matches TextEncoder on seeded random strings (surrogates included)", opts, () => {
  randomEncodeSweep(99, 20000);
});

/** ByteWriter.string16 (the binary codec's hot caller, with its own inline ASCII loop). */
function expectString16(s: string, label: string): void {
  const body = referenceEncoder.encode(s);
  const w = new ByteWriter(4);
  w.u8(0xaa);
  w.string16(s);
  assert.equal(
    hex(w.view()),
    "aa" + hex(new Uint8Array([body.length & 0xff, body.length >> 8])) + hex(body),
    `${label}: ${JSON.stringify(s)}`,
  );
}

test(
  "ByteWriter.string16 writes TextEncoder's bytes around the threshold, ASCII and not",
  opts,
  () => {
    for (const [label, s] of encodeCases()) expectString16(s, label);
    const rand = prng(4242);
    for (let k = 0; k < 5000; k++) {
      expectString16(
        randomString(rand, Math.floor(rand() * 70)),
        `random #${k}`,
      );
    }
  },
);

// Last in this file: the native slice stays installed (it changes speed, never output).
test(
  "with the native Latin-1 slice installed, as the node and bun entries do, decodeUtf8 still gives TextDecoder's strings",
  opts,
  () => {
    assert.equal(typeof latin1Slice, "function", "Buffer#latin1Slice exists on Node, Deno and Bun");
    let calls = 0;
    const counted = (b: Uint8Array, start: number, end: number): string => {
      calls++;
      return latin1Slice!(b, start, end);
    };
    for (const generatedUpTo of [0, 32]) {
      useNativeStrings({
        latin1Slice: counted,
        decodeGeneratedUpTo: generatedUpTo,
        encodeLoopUpTo: 32,
      });
      calls = 0;
      for (
        const n of [...DECODE_LENGTHS, NATIVE_ASCII_MAX - 1, NATIVE_ASCII_MAX, NATIVE_ASCII_MAX + 1]
      ) {
        expectDecode(ascii(n), `native ${generatedUpTo}: ascii ${n}`);
        const b = ascii(n);
        if (n > 0) b[n - 1] = 0xc3; // truncated: U+FFFD from TextDecoder, never the slice
        expectDecode(b, `native ${generatedUpTo}: non-ASCII ${n}`);
      }
      const sliced = DECODE_LENGTHS.filter((n) =>
        n > generatedUpTo && n > 0 && n <= NATIVE_ASCII_MAX
      ).length +
        2;
      assert.equal(
        calls,
        sliced,
        `the slice took exactly the ASCII runs past ${generatedUpTo} bytes`,
      );
      randomSweep(7 + generatedUpTo, 5000, 80);
    }
    useNativeStrings({ latin1Slice, decodeGeneratedUpTo: 32, encodeLoopUpTo: 32 });
  },
);

test(
  "with the native UTF-8 write installed, encodeUtf8 still writes TextEncoder's bytes",
  opts,
  () => {
    assert.equal(typeof utf8Write, "function", "Buffer#utf8Write exists on Node, Deno and Bun");
    let calls = 0;
    const counted = (b: Uint8Array, p: number, s: string): number => {
      calls++;
      return utf8Write!(b, p, s);
    };
    for (const loopUpTo of [0, 32]) {
      useNativeStrings({
        latin1Slice,
        utf8Write: counted,
        decodeGeneratedUpTo: 32,
        encodeLoopUpTo: loopUpTo,
      });
      calls = 0;
      const cases = encodeCases();
      for (const [label, s] of cases) expectEncode(s, `native ${loopUpTo}: ${label}`);
      assert.equal(
        calls,
        cases.filter(([, s]) => s.length > loopUpTo).length,
        `the write took exactly the strings past ${loopUpTo} units`,
      );
      for (const [label, s] of cases) expectString16(s, `native ${loopUpTo}: string16 ${label}`);
      randomEncodeSweep(5 + loopUpTo, 5000);
    }
    useNativeStrings({ latin1Slice, decodeGeneratedUpTo: 32, encodeLoopUpTo: 32 });
  },
);
