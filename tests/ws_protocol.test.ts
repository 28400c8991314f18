/**
 * RFC 6455 conformance of the WebSocket frame layer, as a table grouped like
 * the Autobahn testsuite's sections: each case is client bytes in, the
 * server's frames out (an echo handler writes every message back as
 * binary) and the close code it sent. Every case runs on an in-memory
 * connection three times: the input in one chunk, byte by byte, and cut at
 * seeded random points, so every chunk boundary inside a frame is crossed.
 * The gorillaws vectors of cellnet-ext.json are among the inputs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { WebSocketCloseError, WebSocketProtocolError } from "../src/errors.ts";
import { WSConnection } from "../src/transport/ws/ws_connection.ts";
import { prng } from "./_reliability.ts";
import {
  clientFrame,
  closeBody,
  closeCodeOf,
  concat,
  decodeFrames,
  hex,
  MemoryConnection,
  microtasks,
  toHex,
  WsRecorder,
} from "./_ws.ts";

const vectors = JSON.parse(
  readFileSync(new URL("./fixtures/cellnet-ext.json", import.meta.url), "utf8"),
).gorillaws;
/** The `sentHex` of the gorillaws input vector with this label. */
function sent(label: string): Uint8Array {
  const v = vectors.inputs.find((i: { label: string }) => i.label === label);
  assert.ok(v, `vector "${label}"`);
  return hex(v.sentHex);
}

const te = new TextEncoder();
const bin = (p: Uint8Array | string, o = {}) => clientFrame(0x2, p, o);
const txt = (p: Uint8Array | string, o = {}) => clientFrame(0x1, p, o);
const cont = (p: Uint8Array | string, o = {}) => clientFrame(0x0, p, o);
const ping = (p: Uint8Array | string = "", o = {}) => clientFrame(0x9, p, o);
const pong = (p: Uint8Array | string = "", o = {}) => clientFrame(0xa, p, o);
const close = (p: Uint8Array = new Uint8Array(0), o = {}) => clientFrame(0x8, p, o);
const bytes = (n: number, seed = n) => {
  const r = prng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
};
const h = (b: Uint8Array | string) => (typeof b === "string" ? toHex(te.encode(b)) : toHex(b));

interface Case {
  readonly id: string;
  readonly name: string;
  readonly input: Uint8Array[];
  /** Accept text messages (default: refused with 1003). */
  readonly text?: boolean;
  readonly maxPacketSize?: number;
  readonly maxFragments?: number;
  /** Frames the server wrote, as "opcode:payload-hex"; close frames as "close:<code>". */
  readonly out: string[];
  /** Exact server output, where the bytes are pinned by a vector. */
  readonly outHex?: string;
  /** The close code sent; undefined: the connection stays open. */
  readonly close?: number;
}

const echo = (payload: Uint8Array | string) => `binary:${h(payload)}`;
const cases: Case[] = [];
const add = (c: Case) => cases.push(c);

// 1. Framing: data frames of every length encoding.
for (const n of [0, 1, 125, 126, 127, 128, 1000, 65535, 65536, 70000]) {
  const p = bytes(n);
  add({
    id: `1.2.${n}`,
    name: `binary message of ${n} bytes is delivered whole`,
    input: [bin(p)],
    out: [echo(p)],
  });
}
for (const n of [0, 125, 126, 65536]) {
  const s = "*".repeat(n);
  add({
    id: `1.1.${n}`,
    name: `text message of ${n} bytes is delivered when text is on`,
    input: [txt(s)],
    text: true,
    out: [echo(s)],
  });
}
add({
  id: "1.3.1",
  name: "a 16-bit length encoding of 5 bytes (not minimal, but legal) is accepted",
  input: [bin("hello", { length: "16" })],
  out: [echo("hello")],
});
add({
  id: "1.3.2",
  name: "a 64-bit length encoding of 5 bytes is accepted",
  input: [bin("hello", { length: "64" })],
  out: [echo("hello")],
});
add({
  id: "1.3.3",
  name: "a 64-bit length with the high bit set fails with 1002",
  input: [bin("", { length64: 1n << 63n })],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "1.3.4",
  name: "several messages in one stream are delivered in order",
  input: [bin("a"), bin("bb"), bin("ccc")],
  out: [echo("a"), echo("bb"), echo("ccc")],
});
add({
  id: "1.3.5",
  name: "the gorillaws TestEchoACK client frame is delivered (vector)",
  input: [hex(vectors.clientFrames[0].frameHex)],
  out: [`binary:${vectors.clientFrames[0].payloadHex}`],
});

