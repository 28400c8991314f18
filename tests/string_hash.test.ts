// Message ids: cellnet's util.StringHash walks runes, not bytes or UTF-16 units.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { stringHash, stringHashBytes } from "../src/message/string_hash.ts";

const opts = { timeout: 10000 };

interface HashVector {
  input: string | null;
  inputUtf8Hex: string;
  hash: number;
  hashIfBytesWereIterated_WRONG?: number;
}
const vectors = (JSON.parse(
  readFileSync(new URL("./fixtures/cellnet-wire.json", import.meta.url), "utf8"),
) as { stringHash: HashVector[] }).stringHash;

function unhex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

test("the fixture has StringHash vectors", opts, () => {
  assert.ok(vectors.length >= 40);
});

for (const v of vectors) {
  const label = v.input ?? `0x${v.inputUtf8Hex}`;
  test(`stringHash('${label}') is ${v.hash} from the string and from its bytes`, opts, () => {
    if (v.input !== null) {
      assert.equal(stringHash(v.input), v.hash);
      assert.deepEqual(new TextEncoder().encode(v.input), unhex(v.inputUtf8Hex));
    }
    assert.equal(stringHashBytes(unhex(v.inputUtf8Hex)), v.hash);
    if (v.hashIfBytesWereIterated_WRONG !== undefined) {
      assert.notEqual(v.hash, v.hashIfBytesWereIterated_WRONG);
    }
  });
}

test("stringHash() of the names the spec quotes", opts, () => {
  assert.equal(stringHash(""), 0);
  assert.equal(stringHash("a"), 12513);
  assert.equal(stringHash("proto.ChatREQ"), 16234);
  assert.equal(stringHash("main.TestEchoACK"), 4673);
  assert.equal(stringHash("rpcRemoteCallREQ"), 58645);
  assert.equal(stringHash("relayRelayACK"), 45545);
});

// Reference straight from the Go source, by code point, to cross-check the fast loops.
function reference(name: string): number {
  let h = 0;
  for (const ch of name) {
    const c = ch.codePointAt(0)! & 0xffff;
    h = (h + (h << 5) + c + (c << 7)) & 0xffff;
  }
  return h;
}

test("stringHash() keeps only the low 16 bits of code points above U+FFFF", opts, () => {
  // U+1F600 -> 0xF600; hashing the two UTF-16 units would give another value.
  assert.equal(stringHash("😀"), (129 * 0xf600) & 0xffff);
  assert.equal(stringHash("proto.😀聊天"), reference("proto.😀聊天"));
  assert.equal(stringHashBytes(new TextEncoder().encode("x😀y")), stringHash("x😀y"));
});

test("stringHash() hashes a lone surrogate as U+FFFD, like its UTF-8 form", opts, () => {
  assert.equal(stringHash("a\ud800b"), stringHash("a\ufffdb"));
  assert.equal(stringHash("\udc00"), stringHashBytes(new TextEncoder().encode("\udc00")));
});

test(
  "stringHashBytes() turns each invalid UTF-8 byte into one U+FFFD, as Go's range does",
  opts,
  () => {
    const fffd = (n: number) => "\ufffd".repeat(n);
    const cases: [string, string][] = [
      ["ff", fffd(1)],
      ["61ff62", `a${fffd(1)}b`],
      ["c0af", fffd(2)], // overlong '/'
      ["e08080", fffd(3)], // overlong
      ["eda080", fffd(3)], // UTF-16 surrogate
      ["f4908080", fffd(4)], // above U+10FFFF
      ["e4bd", fffd(2)], // truncated 3-byte sequence: each byte separately
      ["e4bd41", `${fffd(2)}A`],
      ["f09f98", fffd(3)],
      ["c3a9", "é"],
      ["f09f9880", "😀"],
    ];
    for (const [hex, equivalent] of cases) {
      assert.equal(stringHashBytes(unhex(hex)), reference(equivalent), hex);
    }
  },
);

test("stringHash() agrees with the code-point reference on many random strings", opts, () => {
  let seed = 12345;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const pool = ["a", "Z", ".", "é", "中", "😀", "\u0000", "\uffff", "𐀀"];
  for (let i = 0; i < 500; i++) {
    let s = "";
    for (let j = rnd(20); j > 0; j--) s += pool[rnd(pool.length)];
    assert.equal(stringHash(s), reference(s));
    assert.equal(stringHashBytes(new TextEncoder().encode(s)), reference(s));
  }
});
