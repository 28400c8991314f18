// The one WebSocket load client every WebSocket server is measured with
// (Node, node:net, RFC 6455 framing by hand). After the opening handshake it
// sends pre-encoded masked binary frames carrying the 34-byte gorillaws.ltv
// payload of main.TestEchoACK (MsgID + body: the TCP bench frame without
// its Length) and counts the 36-byte unmasked frames that come back; it
// neither decodes nor allocates per message, so it stays out of the way.
//
//   node bench/ws_load_client.mjs --port P --workloads A,B,C --warmup ms --duration ms
//   node bench/ws_load_client.mjs --port P --connect N      (memory test: N idle WebSockets)
//
// Prints one JSON line per workload. Every loop is bounded by time; a
// workload that gets no reply for 5 s is reported as failed.
import net from "node:net";
import process from "node:process";
import { encodeFrame, FRAME_SIZE } from "./_frame.mjs";

const args = parseArgs(process.argv.slice(2));
const HOST = "127.0.0.1";
const PATH = "/echo";
const STALL_MS = 5000;
/** The gorillaws.ltv payload: the tcp.ltv frame without its 2-byte Length. */
const PAYLOAD = encodeFrame().subarray(2);
const PAYLOAD_SIZE = FRAME_SIZE - 2;
/** What a server sends back per message: FIN|binary, length, payload (no mask). */
const IN_SIZE = 2 + PAYLOAD_SIZE;
/** A fixed mask key: every server unmasks the same bytes (RFC 6455 wants random; speed is the point here). */
const MASK = [0x37, 0xfa, 0x21, 0x3d];
const OUT = clientFrame();
const OUT_SIZE = OUT.length;
const EXPECTED = Buffer.concat([Buffer.from([0x82, PAYLOAD_SIZE]), Buffer.from(PAYLOAD)]);

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) o[a.slice(2)] = true;
      else o[a.slice(2)] = argv[++i];
    }
  }
  return o;
}

/** One masked client frame with the payload (40 bytes). */
function clientFrame() {
  const f = Buffer.alloc(2 + 4 + PAYLOAD_SIZE);
  f[0] = 0x82;
  f[1] = 0x80 | PAYLOAD_SIZE;
  f.set(MASK, 2);
  for (let i = 0; i < PAYLOAD_SIZE; i++) f[6 + i] = PAYLOAD[i] ^ MASK[i & 3];
  return f;
}

function frames(n) {
  const b = Buffer.alloc(n * OUT_SIZE);
  for (let i = 0; i < n; i++) b.set(OUT, i * OUT_SIZE);
  return b;
}