// 2. Pings, pongs and control-frame limits.
add({
  id: "2.1",
  name: "an empty ping is answered with an empty pong",
  input: [ping()],
  out: ["pong:"],
  outHex: "8a00",
});
add({
  id: "2.2",
  name: "a ping is answered with a pong of the same payload (vector)",
  input: [sent('ping "hi"')],
  out: ["pong:6869"],
  outHex: "8a026869",
});
add({
  id: "2.3",
  name: "a ping of 125 binary bytes is answered in full",
  input: [ping(bytes(125))],
  out: [`pong:${h(bytes(125))}`],
});
add({
  id: "2.4",
  name: "a ping of 126 bytes fails with 1002 (vector)",
  input: [sent("ping with 126-byte payload")],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "2.5",
  name: "an unsolicited pong is ignored",
  input: [pong("x"), bin("after")],
  out: [echo("after")],
});
add({
  id: "2.6",
  name: "a pong then a ping: only the ping is answered",
  input: [pong("a"), ping("b")],
  out: ["pong:62"],
});
add({
  id: "2.7",
  name: "a ping without FIN fails with 1002 (vector)",
  input: [sent("ping without FIN")],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "2.8",
  name: "ten pings get ten pongs, in order",
  input: Array.from({ length: 10 }, (_, i) => ping(`p${i}`)),
  out: Array.from({ length: 10 }, (_, i) => `pong:${h(`p${i}`)}`),
});
add({
  id: "2.9",
  name: "a pong of 126 bytes fails with 1002",
  input: [pong(bytes(126))],
  out: ["close:1002"],
  close: 1002,
});

// 3. Reserved bits.
for (const rsv of [1, 2, 3, 4, 5, 6, 7]) {
  add({
    id: `3.${rsv}`,
    name: `RSV bits ${
      rsv.toString(2).padStart(3, "0")
    } on a binary frame fail with 1002 and deliver nothing`,
    input: [bin("x"), bin("bad", { rsv }), bin("late")],
    out: [echo("x"), "close:1002"],
    close: 1002,
  });
}
add({
  id: "3.8",
  name: "RSV1 on a binary frame fails with 1002 (vector)",
  input: [sent("RSV1 set on a binary frame")],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "3.9",
  name: "RSV bits on a ping fail with 1002 and get no pong",
  input: [ping("x", { rsv: 2 })],
  out: ["close:1002"],
  close: 1002,
});

