// The protoplus codec against every protoplus golden vector (encode and
// decode), cellnet's rpc/relay envelopes, protoplus's decoding rules, and bad
// input: truncations, forged lengths, wrong wire types and a seeded fuzz,
// from which only DecodeError may escape.
import { test } from "node:test";
import assert from "node:assert/strict";

import { protoplusCodec } from "../src/codec/protoplus.ts";
import { ByteWriter } from "../src/codec/byte_writer.ts";
import { type BoundCodec, getCodec } from "../src/codec/codec.ts";
import { type Fields, t, zeroValues } from "../src/codec/field.ts";
import { DecodeError, EncodeError } from "../src/errors.ts";
import { stringHash } from "../src/message/string_hash.ts";
import { messageMetaById } from "../src/message/meta.ts";
import { RelayACK, RemoteCallACK, RemoteCallREQ } from "../src/message/cellnet_messages.ts";
import { bodyCases, hex, unhex } from "./_protoplus_vectors.ts";
import { prng } from "./_reliability.ts";

const opts = { timeout: 20_000 };

function encodeHex(codec: BoundCodec<Record<string, unknown>>, value: object): string {
  const w = new ByteWriter(8);
  codec.encode(value as Record<string, unknown>, w);
  return hex(w.view());
}

function bind(fields: Fields, name = "test.PP"): BoundCodec<Record<string, unknown>> {
  return protoplusCodec.bind({ name, fields, create: () => zeroValues(fields) });
}

/** Decode and compare as plain data (class instances and plain objects alike). */
function plain(v: object): Record<string, unknown> {
  return { ...v } as Record<string, unknown>;
}

/** Decode must return or throw DecodeError; anything else fails the test. */
function decodeOrDecodeError(
  codec: BoundCodec<Record<string, unknown>>,
  body: Uint8Array,
  what: string,
): boolean {
  try {
    codec.decode(body);
    return true;
  } catch (e) {
    if (!(e instanceof DecodeError)) {
      assert.fail(
        `${what}: threw ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? e}`,
      );
    }
    return false;
  }
}

// ---- registry and cellnet's three messages ---------------------------------

test("the protoplus codec is registered under cellnet's name with cellnet's MIME type", () => {
  assert.equal(getCodec("protoplus"), protoplusCodec);
  assert.equal(protoplusCodec.name, "protoplus");
  assert.equal(protoplusCodec.mimeType, "application/binary");
});

test("cellnet's rpc and relay messages have protoplus's ids (package+name hashed without the dot)", () => {
  assert.equal(RemoteCallREQ.meta.id, 58645);
  assert.equal(RemoteCallACK.meta.id, 20476);
  assert.equal(RelayACK.meta.id, 45545);
  assert.equal(stringHash("rpcRemoteCallREQ"), 58645);
  assert.equal(stringHash("rpcRemoteCallACK"), 20476);
  assert.equal(stringHash("relayRelayACK"), 45545);
  for (const m of [RemoteCallREQ, RemoteCallACK, RelayACK]) {
    assert.equal(m.meta.codec, protoplusCodec);
    assert.equal(messageMetaById(m.meta.id), m.meta);
  }
  assert.equal(RemoteCallREQ.meta.name, "rpc.RemoteCallREQ");
  assert.equal(RelayACK.meta.name, "relay.RelayACK");
});

// ---- golden vectors --------------------------------------------------------

test("the fixtures hold the expected number of protoplus bodies", () => {
  const byFile = (f: string) => bodyCases.filter((c) => c.file === f).length;
  assert.equal(byFile("cellnet-wire.json"), 11); // 8 cellnet messages + 3 protoplus reference bodies
  assert.equal(byFile("cellnet-ext.json"), 26); // 6 pp.* + 10 rpc + 10 relay
});

