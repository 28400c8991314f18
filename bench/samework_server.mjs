// The second baseline: a framed echo server on the runtime's own socket API
// (node:net, Deno.listen, Bun.listen) that does by hand the per-message work
// cellnet-ts does. For every complete tcp.ltv frame of a read it decodes the
// main.TestEchoACK body into an object ({ Msg, Value }, the string decoded
// from UTF-8), then encodes that object again as a framed reply; every reply
// of a read leaves in one write. What it leaves out is the framework: no
// registry, no events, no handler call, no session or outbox.
//
// Beside bench/raw_server.mjs (zero work: it hands the same bytes back) the
// two ratios separate the cost of the codec from the framework's overhead.
//
//   node bench/samework_server.mjs | deno run -A bench/samework_server.mjs | bun bench/samework_server.mjs
//   --strings buffer|web   how strings are decoded and encoded (default: each
//                          runtime's idiom: Buffer#toString / Buffer#write on
//                          Node and Bun, TextDecoder / TextEncoder.encodeInto on Deno)
//
// Prints "READY <echoPort> 0" (no broadcast server). Commands on stdin as
// for the other servers ("mem", "conns", "quit"; see _control.mjs).
import process from "node:process";
import { startControl } from "./_control.mjs";
import { ECHO_ID } from "./_frame.mjs";

const HOST = "127.0.0.1";
const runtime = typeof globalThis.Deno !== "undefined"
  ? "deno"
  : typeof globalThis.Bun !== "undefined"
  ? "bun"
  : "node";
const argv = process.argv.slice(2);
const si = argv.indexOf("--strings");
const STRINGS = si >= 0 ? argv[si + 1] : runtime === "deno" ? "web" : "buffer";
if (STRINGS !== "web" && STRINGS !== "buffer") {
  throw new Error(`--strings must be web or buffer, got ${STRINGS}`);
}

/** End of the last complete frame in buf[0..end). */
function completeEnd(buf, end) {
  let off = 0;
  while (end - off >= 2) {
    const len = buf[off] | (buf[off + 1] << 8);
    if (end - off - 2 < len) break;
    off += 2 + len;
  }
  return off;
}

/** Per-connection reassembly, as in raw_server.mjs: the complete frames (a view), the tail kept. */
class Framer {
  tail = null;
  take(chunk) {
    let buf = chunk;
    if (this.tail !== null) {
      buf = new Uint8Array(this.tail.length + chunk.length);
      buf.set(this.tail, 0);
      buf.set(chunk, this.tail.length);
      this.tail = null;
    }
    const end = completeEnd(buf, buf.length);
    if (end < buf.length) this.tail = buf.slice(end);
    return end === 0 ? null : buf.subarray(0, end);
  }
}

// ---- the strings, two ways ----
const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** Web APIs: a view per decoded string, encodeInto a view of the output. */
const web = {
  wrap: (u8) => u8,
  decode: (b, start, end) => decoder.decode(b.subarray(start, end)),
  /** Writes `s` at `at` (room for 3 bytes per UTF-16 unit is reserved); returns the byte count. */
  encode: (out, at, s) => encoder.encodeInto(s, out.subarray(at, at + 3 * s.length)).written,
  alloc: (n) => new Uint8Array(n),
};
/** Node's Buffer (also Bun's): decode and write straight from and into the buffer. */
const buffer = STRINGS !== "buffer" ? undefined : {
  wrap: (u8) => (Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)),
  decode: (b, start, end) => b.toString("utf8", start, end),
  encode: (out, at, s) => out.write(s, at, "utf8"),
  alloc: (n) => Buffer.allocUnsafe(n),
};
const S = STRINGS === "web" ? web : buffer;

/**
 * Decode every frame of `frames` into { Msg, Value } and encode the reply
 * into `out` (grown when needed); returns [out, bytes].
 */