// 4. Opcodes.
for (const op of [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
  add({
    id: `4.${op}`,
    name: `reserved opcode ${op} fails with 1002`,
    input: [bin("x"), clientFrame(op, "?"), ping("late")],
    out: [echo("x"), "close:1002"],
    close: 1002,
  });
}
add({
  id: "4.16",
  name: "reserved opcode 3 fails with 1002 (vector)",
  input: [sent("reserved opcode 3")],
  out: ["close:1002"],
  close: 1002,
});

// 5. Fragmentation.
add({
  id: "5.1",
  name: "a fragmented ping fails with 1002",
  input: [ping("a", { fin: false }), cont("b")],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "5.2",
  name: "a fragmented pong fails with 1002",
  input: [pong("a", { fin: false }), cont("b")],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "5.3",
  name: "a binary message in two fragments is delivered joined (vector)",
  input: [sent("binary message in two fragments")],
  out: ["binary:41120a00667261676d656e74656403000000"],
});
add({
  id: "5.4",
  name: "a ping between fragments is answered first (vector)",
  input: [sent("binary message in two fragments with a ping between them")],
  out: ["pong:70", "binary:41120a00667261676d656e74656403000000"],
  outHex: "8a0170821241120a00667261676d656e74656403000000",
});
add({
  id: "5.5",
  name: "a message in nine 1-byte fragments with pings and pongs between is delivered joined",
  input: [
    bin("1", { fin: false }),
    ...Array.from(
      { length: 7 },
      (_, i) => [ping(`${i}`), pong("z"), cont(`${i + 2}`, { fin: false })],
    ).flat(),
    cont("9"),
  ],
  out: [...Array.from({ length: 7 }, (_, i) => `pong:${h(`${i}`)}`), echo("123456789")],
});
add({
  id: "5.6",
  name: "a continuation without a message start fails with 1002 (vector)",
  input: [sent("continuation frame without a message start")],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "5.7",
  name: "a final continuation after a complete message fails with 1002",
  input: [bin("a"), cont("b")],
  out: [echo("a"), "close:1002"],
  close: 1002,
});
add({
  id: "5.8",
  name: "a new binary frame inside a fragmented message fails with 1002",
  input: [bin("a", { fin: false }), bin("b")],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "5.9",
  name: "a new text frame inside a fragmented message fails with 1002",
  input: [bin("a", { fin: false }), txt("b")],
  text: true,
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "5.10",
  name: "empty fragments around data are legal",
  input: [bin("", { fin: false }), cont("ab", { fin: false }), cont("", { fin: false }), cont("")],
  out: [echo("ab")],
});
add({
  id: "5.11",
  name: "a message of only empty fragments is an empty message",
  input: [bin("", { fin: false }), cont("")],
  out: [echo("")],
});
add({
  id: "5.12",
  name: "large fragments (3 x 70000 bytes) are joined",
  input: [
    bin(bytes(70000, 1), { fin: false }),
    cont(bytes(70000, 2), { fin: false }),
    cont(bytes(70000, 3)),
  ],
  out: [echo(concat(bytes(70000, 1), bytes(70000, 2), bytes(70000, 3)))],
});
add({
  id: "5.13",
  name: "a close frame without FIN fails with 1002",
  input: [close(closeBody(1000), { fin: false })],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "5.14",
  name: "a text message fragmented like a Go connector (4096 + 2) is joined",
  input: [txt("a".repeat(4096), { fin: false }), cont("bc")],
  text: true,
  out: [echo(`${"a".repeat(4096)}bc`)],
});

// 6. UTF-8 in text messages.
const utf8Valid = "Hello-µ@ßöäüàá-UTF-8!! κόσμε 😀 \u{10ffff}";
add({
  id: "6.1",
  name: "valid UTF-8 with 2-, 3- and 4-byte characters is delivered",
  input: [txt(utf8Valid)],
  text: true,
  out: [echo(utf8Valid)],
});
{
  const b = te.encode(utf8Valid);
  for (const cut of [7, 8, 9, 33, 34, 35, 36]) {
    add({
      id: `6.2.${cut}`,
      name: `valid UTF-8 cut into fragments at byte ${cut} (inside a character) is delivered`,
      input: [txt(b.slice(0, cut), { fin: false }), cont(b.slice(cut))],
      text: true,
      out: [echo(b)],
    });
  }
}
const badUtf8: [string, string][] = [
  ["fffe", "bytes ff fe (vector input)"],
  ["c080", "an overlong NUL (c0 80)"],
  ["c1bf", "an overlong 2-byte form (c1 bf)"],
  ["e08080", "an overlong 3-byte form (e0 80 80)"],
  ["f0808080", "an overlong 4-byte form (f0 80 80 80)"],
  ["eda080", "the surrogate U+D800 (ed a0 80)"],
  ["edbfbf", "the surrogate U+DFFF (ed bf bf)"],
  ["f4908080", "U+110000, above the Unicode range (f4 90 80 80)"],
  ["f5808080", "a lead byte f5"],
  ["80", "a lone continuation byte"],
  ["ce", "a character cut off at the end of the message"],
  ["f09f98", "a 4-byte character missing its last byte"],
  ["48656c6c6fe0", "text ending in a 3-byte lead"],
];
for (const [bad, what] of badUtf8) {
  add({
    id: `6.3.${bad}`,
    name: `text with ${what} fails with 1007`,
    input: [txt(hex(bad))],
    text: true,
    out: ["close:1007"],
    close: 1007,
  });
}
add({
  id: "6.4.1",
  name: "invalid UTF-8 in the first fragment fails at once, before the rest arrives",
  input: [txt(hex("cebae1bdb9cebcceb5eda080"), { fin: false })],
  text: true,
  out: ["close:1007"],
  close: 1007,
});
add({
  id: "6.4.2",
  name: "a surrogate split across fragments (ed | a0 80) fails with 1007",
  input: [txt(hex("41ed"), { fin: false }), cont(hex("a080"))],
  text: true,
  out: ["close:1007"],
  close: 1007,
});
add({
  id: "6.4.3",
  name: "an overlong form split across fragments (e0 | 80 80) fails with 1007",
  input: [txt(hex("e0"), { fin: false }), cont(hex("8080"))],
  text: true,
  out: ["close:1007"],
  close: 1007,
});
add({
  id: "6.4.4",
  name: "a character cut by the final fragment fails with 1007",
  input: [txt(hex("41"), { fin: false }), cont(hex("e282"))],
  text: true,
  out: ["close:1007"],
  close: 1007,
});
add({
  id: "6.5",
  name: "binary messages are not UTF-8 checked",
  input: [bin(hex("fffeeda080"))],
  out: ["binary:fffeeda080"],
});
add({
  id: "6.6",
  name: "text is refused with 1003 by default (gorilla delivers it; vector input)",
  input: [sent('text frame "{}" (2 bytes), then a binary TestEchoACK')],
  out: ["close:1003"],
  close: 1003,
});

// 7. Close codes and reasons.
add({
  id: "7.1.1",
  name: "close 1000 'bye' is answered with the code only (vector)",
  input: [sent("client sends close 1000 'bye'")],
  out: ["close:1000"],
  outHex: "880203e8",
  close: 1000,
});
add({
  id: "7.1.2",
  name: "an empty close is answered with an empty close (vector)",
  input: [sent("close frame without payload")],
  out: ["close:1005"],
  outHex: "8800",
  close: 1005,
});
add({
  id: "7.1.3",
  name: "close 1001 'going away' is answered with 1001 (vector)",
  input: [sent("close frame with code 1001 and reason 'going away'")],
  out: ["close:1001"],
  outHex: "880203e9",
  close: 1001,
});
add({
  id: "7.1.4",
  name: "a message before a close is delivered, one after it is not",
  input: [bin("before"), close(closeBody(1000)), bin("after"), ping("late")],
  out: [echo("before"), "close:1000"],
  close: 1000,
});
add({
  id: "7.3.1",
  name: "a 1-byte close payload fails with 1002",
  input: [close(hex("03"))],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "7.3.2",
  name: "a close reason of 123 bytes is accepted",
  input: [close(closeBody(1000, "r".repeat(123)))],
  out: ["close:1000"],
  close: 1000,
});
add({
  id: "7.3.3",
  name: "a close payload of 126 bytes fails with 1002",
  input: [close(closeBody(1000, "r".repeat(124)))],
  out: ["close:1002"],
  close: 1002,
});
add({
  id: "7.5.1",
  name: "a close reason that is not UTF-8 fails with 1007",
  input: [close(closeBody(1000, hex("ceba" + "eda080")))],
  out: ["close:1007"],
  close: 1007,
});
for (
  const code of [
    1000,
    1001,
    1002,
    1003,
    1007,
    1008,
    1009,
    1010,
    1011,
    1012,
    1013,
    1014,
    3000,
    3999,
    4000,
    4999,
  ]
) {
  add({
    id: `7.7.${code}`,
    name: `close code ${code} is valid and echoed`,
    input: [close(closeBody(code, "x"))],
    out: [`close:${code}`],
    close: code,
  });
}
for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]) {
  add({
    id: `7.9.${code}`,
    name: `close code ${code} is invalid and fails with 1002`,
    input: [close(closeBody(code))],
    out: ["close:1002"],
    close: 1002,
  });
}
add({
  id: "7.9.vector",
  name: "close code 1005 on the wire fails with 1002 (vector)",
  input: [sent("close frame with invalid code 1005")],
  out: ["close:1002"],
  close: 1002,
});

