/**
 * Seeded fuzz of the WebSocket frame parser: random frame streams (messages
 * fragmented at random, control frames between fragments, every length
 * encoding, text and binary, close frames), half of them mutated (bit flips,
 * bytes set, inserted or cut, huge lengths, truncation), fed in random
 * chunks. Each outcome (messages, pongs owed, the close) is compared with an
 * independent whole-buffer model of RFC 6455 whose UTF-8 check is the
 * platform's fatal TextDecoder; the parser must never throw and never hold
 * more than maxPacketSize plus a header and a control payload.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FrameParser, type FrameSink } from "../src/transport/ws/_frame_parser.ts";
import { prng } from "./_reliability.ts";
import { clientFrame, concat, toHex } from "./_ws.ts";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
/** Hex of a message; long ones by length and a checksum, to keep comparisons cheap. */
function hexOf(b: Uint8Array): string {
  if (b.length <= 256) {
    let s = "";
    for (let i = 0; i < b.length; i++) s += HEX[b[i]];
    return s;
  }
  let h = 2166136261;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619);
  return `${b.length}#${(h >>> 0).toString(16)}`;
}

interface Config {
  role: "server" | "client";
  maxPacketSize: number;
  maxFragments: number;
  allowText: boolean;
}

/** What a stream did: messages ("t:" or "b:" + hex), pongs owed ("p:" + hex), then how it ended. */
type Outcome = string[];

const VALID_CODES = (c: number) =>
  (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);

/** The model: RFC 6455 applied to the whole stream at once, in the parser's order of checks. */
function model(s: Uint8Array, cfg: Config): Outcome {
  const out: Outcome = [];
  const fail = (code: number) => (out.push(`fail:${code}`), out);
  let p = 0;
  let msg:
    | { op: number; parts: Uint8Array[]; size: number; frags: number; dec?: TextDecoder }
    | undefined;
  for (;;) {
    if (s.length - p < 2) return out;
    const b0 = s[p];
    const b1 = s[p + 1];
    const len7 = b1 & 0x7f;
    const masked = (b1 & 0x80) !== 0;
    const hsize = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (masked ? 4 : 0);
    if (s.length - p < hsize) return out;
    let len = BigInt(len7);
    if (len7 === 126) len = BigInt((s[p + 2] << 8) | s[p + 3]);
    if (len7 === 127) len = new DataView(s.buffer, s.byteOffset + p + 2, 8).getBigUint64(0);
    const fin = (b0 & 0x80) !== 0;
    const op = b0 & 0x0f;
    if (len7 === 127 && len >= 1n << 63n) return fail(1002);
    if ((b0 & 0x70) !== 0) return fail(1002);
    if (masked !== (cfg.role === "server")) return fail(1002);
    if (op >= 8) {
      if (op > 10 || !fin || len > 125n) return fail(1002);
    } else if (op === 0) {
      if (!msg) return fail(1002);
    } else if (op === 1 || op === 2) {
      if (msg) return fail(1002);
      if (op === 1 && !cfg.allowText) return fail(1003);
    } else return fail(1002);
    if (op < 8) {
      const have = msg ? msg.size : 0;
      if (len > BigInt(cfg.maxPacketSize - have)) return fail(1009);
      if ((msg ? msg.frags : 0) + 1 > cfg.maxFragments) return fail(1008);
      if (!msg) {
        msg = {
          op,
          parts: [],
          size: 0,
          frags: 0,
          dec: op === 1 ? new TextDecoder("utf-8", { fatal: true }) : undefined,
        };
      }
      msg.frags++;
    }
    const n = Number(len);
    const start = p + hsize;
    const avail = Math.min(n, s.length - start);
    const payload = s.slice(start, start + avail);
    if (masked) { for (let i = 0; i < avail; i++) payload[i] ^= s[p + hsize - 4 + (i & 3)]; }
    if (op < 8 && msg!.dec) {
      try {
        msg!.dec.decode(payload, { stream: true });
      } catch {
        return fail(1007);
      }
    }
    if (avail < n) return out;
    p = start + n;
    if (op === 9) out.push(`p:${toHex(payload)}`);
    else if (op === 8) {
      if (n === 0) return (out.push("close:1005"), out);
      if (n === 1) return fail(1002);
      const code = (payload[0] << 8) | payload[1];
      if (!VALID_CODES(code)) return fail(1002);
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(payload.subarray(2));
      } catch {
        return fail(1007);
      }
      return (out.push(`close:${code}`), out);
    } else if (op < 8) {
      msg!.parts.push(payload);
      msg!.size += payload.length;
      if (fin) {
        if (msg!.dec) {
          try {
            msg!.dec.decode();
          } catch {
            return fail(1007);
          }
        }
        out.push(`${msg!.op === 1 ? "t" : "b"}:${hexOf(concat(...msg!.parts))}`);
        msg = undefined;
      }
    }
  }
}