for (const c of bodyCases) {
  test(`encode: ${c.file} ${c.type} "${c.label}" is byte for byte Go's body`, () => {
    assert.equal(encodeHex(c.codec, c.value), c.body);
  });

  test(`decode: ${c.file} ${c.type} "${c.label}" gives the vector's values and re-encodes identically`, () => {
    const decoded = c.codec.decode(unhex(c.body));
    assert.deepEqual(plain(decoded), c.decoded);
    assert.equal(encodeHex(c.codec, decoded), c.body);
  });
}

test("rpc and relay frames are the 2-byte length, the message id and the protoplus body", () => {
  const withFrames = bodyCases.filter((c) => c.frameHex && c.msgId !== undefined);
  assert.ok(withFrames.length >= 30);
  for (const c of withFrames) {
    const len = c.body.length / 2 + 2;
    const frame = hex(new Uint8Array([len & 0xff, len >> 8, c.msgId! & 0xff, c.msgId! >> 8])) +
      c.body;
    assert.equal(frame, c.frameHex, c.label);
  }
  for (
    const c of bodyCases.filter((c) => c.type.startsWith("rpc.") || c.type.startsWith("relay."))
  ) {
    const meta = c.type === "rpc.RemoteCallREQ"
      ? RemoteCallREQ.meta
      : c.type === "rpc.RemoteCallACK"
      ? RemoteCallACK.meta
      : RelayACK.meta;
    assert.equal(c.msgId ?? meta.id, meta.id, c.label);
  }
});

test("decodeRange decodes a body in place inside a larger buffer, like decode", () => {
  for (const c of bodyCases) {
    const body = unhex(c.body);
    const buf = new Uint8Array(body.length + 7).fill(0xee);
    buf.set(body, 3);
    const decoded = c.codec.decodeRange!(buf, 3, 3 + body.length);
    assert.deepEqual(plain(decoded), c.decoded, c.label);
  }
});

// ---- the encoding rules ----------------------------------------------------

test("a negative int64 scalar is Fixed64 but a negative []int64 element is a 10-byte varint", () => {
  const relay = RelayACK.meta.bound;
  assert.equal(encodeHex(relay, new RelayACK({ Int64: -5n })), "1efbffffffffffffff");
  assert.equal(encodeHex(relay, new RelayACK({ Int64Slice: [-5n] })), "220afbffffffffffffffff01");
  // Numbers are accepted for int64 too, with the same encoding.
  assert.equal(
    encodeHex(relay, new RelayACK({ Int64: -5 as unknown as bigint })),
    "1efbffffffffffffff",
  );
  assert.equal(
    encodeHex(
      relay,
      new RelayACK({ Int64Slice: [-5 as unknown as bigint, 2 ** 40 as unknown as bigint] }),
    ),
    "2210" + "fbffffffffffffffff01" + "808080808020",
  );
});

test("a negative int32 scalar is Fixed32 but a negative []int32 element is a 10-byte varint", () => {
  const c = bind({ A: t.int32, B: t.slice(t.int32) });
  assert.equal(encodeHex(c, { A: -1, B: [-1, 1] }), "05ffffffff" + "0a0bffffffffffffffffff0101");
  assert.deepEqual(c.decode(unhex("05ffffffff0a0bffffffffffffffffff0101")), { A: -1, B: [-1, 1] });
});

test("zero values are omitted: false, 0, -0.0, a float32 that rounds to 0, empty string, bytes and slices", () => {
  const c = bind({
    B: t.bool,
    I: t.int32,
    U: t.uint32,
    L: t.int64,
    UL: t.uint64,
    F: t.float32,
    D: t.float64,
    S: t.string,
    Y: t.bytes,
    X: t.slice(t.int32),
    P: t.struct({ Q: t.int32 }),
  });
  const zero = {
    B: false,
    I: 0,
    U: 0,
    L: 0n,
    UL: 0n,
    F: -0,
    D: -0,
    S: "",
    Y: new Uint8Array(0),
    X: [],
    P: { Q: 0 },
  };
  assert.equal(encodeHex(c, zero), "");
  assert.equal(encodeHex(c, { ...zero, F: 1e-50 }), "");
  assert.equal(
    encodeHex(c, { ...zero, D: 1e-50 }),
    "36" + hex(new Uint8Array(new Float64Array([1e-50]).buffer)),
  );
  assert.equal(encodeHex(c, { ...zero, D: NaN }), "36000000000000f87f");
});