// 9. Limits.
add({
  id: "9.1",
  name: "a message of exactly maxPacketSize is delivered",
  maxPacketSize: 1000,
  input: [bin(bytes(1000))],
  out: [echo(bytes(1000))],
});
add({
  id: "9.2",
  name: "a frame header announcing maxPacketSize + 1 fails with 1009 before its payload",
  maxPacketSize: 1000,
  input: [bin(bytes(1001)).subarray(0, 8)],
  out: ["close:1009"],
  close: 1009,
});
add({
  id: "9.3",
  name: "a 64-bit length of 2^40 fails with 1009 from the header alone",
  input: [bin("", { length64: 1n << 40n })],
  out: ["close:1009"],
  close: 1009,
});
add({
  id: "9.4",
  name: "fragments adding up past maxPacketSize fail with 1009",
  maxPacketSize: 1000,
  input: [bin(bytes(600), { fin: false }), cont(bytes(401))],
  out: ["close:1009"],
  close: 1009,
});
add({
  id: "9.5",
  name: "fragments adding up to exactly maxPacketSize are delivered",
  maxPacketSize: 1000,
  input: [bin(bytes(600, 1), { fin: false }), cont(bytes(400, 2))],
  out: [echo(concat(bytes(600, 1), bytes(400, 2)))],
});
add({
  id: "9.6",
  name: "a message in maxFragments frames is delivered",
  maxFragments: 4,
  input: [
    bin("a", { fin: false }),
    cont("b", { fin: false }),
    cont("c", { fin: false }),
    cont("d"),
  ],
  out: [echo("abcd")],
});
add({
  id: "9.7",
  name: "a message in maxFragments + 1 frames fails with 1008",
  maxFragments: 4,
  input: [
    bin("a", { fin: false }),
    cont("b", { fin: false }),
    cont("c", { fin: false }),
    cont("d", { fin: false }),
    cont("e"),
  ],
  out: ["close:1008"],
  close: 1008,
});
add({
  id: "9.8",
  name: "the fragment count starts over with each message",
  maxFragments: 2,
  input: [bin("a", { fin: false }), cont("b"), bin("c", { fin: false }), cont("d")],
  out: [echo("ab"), echo("cd")],
});
add({
  id: "9.9",
  name: "an unmasked client frame fails with 1002 (vector)",
  input: [sent("unmasked client frame")],
  out: ["close:1002"],
  close: 1002,
});