function echoFrames(frames, out) {
  const b = S.wrap(frames);
  const end = b.length;
  let pos = 0;
  let off = 0;
  while (off < end) {
    const len = b[off] | (b[off + 1] << 8);
    const id = b[off + 2] | (b[off + 3] << 8);
    const body = off + 4;
    const next = off + 2 + len;
    off = next;
    if (id !== ECHO_ID || len < 2 + 6) continue;
    // Decode main.TestEchoACK { Msg string; Value int32 } (goobjfmt).
    const n = b[body] | (b[body + 1] << 8);
    if (body + 2 + n + 4 > next) continue;
    const p = body + 2 + n;
    const msg = {
      Msg: S.decode(b, body + 2, p),
      Value: b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24),
    };
    // Encode the reply: Length | MsgID | u16 len + Msg | int32 Value.
    const room = 4 + 2 + 3 * msg.Msg.length + 4;
    if (pos + room > out.length) {
      const bigger = S.alloc(Math.max(out.length * 2, pos + room));
      bigger.set(out.subarray(0, pos), 0);
      out = bigger;
    }
    const start = pos;
    out[start + 2] = ECHO_ID;
    out[start + 3] = ECHO_ID >>> 8;
    const w = S.encode(out, start + 6, msg.Msg);
    out[start + 4] = w;
    out[start + 5] = w >>> 8;
    let q = start + 6 + w;
    const v = msg.Value;
    out[q] = v;
    out[q + 1] = v >>> 8;
    out[q + 2] = v >>> 16;
    out[q + 3] = v >>> 24;
    q += 4;
    const length = q - start - 2;
    out[start] = length;
    out[start + 1] = length >>> 8;
    pos = q;
  }
  return [out, pos];
}

let conns = 0;

async function nodeServer() {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      conns++;
      socket.setNoDelay(true);
      const framer = new Framer();
      socket.on("data", (chunk) => {
        const frames = framer.take(chunk);
        if (frames === null) return;
        // Node keeps what it is given until sent: a fresh output per read.
        const [out, n] = echoFrames(frames, S.alloc(frames.length + 64));
        if (n > 0) socket.write(out.subarray(0, n));
      });
      socket.on("error", () => {});
      socket.on("close", () => conns--);
    });
    server.listen(0, HOST, () => resolve(server.address().port));
  });
}

function denoServer() {
  const READ = 64 * 1024;
  async function writeAll(conn, data) {
    let off = 0;
    while (off < data.length) off += await conn.write(data.subarray(off));
  }
  const listener = Deno.listen({ hostname: HOST, port: 0, transport: "tcp" });
  (async () => {
    for await (const conn of listener) {
      conns++;
      conn.setNoDelay(true);
      (async () => {
        const buf = new Uint8Array(READ);
        let out = S.alloc(READ);
        const framer = new Framer();
        try {
          for (;;) {
            const n = await conn.read(buf);
            if (n === null) break;
            const frames = framer.take(buf.subarray(0, n));
            if (frames === null) continue;
            const [o, len] = echoFrames(frames, out);
            out = o;
            // The output buffer is reused, so the write completes before the next read.
            if (len > 0) await writeAll(conn, out.subarray(0, len));
          }
        } catch {
          // reset by the client at the end of a run
        }
        conns--;
        try {
          conn.close();
        } catch { /* already closed */ }
      })();
    }
  })();
  return listener.addr.port;
}

function bunServer() {
  return Bun.listen({
    hostname: HOST,
    port: 0,
    socket: {
      binaryType: STRINGS === "buffer" ? "buffer" : "uint8array",
      open(socket) {
        conns++;
        socket.setNoDelay(true);
        socket.data = { framer: new Framer(), out: S.alloc(16 * 1024), pending: [] };
      },
      data(socket, chunk) {
        const st = socket.data;
        const frames = st.framer.take(chunk);
        if (frames === null) return;
        const [out, n] = echoFrames(frames, st.out);
        st.out = out;
        if (n === 0) return;
        const data = out.subarray(0, n);
        // Bun writes what the kernel takes; the rest is copied and waits for drain.
        if (st.pending.length > 0) {
          st.pending.push(data.slice());
          return;
        }
        const w = socket.write(data);
        if (w < data.length && w >= 0) st.pending.push(data.slice(w));
      },
      drain(socket) {
        const st = socket.data;
        while (st.pending.length > 0) {
          const head = st.pending[0];
          const n = socket.write(head);
          if (n < head.length) {
            if (n > 0) st.pending[0] = head.subarray(n);
            return;
          }
          st.pending.shift();
        }
      },
      close() {
        conns--;
      },
      error() {},
    },
  }).port;
}

const port = runtime === "deno"
  ? denoServer()
  : runtime === "bun"
  ? bunServer()
  : await nodeServer();
startControl(() => conns);
console.log(`READY ${port} 0`);