test("zero elements inside packed slices are kept, all-zero structs in struct slices are dropped", () => {
  const c = bind({
    N: t.slice(t.uint64),
    P: t.slice(t.struct({ X: t.int32 })),
    B: t.slice(t.bool),
  });
  const body = encodeHex(c, { N: [0n, 0n], P: [{ X: 0 }, { X: 1 }, { X: 0 }], B: [false] });
  assert.equal(body, "02020000" + "0a020101" + "120100");
  assert.deepEqual(c.decode(unhex(body)), { N: [0n, 0n], P: [{ X: 1 }], B: [false] });
});

test("a nested struct holding only empty strings of a []string is omitted, as protoplus's Size() is 0", () => {
  const c = bind({ Inner: t.struct({ L: t.slice(t.string) }), N: t.int32 });
  assert.equal(encodeHex(c, { Inner: { L: ["", ""] }, N: 1 }), "0901");
  // At the top level every element is written.
  assert.equal(encodeHex(bind({ L: t.slice(t.string) }), { L: ["", "a"] }), "02000201" + "61");
});

test("a nested struct with an empty []string element gets its true length (protoplus's is too short)", () => {
  const c = bind({ Inner: t.struct({ L: t.slice(t.string), N: t.int32 }) });
  const body = encodeHex(c, { Inner: { L: ["", "a"], N: 2 } });
  assert.equal(body, "02" + "07" + "0200" + "020161" + "0902");
  assert.deepEqual(c.decode(unhex(body)), { Inner: { L: ["", "a"], N: 2 } });
});

test("length prefixes grow past one byte for long strings, packed slices and nested structs", () => {
  const c = bind({
    S: t.string,
    L: t.slice(t.int64),
    P: t.struct({ S: t.string }),
    U: t.slice(t.string),
  });
  const s = "é".repeat(100) + "x".repeat(20000);
  const value = {
    S: s,
    L: Array.from({ length: 100 }, () => -1n),
    P: { S: "y".repeat(130) },
    U: ["z".repeat(128)],
  };
  const w = new ByteWriter(8);
  c.encode(value, w);
  const out = w.view();
  // S: key 02, length 20200 = varint e8 9d 01.
  assert.equal(hex(out.subarray(0, 4)), "02e89d01");
  const decoded = c.decode(out);
  assert.deepEqual(decoded, value);
  assert.equal(hex(out.subarray(4 + 20200, 4 + 20200 + 3)), "0ae807"); // 100 × 10 bytes
});

test("floats are IEEE bits little-endian, float slices packed raw", () => {
  const c = bind({ F: t.float32, D: t.float64, FS: t.slice(t.float32), DS: t.slice(t.float64) });
  const value = { F: -1.25, D: Infinity, FS: [1.5, -2], DS: [0.1] };
  const body = encodeHex(c, value);
  assert.equal(
    body,
    "050000a0bf" + "0e000000000000f07f" + "12080000c03f000000c0" + "1a089a9999999999b93f",
  );
  assert.deepEqual(c.decode(unhex(body)), value);
});

test("uint32, uint64 and int64 extremes round-trip exactly", () => {
  const c = bind({
    U: t.uint32,
    UL: t.uint64,
    L: t.int64,
    LS: t.slice(t.int64),
    US: t.slice(t.uint64),
  });
  const value = {
    U: 4294967295,
    UL: 2n ** 64n - 1n,
    L: -(2n ** 63n),
    LS: [-(2n ** 63n), 2n ** 63n - 1n, -1n, 1n, 2n ** 53n + 1n],
    US: [2n ** 64n - 1n, 2n ** 32n],
  };
  assert.deepEqual(c.decode(unhex(encodeHex(c, value))), value);
  assert.equal(encodeHex(bind({ L: t.int64 }), { L: 2n ** 63n - 1n }), "01ffffffffffffffff7f");
});