/** The frames a server wrote, as the table writes them. */
function describe(out: Uint8Array): string[] {
  return decodeFrames(out).map((f) => {
    assert.equal(f.masked, false, "server frames are never masked");
    assert.equal(f.fin, true, "server frames are whole messages");
    const name =
      ({ 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong" } as Record<number, string>)[
        f.opcode
      ];
    return f.opcode === 8 ? `close:${closeCodeOf(f.payload)}` : `${name}:${toHex(f.payload)}`;
  });
}

/** Cut `stream` into chunks: whole, byte by byte, or at seeded random points. */
function chunks(stream: Uint8Array, how: "whole" | "bytes" | "random", seed: number): Uint8Array[] {
  if (how === "whole") return [stream];
  if (how === "bytes" && stream.length <= 5000) {
    return Array.from(stream, (b) => new Uint8Array([b]));
  }
  const r = prng(seed);
  const out: Uint8Array[] = [];
  for (let p = 0; p < stream.length;) {
    const n = 1 + Math.floor(r() * (how === "bytes" ? 7 : 40));
    out.push(stream.subarray(p, p + n));
    p += n;
  }
  return out;
}

async function runCase(c: Case, how: "whole" | "bytes" | "random"): Promise<void> {
  const mem = new MemoryConnection();
  const ws = new WSConnection(mem, {
    role: "server",
    text: c.text ? "deliver" : "refuse",
    maxPacketSize: c.maxPacketSize,
    maxFragments: c.maxFragments,
  });
  const rec = new WsRecorder();
  rec.onMessage = (m) => ws.write(m);
  ws.setHandler(rec);
  await microtasks();
  for (const chunk of chunks(concat(...c.input), how, c.id.length * 7919)) {
    if (mem.state !== "open") break;
    mem.feed(chunk);
  }
  assert.deepEqual(describe(concat(...mem.writes)), c.out);
  if (c.outHex !== undefined) assert.equal(mem.outHex, c.outHex);
  assert.equal(ws.closeCodeSent, c.close);
  if (c.close === undefined) {
    assert.equal(mem.state, "open");
    ws.close(false);
  } else {
    assert.equal(mem.state, "ended", "TCP is ended gracefully after the close frame");
  }
  const error = await rec.closed;
  assert.equal(rec.closes, 1);
  if (c.close !== undefined && c.close !== 1000 && c.close !== 1001 && c.close !== 1005) {
    // Our own verdicts carry the code we sent; a peer's error code is its report.
    if (ws.closeCodeReceived === c.close) {
      assert.ok(error instanceof WebSocketCloseError && error.code === c.close, String(error));
    } else {assert.ok(
        error instanceof WebSocketProtocolError && error.code === c.close,
        String(error),
      );}
  } else {
    assert.equal(error, undefined);
  }
}

for (const c of cases) {
  test(`ws ${c.id}: ${c.name}`, { timeout: 10_000 }, async () => {
    for (const how of ["whole", "bytes", "random"] as const) {
      await runCase(c, how).catch((err: Error) => {
        err.message = `[input ${how}] ${err.message}`;
        throw err;
      });
    }
  });
}