/** Dial and upgrade; resolves with the socket and the bytes that followed the 101 head. */
function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: HOST, port });
    s.setNoDelay(true);
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error("handshake timed out")), STALL_MS);
    const fail = (e) => {
      clearTimeout(timer);
      s.destroy();
      reject(e);
    };
    const onData = (d) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      clearTimeout(timer);
      s.off("data", onData);
      s.off("error", fail);
      s.on("error", () => {});
      const status = head.subarray(0, head.indexOf("\r\n")).toString();
      if (!status.startsWith("HTTP/1.1 101")) {
        return fail(new Error(`handshake refused: ${status}`));
      }
      s.pause();
      resolve({ socket: s, rest: head.subarray(end + 4) });
    };
    s.once("connect", () => {
      s.write(
        `GET ${PATH} HTTP/1.1\r\nHost: ${HOST}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      );
    });
    s.on("data", onData);
    s.once("error", fail);
  });
}

/** Start counting whole echo frames on `c` (with what followed the head); `onFrames(n)` per read. */
function onFrames(c, cb) {
  let rem = c.rest.length;
  c.socket.on("data", (chunk) => {
    const total = rem + chunk.length;
    const n = (total / IN_SIZE) | 0;
    rem = total - n * IN_SIZE;
    cb(n);
  });
  c.socket.resume();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Keep `window` messages in flight on each connection; returns messages received per second. */
async function windowed(conns, window, warmup, duration) {
  const refill = frames(window);
  let received = 0;
  let lastProgress = Date.now();
  let stopped = false;
  for (const c of conns) {
    onFrames(c, (n) => {
      received += n;
      if (n > 0) lastProgress = Date.now();
      // One write for every message completed in this read: the window stays full.
      if (n > 0 && !stopped) c.socket.write(refill.subarray(0, n * OUT_SIZE));
    });
  }
  for (const c of conns) c.socket.write(refill);
  await sleep(warmup);
  const r0 = received;
  const t0 = performance.now();
  const end = t0 + duration;
  while (performance.now() < end) {
    await sleep(Math.min(100, end - performance.now()));
    if (Date.now() - lastProgress > STALL_MS) break;
  }
  const r1 = received;
  const t1 = performance.now();
  stopped = true;
  for (const c of conns) c.socket.destroy();
  if (r1 === r0) throw new Error("no messages came back");
  return { rate: ((r1 - r0) * 1000) / (t1 - t0), frames: r1 - r0, seconds: (t1 - t0) / 1000 };
}

/** One message in flight; every round trip timed. */
async function pingPong(c, warmup, duration) {
  const MAX = 4_000_000;
  const lat = new Float64Array(MAX);
  let count = 0;
  let measuring = false;
  let stopped = false;
  let sentAt = 0;
  let total = 0;
  onFrames(c, (n) => {
    if (n === 0) return;
    const now = performance.now();
    total += n;
    if (measuring && count < MAX) lat[count++] = now - sentAt;
    if (!stopped) {
      sentAt = performance.now();
      c.socket.write(OUT);
    }
  });
  sentAt = performance.now();
  c.socket.write(OUT);
  await sleep(warmup);
  measuring = true;
  const c0 = total;
  const t0 = performance.now();
  const end = t0 + duration;
  while (performance.now() < end) {
    await sleep(Math.min(100, end - performance.now()));
    if (total === c0 && performance.now() - t0 > STALL_MS) break;
  }
  const c1 = total;
  const t1 = performance.now();
  measuring = false;
  stopped = true;
  c.socket.destroy();
  if (c1 === c0) throw new Error("no messages came back");
  const sorted = lat.subarray(0, count).sort();
  const pct = (p) => sorted[Math.min(count - 1, Math.floor(p * count))] * 1000;
  return {
    rate: ((c1 - c0) * 1000) / (t1 - t0),
    p50us: pct(0.5),
    p99us: pct(0.99),
    frames: c1 - c0,
  };
}

/** Send one message and check the frame that comes back byte for byte. */
async function verify(port) {
  const c = await connect(port);
  const got = await new Promise((resolve, reject) => {
    let buf = c.rest;
    const timer = setTimeout(() => reject(new Error("no echo within 5 s")), STALL_MS);
    const check = () => {
      if (buf.length < IN_SIZE) return;
      clearTimeout(timer);
      resolve(buf);
    };
    c.socket.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      check();
    });
    c.socket.on("close", () => reject(new Error("server closed the connection")));
    c.socket.resume();
    c.socket.write(OUT);
    check();
  });
  c.socket.destroy();
  if (!EXPECTED.equals(got.subarray(0, IN_SIZE)) || got.length !== IN_SIZE) {
    throw new Error(
      `echo mismatch: expected ${EXPECTED.toString("hex")}, got ${got.toString("hex")}`,
    );
  }
}

async function connectMany(port, n) {
  const conns = [];
  // A few hundred handshakes at a time: the accept backlog is finite.
  const BATCH = 200;
  for (let i = 0; i < n; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) batch.push(connect(port));
    conns.push(...(await Promise.all(batch)));
  }
  return conns;
}

async function main() {
  const port = Number(args.port);
  const warmup = Number(args.warmup ?? 1000);
  const duration = Number(args.duration ?? 3000);
  if (args.connect) {
    const conns = await connectMany(port, Number(args.connect));
    for (const c of conns) {
      c.socket.on("close", () => {});
      c.socket.resume();
    }
    console.log(JSON.stringify({ connected: conns.length }));
    // Held open until the orchestrator closes our stdin (or a hard bound passes).
    await new Promise((r) => {
      process.stdin.on("end", r);
      process.stdin.on("error", r);
      process.stdin.resume();
      setTimeout(r, 120_000);
    });
    for (const c of conns) c.socket.destroy();
    return;
  }
  const workloads = String(args.workloads ?? "A,B,C").split(",");
  await verify(port);
  for (const w of workloads) {
    let result;
    try {
      switch (w) {
        case "A":
          result = await pingPong(await connect(port), warmup, duration);
          break;
        case "B":
          result = await windowed([await connect(port)], 256, warmup, duration);
          break;
        case "C":
          result = await windowed(await connectMany(port, 16), 64, warmup, duration);
          break;
        default:
          throw new Error(`unknown workload ${w}`);
      }
    } catch (e) {
      result = { error: String(e?.message ?? e) };
    }
    console.log(JSON.stringify({ workload: w, ...result }));
    // Let the server see the closes before the next workload starts.
    await sleep(100);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.log(JSON.stringify({ error: String(e?.message ?? e) }));
    process.exit(1);
  },
);