test("t.ignored fields are never written and are decoded normally", () => {
  const c = bind({ A: t.int32, Secret: t.ignored(t.string) });
  assert.equal(encodeHex(c, { A: 1, Secret: "hidden" }), "0101");
  assert.deepEqual(c.decode(unhex("0101" + "0a026869")), { A: 1, Secret: "hi" });
});

test("binding refuses kinds protoplus does not have, with a TypeError naming the field", () => {
  for (
    const [fields, re] of [
      [{ A: t.int8 }, /test\.PP\.A.*int8.*t\.int32/],
      [{ A: t.uint16 }, /uint16.*t\.uint32/],
      [{ A: t.slice(t.bytes) }, /\[\]bytes/],
      [{ A: t.slice(t.slice(t.int32)) }, /\[\]slice/],
      [{ A: t.struct({ B: t.slice(t.uint8) }) }, /test\.PP\.A\.B.*\[\]uint8/],
    ] as const
  ) {
    assert.throws(
      () => bind(fields as Fields),
      (e: unknown) => e instanceof TypeError && re.test(e.message),
    );
  }
  assert.throws(() => protoplusCodec.bind({ name: "x.NoSchema", create: () => ({}) }), TypeError);
});

test("encoding a value of the wrong type throws EncodeError naming the field", () => {
  const c = bind({
    A: t.int32,
    U: t.uint32,
    L: t.int64,
    UL: t.uint64,
    S: t.slice(t.string),
    P: t.slice(t.struct({ X: t.bool })),
  });
  const ok = { A: 0, U: 0, L: 0n, UL: 0n, S: [], P: [] };
  for (
    const [patch, re] of [
      [{ A: 1.5 }, /test\.PP\.A: expected an int32/],
      [{ A: 2 ** 31 }, /test\.PP\.A/],
      [{ U: -1 }, /test\.PP\.U: expected a uint32/],
      [{ L: 2n ** 63n }, /test\.PP\.L: expected an int64/],
      [{ L: 2 ** 60 }, /test\.PP\.L/],
      [{ UL: -1n }, /test\.PP\.UL: expected a uint64/],
      [{ S: ["a", 1] }, /test\.PP\.S\[1\]: expected a string/],
      [{ P: [{ X: true }, null] }, /test\.PP\.P\[1\]: expected an object/],
      [{ P: [{ X: 1 }] }, /test\.PP\.P\[\]\.X: expected a boolean/],
    ] as const
  ) {
    assert.throws(
      () => encodeHex(c, { ...ok, ...patch }),
      (e: unknown) => e instanceof EncodeError && re.test(e.message),
      JSON.stringify(patch, (_, v) => typeof v === "bigint" ? `${v}n` : v),
    );
  }
  assert.throws(() => c.encode(null as never, new ByteWriter()), EncodeError);
});

// ---- the decoding rules ----------------------------------------------------

test("unknown fields of every wire type are skipped", () => {
  const req = RemoteCallREQ.meta.bound;
  // index 9: varint, bytes, zigzag32, zigzag64, fixed32, fixed64; index 2^40 (key > 32 bits).
  const unknown = "49ff01" + "4a03616263" + "4b7f" + "4c8001" + "4d01020304" +
    "4e0102030405060708" + "81808080808002" + "01";
  const decoded = req.decode(unhex(unknown + "01c1240a0b050068656c6c6fd20400001101" + unknown));
  assert.deepEqual(plain(decoded), {
    MsgID: 4673,
    Data: unhex("050068656c6c6fd2040000"),
    CallID: 1n,
  });
});

