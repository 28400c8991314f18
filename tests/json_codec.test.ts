// The json codec must produce what Go's encoding/json produces for the same struct.
import { test } from "node:test";
import assert from "node:assert/strict";

import { jsonCodec } from "../src/codec/json.ts";
import { ByteWriter } from "../src/codec/byte_writer.ts";
import { type BoundCodec, getCodec } from "../src/codec/codec.ts";
import { type Fields, type FieldValues, t, zeroValues } from "../src/codec/field.ts";
import { DecodeError, EncodeError } from "../src/errors.ts";

const opts = { timeout: 10000 };
const utf8 = new TextEncoder();
const text = new TextDecoder();

function bind<F extends Fields>(name: string, fields: F): BoundCodec<FieldValues<F>> {
  return jsonCodec.bind({ name, fields, create: () => zeroValues(fields) });
}
function encode<T extends object>(codec: BoundCodec<T>, value: T): string {
  const w = new ByteWriter(4);
  codec.encode(value, w);
  return text.decode(w.view());
}
function decode<T extends object>(codec: BoundCodec<T>, json: string): T {
  return codec.decode(utf8.encode(json));
}

const TestEchoACK = { Msg: t.string, Value: t.int32 };
const echo = bind("main.TestEchoACK", TestEchoACK);
const ChatACK = { Content: t.string, Id: t.int64 };
const chat = bind("proto.ChatACK", ChatACK);

test('encode() of TestEchoACK is exactly Go\'s {"Msg":"hello","Value":1234}', opts, () => {
  assert.equal(encode(echo, { Msg: "hello", Value: 1234 }), '{"Msg":"hello","Value":1234}');
  assert.deepEqual(decode(echo, '{"Msg":"hello","Value":1234}'), { Msg: "hello", Value: 1234 });
});

test("int64 max and min round-trip exactly as plain JSON numbers", opts, () => {
  for (const id of [2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n, 0n]) {
    const json = encode(chat, { Content: "x", Id: id });
    assert.equal(json, `{"Content":"x","Id":${id}}`);
    assert.deepEqual(decode(chat, json), { Content: "x", Id: id });
  }
  const u64 = bind("x.U", { U: t.uint64 });
  assert.equal(encode(u64, { U: 2n ** 64n - 1n }), '{"U":18446744073709551615}');
  assert.deepEqual(decode(u64, '{"U":18446744073709551615}'), { U: 2n ** 64n - 1n });
});

test("[]byte is standard padded base64, as Go encodes it", opts, () => {
  const codec = bind("kinds.Bytes", { B: t.bytes });
  const cases: [number[], string][] = [[[], ""], [[0], "AA=="], [[0, 1], "AAE="], [[
    0,
    1,
    2,
    0xff,
    0xfe,
  ], "AAEC//4="], [[0xfb, 0xff], "+/8="]];
  for (const [bytes, b64] of cases) {
    assert.equal(encode(codec, { B: new Uint8Array(bytes) }), `{"B":"${b64}"}`);
    assert.deepEqual(decode(codec, `{"B":"${b64}"}`), { B: new Uint8Array(bytes) });
  }
  assert.deepEqual(decode(codec, '{"B":null}'), { B: new Uint8Array(0) });
  for (const bad of ['"AA"', '"A==="', '"AA=A"', '"AA-_"', "12"]) {
    assert.throws(() => decode(codec, `{"B":${bad}}`), DecodeError, bad);
  }
});

test("strings are escaped the way Go escapes them", opts, () => {
  const codec = bind("proto.ChatREQ", { Content: t.string });
  assert.equal(
    encode(codec, { Content: 'a<b>&"\\\n\t\u0001\u2028\u2029\u007f中😀' }),
    '{"Content":"a\\u003cb\\u003e\\u0026\\"\\\\\\n\\t\\u0001\\u2028\\u2029\u007f中😀"}',
  );
  assert.deepEqual(decode(codec, '{"Content":"\\u003c\\ud83d\\ude00\\/\\b\\f\\r"}'), {
    Content: "<😀/\b\f\r",
  });
});

test("nested structs are objects and slices are arrays, empty slices []", opts, () => {
  const Point = { X: t.int32, Y: t.int32 };
  const Mixed = {
    Flag: t.bool,
    Where: t.struct(Point),
    Pts: t.slice(t.struct(Point)),
    Names: t.slice(t.string),
    Ratio: t.float64,
    F32: t.float32,
  };
  const codec = bind("kinds.Mixed", Mixed);
  const value = {
    Flag: true,
    Where: { X: -7, Y: 8 },
    Pts: [{ X: 1, Y: 2 }],
    Names: [],
    Ratio: 0.75,
    F32: Math.fround(3.14),
  };
  const json =
    '{"Flag":true,"Where":{"X":-7,"Y":8},"Pts":[{"X":1,"Y":2}],"Names":[],"Ratio":0.75,"F32":3.14}';
  assert.equal(encode(codec, value), json);
  assert.deepEqual(decode(codec, json), value);
  assert.deepEqual(decode(codec, '{"Names":null,"Pts":null,"Where":null}'), zeroValues(Mixed));
});