/** Run the real parser over `stream` cut into random chunks. */
function parse(
  stream: Uint8Array,
  cfg: Config,
  r: () => number,
): { out: Outcome; maxHeld: number } {
  const out: Outcome = [];
  const sink: FrameSink = {
    onMessage: (d, text) => out.push(`${text ? "t" : "b"}:${hexOf(d)}`),
    onPing: (d) => out.push(`p:${toHex(d)}`),
    onPong: () => {},
    onCloseFrame: (code) => out.push(`close:${code}`),
    onProtocolError: (code) => out.push(`fail:${code}`),
  };
  const parser = new FrameParser(sink, cfg);
  const copy = stream.slice();
  let maxHeld = 0;
  for (let p = 0; p < copy.length && !parser.done;) {
    const n = 1 + Math.floor(r() ** 3 * 300);
    parser.push(copy.subarray(p, p + n));
    maxHeld = Math.max(maxHeld, parser.bufferedBytes);
    p += n;
  }
  return { out, maxHeld };
}

const TEXT_POOL = ["a", "Z", " ", "µ", "ß", "κ", "€", "中", "😀", "\u{10ffff}", "\u07ff", "\uffff"];
const TEXT_BYTES = TEXT_POOL.map((c) => new TextEncoder().encode(c).length);
/** At least `n` bytes of valid UTF-8 mixing 1- to 4-byte characters. */
function randomText(r: () => number, n: number): Uint8Array {
  const parts: string[] = [];
  for (let bytes = 0; bytes < n;) {
    const k = Math.floor(r() * TEXT_POOL.length);
    parts.push(TEXT_POOL[k]);
    bytes += TEXT_BYTES[k];
  }
  return new TextEncoder().encode(parts.join(""));
}

function randomBytes(r: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (r() * 256) | 0;
  return b;
}

/** A valid stream for `cfg`, from messages, control frames and maybe a close. */
function generate(r: () => number, cfg: Config): Uint8Array {
  const frames: Uint8Array[] = [];
  const mask = () => (cfg.role === "server" ? randomBytes(r, 4) : null);
  const enc = () => (["7", "16", "64", undefined] as const)[Math.floor(r() * 4)];
  const frame = (op: number, payload: Uint8Array, fin = true) => {
    let length = enc();
    if (length === "7" && payload.length > 125) length = undefined;
    if (length === "16" && payload.length > 65535) length = undefined;
    frames.push(clientFrame(op, payload, { fin, mask: mask(), length }));
  };
  const control = () => {
    const p = randomBytes(r, Math.floor(r() ** 2 * 126));
    frame(r() < 0.5 ? 0x9 : 0xa, p);
  };
  const count = 1 + Math.floor(r() * 12);
  for (let i = 0; i < count; i++) {
    if (r() < 0.25) {
      control();
      continue;
    }
    const text = cfg.allowText && r() < 0.4;
    const size = r() < 0.05 ? 60_000 + Math.floor(r() * 20_000) : Math.floor(r() ** 2 * 600);
    const body = text ? randomText(r, size) : randomBytes(r, size);
    const parts = 1 + Math.floor(r() ** 2 * 5);
    let at = 0;
    for (let k = 0; k < parts; k++) {
      const end = k === parts - 1
        ? body.length
        : Math.min(body.length, at + Math.floor(r() * (body.length - at + 1)));
      frame(k === 0 ? (text ? 1 : 2) : 0, body.subarray(at, end), k === parts - 1);
      at = end;
      if (r() < 0.2) control();
    }
  }
  if (r() < 0.3) {
    const codes = [1000, 1001, 1003, 1011, 3000, 4999, 1004, 1005, 999];
    const code = codes[Math.floor(r() * codes.length)];
    frame(
      0x8,
      r() < 0.2 ? new Uint8Array(0) : Uint8Array.of(code >> 8, code & 0xff, 0x62, 0x79, 0x65),
    );
  }
  const total = frames.reduce((n, f) => n + f.length, 0);
  const out = new Uint8Array(total);
  let p = 0;
  for (const f of frames) {
    out.set(f, p);
    p += f.length;
  }
  return out;
}