test("wire type 0 or 7, or a known field with the wrong wire type, is a DecodeError", () => {
  const req = RemoteCallREQ.meta.bound;
  for (const body of ["4801", "4f01", "0501020304", "0901", "0201", "1501020304", "1201"]) {
    assert.throws(
      () => req.decode(unhex(body)),
      (e: unknown) => e instanceof DecodeError && /bad wire type/.test(e.message),
      body,
    );
  }
  const c = bind({
    B: t.bool,
    F: t.float32,
    D: t.float64,
    S: t.string,
    L: t.slice(t.int32),
    P: t.struct({}),
  });
  for (const body of ["0500000000", "0901", "1500000000", "1901", "2101", "2e0000000000000000"]) {
    assert.throws(() => c.decode(unhex(body)), DecodeError, body);
  }
});

test("a field seen twice: scalars and strings keep the last, bytes and slices append, structs merge", () => {
  const c = bind({
    U: t.uint32,
    S: t.string,
    Y: t.bytes,
    L: t.slice(t.int64),
    N: t.slice(t.string),
    P: t.struct({ X: t.int32, Y: t.int32 }),
    Q: t.slice(t.struct({ X: t.int32 })),
  });
  const body = "0101" + "0102" + "0a0161" + "0a0162" + "120101" + "120102" + "1a0101" + "1a0102" +
    "220178" + "220179" + "2a020101" + "2a020902" + "32020101" + "32020102";
  assert.deepEqual(c.decode(unhex(body)), {
    U: 2,
    S: "b",
    Y: new Uint8Array([1, 2]),
    L: [1n, 2n],
    N: ["x", "y"],
    P: { X: 1, Y: 2 },
    Q: [{ X: 1 }, { X: 2 }],
  });
});

test("varint values wrap like Go's conversions: int32(v), uint32(v), bool is v != 0, a 10th byte keeps bit 63 only", () => {
  const c = bind({ I: t.int32, U: t.uint32, B: t.bool, L: t.int64 });
  // I = 2^32 + 5 → 5; U = 2^33 - 1 → 2^32 - 1; B = 2^35 → true; L: 10th byte 0x7f → only bit 63.
  const body = "01" + "8580808010" + "09" + "ffffffff1f" + "11" + "808080808001" + "19" +
    "ff".repeat(9) + "7f";
  assert.deepEqual(c.decode(unhex(body)), { I: 5, U: 4294967295, B: true, L: -1n });
});

test("a varint longer than 10 bytes is a DecodeError", () => {
  const c = bind({ U: t.uint64 });
  assert.throws(
    () => c.decode(unhex("01" + "ff".repeat(10) + "01")),
    (e: unknown) => e instanceof DecodeError && /longer than 10 bytes/.test(e.message),
  );
  assert.throws(() => c.decode(unhex("ff".repeat(11))), DecodeError);
});

test("a length past the end is a DecodeError before anything is allocated (where Go panics)", () => {
  const req = RemoteCallREQ.meta.bound;
  // Data claims 32 bytes but 3 follow (Go: slice bounds out of range).
  assert.throws(
    () => req.decode(unhex("01c1240a20010203")),
    (e: unknown) => e instanceof DecodeError && /Data: length 32/.test(e.message),
  );
  // Lengths of 2^32 - 1 and 2^62 would be fatal if allocated.
  assert.throws(() => req.decode(unhex("0affffffff0f")), DecodeError);
  assert.throws(() => req.decode(unhex("0a80808080808080804000")), DecodeError);
  const c = bind({
    B: t.slice(t.bool),
    F: t.slice(t.float64),
    P: t.struct({ X: t.int32 }),
    S: t.string,
    Q: t.slice(t.struct({})),
  });
  for (const body of ["02ffffffff07", "0a09" + "00".repeat(8), "1205080100", "1a0561", "2201"]) {
    assert.throws(() => c.decode(unhex(body)), DecodeError, body);
  }
  // A nested length cannot reach past its enclosing field.
  assert.throws(() => c.decode(unhex("1203" + "0a0200" + "0000")), DecodeError);
});

test("a truncated fixed32/fixed64 is a DecodeError, not silently reparsed as keys (Go's quirk)", () => {
  const c = bind({ I: t.int32, L: t.int64, F: t.float32 });
  for (const body of ["05ffff", "0effffffffffff", "1500"]) {
    assert.throws(() => c.decode(unhex(body)), DecodeError, body);
  }
});