test("floats are formatted like Go: -0, exponents, shortest float32 digits", opts, () => {
  const codec = bind("kinds.Floats", { F32: t.float32, F64: t.float64 });
  const cases: [number, number, string][] = [
    [0, 0, '{"F32":0,"F64":0}'],
    [-0, -0, '{"F32":-0,"F64":-0}'],
    [0.1, 1e21, '{"F32":0.1,"F64":1e+21}'],
    [1e-7, 1e20, '{"F32":1e-7,"F64":100000000000000000000}'],
    [16777217, 1.5e-10, '{"F32":16777216,"F64":1.5e-10}'],
    [3.4028234663852886e38, 5e-324, '{"F32":3.4028235e+38,"F64":5e-324}'],
  ];
  for (const [f32, f64, json] of cases) assert.equal(encode(codec, { F32: f32, F64: f64 }), json);
  assert.throws(() => encode(codec, { F32: NaN, F64: 0 }), EncodeError);
  assert.throws(() => encode(codec, { F32: 0, F64: Infinity }), EncodeError);
  assert.throws(() => encode(codec, { F32: 1e39, F64: 0 }), EncodeError);
});

test(
  "decode() matches keys case-insensitively, skips unknown keys and keeps zeros for null",
  opts,
  () => {
    assert.deepEqual(
      decode(echo, ' { "msg" : "hi" , "extra" : {"a":[1,2,{"b":null}]}, "Value": null } '),
      { Msg: "hi", Value: 0 },
    );
    assert.deepEqual(decode(echo, "null"), { Msg: "", Value: 0 });
    assert.deepEqual(decode(echo, '{"Value":-0}'), { Msg: "", Value: 0 });
  },
);

test("decode() rejects malformed JSON with a DecodeError", opts, () => {
  const bad = [
    "",
    "{",
    '{"Msg":"hi"',
    '{"Msg":"hi",}',
    "{Msg:1}",
    '{"Msg":"a\u0001"}',
    '{"Msg":"\\x"}',
    "[1]",
    '"str"',
    "{} {}",
    '{"Value":01}',
    '{"Value":1.}',
    "nul",
    "\ufeff{}",
  ];
  for (const json of bad) {
    assert.throws(() => decode(echo, json), DecodeError, JSON.stringify(json));
  }
  assert.throws(() => echo.decode(new Uint8Array([0x7b, 0xff])), DecodeError);
  assert.throws(() => decode(echo, "[".repeat(5000) + "]".repeat(5000)), DecodeError);
});

test(
  "decode() rejects wrong field types and out-of-range integers with a DecodeError",
  opts,
  () => {
    const bad = [
      '{"Msg":1}',
      '{"Value":"1"}',
      '{"Value":1.5}',
      '{"Value":1e2}',
      '{"Value":2147483648}',
      '{"Value":true}',
      '{"Value":{}}',
    ];
    for (const json of bad) assert.throws(() => decode(echo, json), DecodeError, json);
    assert.throws(
      () => decode(chat, '{"Id":9223372036854775808}'),
      /cannot unmarshal number 9223372036854775808 into proto\.ChatACK\.Id of type int64/,
    );
    assert.throws(() => decode(bind("x.U8", { V: t.uint8 }), '{"V":-1}'), DecodeError);
    assert.throws(() => decode(bind("x.F", { V: t.float64 }), '{"V":1e400}'), DecodeError);
    assert.throws(() => decode(bind("x.B", { V: t.bool }), '{"V":1}'), DecodeError);
    assert.throws(
      () => decode(bind("x.L", { V: t.slice(t.int8) }), '{"V":[1,300]}'),
      /x\.L\.V\[\]/,
    );
  },
);

test("encode() rejects values of the wrong type with an EncodeError naming the field", opts, () => {
  assert.throws(
    () => encode(echo, { Msg: "a", Value: 1.5 }),
    /main\.TestEchoACK\.Value: expected an int32/,
  );
  assert.throws(() => encode(echo, { Msg: "a", Value: "1" as unknown as number }), EncodeError);
  assert.throws(() => encode(chat, { Content: "", Id: 2n ** 63n }), EncodeError);
});

test("schemaless shapes use JSON.stringify and Object.assign onto create()", opts, () => {
  class Note {
    text = "";
    n = 0;
    shout(): string {
      return this.text.toUpperCase();
    }
  }
  const codec = jsonCodec.bind({ name: "x.Note", create: () => new Note() });
  const w = new ByteWriter();
  codec.encode(Object.assign(new Note(), { text: "a<b", n: 2 }), w);
  assert.equal(text.decode(w.view()), '{"text":"a\\u003cb","n":2}');
  const back = codec.decode(w.view());
  assert.ok(back instanceof Note);
  assert.equal(back.shout(), "A<B");
  assert.equal(
    Object.getPrototypeOf(codec.decode(utf8.encode('{"__proto__":{"x":1}}'))),
    Note.prototype,
  );
  assert.throws(() => codec.decode(utf8.encode("{oops")), DecodeError);
  assert.throws(() => codec.decode(utf8.encode("[1]")), DecodeError);
  const big = jsonCodec.bind({ name: "x.Big", create: () => ({}) });
  assert.throws(() => big.encode({ n: 1n }, new ByteWriter()), EncodeError);
});

test("the json codec is registered under its name", opts, () => {
  assert.equal(getCodec("json"), jsonCodec);
  assert.equal(jsonCodec.mimeType, "application/json");
});