/** Damage a stream: flips, set bytes, inserts, cuts, huge lengths, a bad UTF-8 byte, truncation. */
function mutate(r: () => number, s: Uint8Array): Uint8Array {
  let b: Uint8Array = s.slice();
  const times = 1 + Math.floor(r() * 4);
  for (let t = 0; t < times && b.length > 0; t++) {
    const at = Math.floor(r() * b.length);
    switch (Math.floor(r() * 7)) {
      case 0:
        b[at] ^= 1 << Math.floor(r() * 8);
        break;
      case 1:
        b[at] = Math.floor(r() * 256);
        break;
      case 2:
        b = concat(b.subarray(0, at), randomBytes(r, 1 + Math.floor(r() * 20)), b.subarray(at));
        break;
      case 3:
        b = concat(b.subarray(0, at), b.subarray(at + 1 + Math.floor(r() * 20)));
        break;
      case 4:
        b = b.slice(0, at);
        break;
      case 5: {
        const len = [0, 0, 0, 1, 0, 0, 0, 0].map((x) => (r() < 0.3 ? 0xff : x));
        b = concat(
          b.subarray(0, at),
          Uint8Array.of(0x82, 0xff, ...len, 1, 2, 3, 4),
          b.subarray(at),
        );
        break;
      }
      case 6:
        b[at] = [0xc0, 0xed, 0xf4, 0xf5, 0xff, 0x80][Math.floor(r() * 6)];
        break;
    }
  }
  return b;
}

for (const seed of [6455, 20260202]) {
  test(
    `fuzz (seed ${seed}): the frame parser matches the RFC 6455 model on random and mutated streams, never throws, holds at most maxPacketSize + 139 bytes`,
    { timeout: 120_000 },
    () => {
      const r = prng(seed);
      const seen: Record<string, number> = {};
      for (let i = 0; i < 2500; i++) {
        const cfg: Config = {
          role: r() < 0.8 ? "server" : "client",
          maxPacketSize: [300, 5000, 100_000][Math.floor(r() * 3)],
          maxFragments: [2, 6, 1024, 1024][Math.floor(r() * 4)],
          allowText: r() < 0.7,
        };
        const valid = generate(r, cfg);
        const stream = r() < 0.5 ? valid : mutate(r, valid);
        const expected = model(stream, cfg);
        const got = parse(stream, cfg, r);
        const where = `case ${i} (seed ${seed}) ${JSON.stringify(cfg)}`;
        assert.deepEqual(got.out, expected, where);
        assert.ok(got.maxHeld <= cfg.maxPacketSize + 14 + 125, `${where}: held ${got.maxHeld}`);
        const last = expected[expected.length - 1] ?? "open";
        const kind = /^(fail|close):/.test(last) ? last : "open";
        seen[kind] = (seen[kind] ?? 0) + 1;
      }
      for (
        const k of [
          "fail:1002",
          "fail:1007",
          "fail:1008",
          "fail:1009",
          "close:1000",
          "close:1005",
          "open",
        ]
      ) {
        assert.ok((seen[k] ?? 0) > 0, `outcome ${k} never happened: ${JSON.stringify(seen)}`);
      }
    },
  );
}