test("a float slice whose size is not a multiple of the width, or a []bool byte other than 0/1, is a DecodeError", () => {
  const c = bind({ F: t.slice(t.float32), B: t.slice(t.bool) });
  assert.throws(() => c.decode(unhex("0205000000c03f")), DecodeError);
  assert.throws(
    () => c.decode(unhex("0a020102")),
    (e: unknown) => e instanceof DecodeError && /bad bool value 2/.test(e.message),
  );
});

test("invalid UTF-8 in a string decodes to U+FFFD", () => {
  const c = bind({ S: t.string });
  assert.deepEqual(c.decode(unhex("0203ff6162")), { S: "\ufffdab" });
});

test("an empty body decodes to the zero message", () => {
  const decoded = RelayACK.meta.bound.decode(new Uint8Array(0));
  assert.ok(decoded instanceof RelayACK);
  assert.deepEqual(plain(decoded), plain(new RelayACK()));
});

test("the protoplus codec works where code generation is forbidden (CSP): the loop fallback", () => {
  const realFunction = globalThis.Function;
  let blocked = 0;
  (globalThis as { Function: unknown }).Function = function () {
    blocked++;
    throw new EvalError("code generation from strings disallowed for this context");
  };
  let slow: BoundCodec<Record<string, unknown>>[];
  try {
    slow = bodyCases.map((c) => bind(c.fields, `csp.${c.type}`));
  } finally {
    (globalThis as { Function: unknown }).Function = realFunction;
  }
  assert.ok(blocked >= 2 * bodyCases.length, "encoders and decoders tried code generation");
  bodyCases.forEach((c, i) => {
    assert.equal(encodeHex(slow[i]!, c.value), c.body, c.label);
    assert.deepEqual(plain(slow[i]!.decode(unhex(c.body))), c.decoded, c.label);
  });
  // Unknown fields are skipped by the fallback too.
  assert.deepEqual(
    plain(slow[0]!.decode(unhex("4a0161" + bodyCases[0]!.body))),
    bodyCases[0]!.decoded,
  );
});

test("seeded round trip: 2000 random values of every kind decode to what was encoded", opts, () => {
  const rand = prng(20260111);
  const below = (n: number) => Math.floor(rand() * n);
  const int = (bits: number) => below(2 ** bits);
  const bits = (max: number) => 1 + below(max);
  const big = (n: number) =>
    (BigInt(int(Math.max(0, n - 32))) << 32n) | BigInt(int(Math.min(n, 32)));
  const pick = <V>(gen: () => V, zero: V): V => (rand() < 0.2 ? zero : gen());
  const i32 = () => pick(() => (rand() < 0.5 ? int(bits(31)) : -int(bits(31)) - 1), 0);
  const u32 = () => pick(() => int(bits(32)), 0);
  const i64 = () => pick(() => BigInt.asIntN(64, big(bits(64))), 0n);
  const u64 = () => pick(() => big(bits(64)), 0n);
  const f64 = () => pick(() => (rand() - 0.5) * 10 ** below(12), 0);
  const f32 = () => Math.fround(f64());
  const char =
    () => (rand() < 0.8 ? 32 + below(95) : 0x4e00 + below(16) + (rand() < 0.1 ? 0x10000 : 0));
  const str = () =>
    pick(() => String.fromCodePoint(...Array.from({ length: below(3) * 60 + below(4) }, char)), "");
  const bytes = () => Uint8Array.from({ length: pick(() => below(200), 0) }, () => below(256));
  const list = <V>(gen: () => V): V[] => Array.from({ length: pick(() => 1 + below(3), 0) }, gen);
  const Inner = {
    B: t.bool,
    I: t.int32,
    L: t.int64,
    S: t.string,
    Y: t.bytes,
    F: t.slice(t.float32),
  };
  const fields = {
    B: t.bool,
    I: t.int32,
    U: t.uint32,
    L: t.int64,
    UL: t.uint64,
    F: t.float32,
    D: t.float64,
    S: t.string,
    Y: t.bytes,
    P: t.struct(Inner),
    BS: t.slice(t.bool),
    IS: t.slice(t.int32),
    US: t.slice(t.uint32),
    LS: t.slice(t.int64),
    ULS: t.slice(t.uint64),
    FS: t.slice(t.float32),
    DS: t.slice(t.float64),
    SS: t.slice(t.string),
    PS: t.slice(t.struct(Inner)),
  };
  const c = bind(fields);
  const inner = () => ({ B: rand() < 0.5, I: i32(), L: i64(), S: str(), Y: bytes(), F: list(f32) });
  const isZero = (p: ReturnType<typeof inner>) =>
    !p.B && p.I === 0 && p.L === 0n && p.S === "" && p.Y.length === 0 && p.F.length === 0;
  for (let n = 0; n < 2000; n++) {
    const value = {
      B: rand() < 0.5,
      I: i32(),
      U: u32(),
      L: i64(),
      UL: u64(),
      F: f32(),
      D: f64(),
      S: str(),
      Y: bytes(),
      P: rand() < 0.3 ? { B: false, I: 0, L: 0n, S: "", Y: new Uint8Array(0), F: [] } : inner(),
      BS: list(() => rand() < 0.5),
      IS: list(i32),
      US: list(u32),
      LS: list(i64),
      ULS: list(u64),
      FS: list(f32),
      DS: list(f64),
      SS: list(str),
      PS: list(() => (rand() < 0.3
        ? { B: false, I: 0, L: 0n, S: "", Y: new Uint8Array(0), F: [] }
        : inner())
      ),
    };
    const w = new ByteWriter(8);
    c.encode(value, w);
    const decoded = c.decode(w.view());
    assert.deepEqual(decoded, {
      ...value,
      PS: value.PS.filter((p) =>
        !isZero(p)
      ),
    }, `#${n}`);
    // decodeRange over a copy at an offset agrees.
    const buf = new Uint8Array(w.pos + 5);
    buf.set(w.view(), 5);
    assert.deepEqual(c.decodeRange!(buf, 5, buf.length), decoded);
  }
});

// ---- bad input ---------------------------------------------------------------

test(
  "every vector body truncated at every byte decodes or throws DecodeError, nothing else",
  opts,
  () => {
    let errors = 0;
    for (const c of bodyCases) {
      const body = unhex(c.body);
      for (let n = 0; n < body.length; n++) {
        if (!decodeOrDecodeError(c.codec, body.subarray(0, n), `${c.label} cut at ${n}`)) errors++;
      }
    }
    assert.ok(errors > 100, `${errors} truncations rejected`);
  },
);

test("seeded fuzz: 20000 random and mutated bodies, only DecodeError escapes", opts, () => {
  const rand = prng(20260110);
  const codecs = [...new Set(bodyCases.map((c) => c.codec))];
  const bodies = bodyCases.map((c) => unhex(c.body)).filter((b) => b.length > 0);
  let ok = 0;
  let rejected = 0;
  for (let i = 0; i < 20_000; i++) {
    let body: Uint8Array;
    if (i % 2 === 0) {
      body = new Uint8Array(Math.floor(rand() * 48));
      for (let j = 0; j < body.length; j++) body[j] = Math.floor(rand() * 256);
    } else {
      body = bodies[Math.floor(rand() * bodies.length)]!.slice();
      const flips = 1 + Math.floor(rand() * 3);
      for (let j = 0; j < flips; j++) {
        body[Math.floor(rand() * body.length)] = Math.floor(rand() * 256);
      }
    }
    const codec = codecs[Math.floor(rand() * codecs.length)]!;
    if (decodeOrDecodeError(codec, body, `fuzz #${i} ${hex(body)}`)) ok++;
    else rejected++;
  }
  assert.ok(ok > 1000 && rejected > 1000, `${ok} decoded, ${rejected} rejected`);
});
