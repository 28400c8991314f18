// The baseline for the client side: the same workloads as cellnet_client.ts
// (A ping-pong, B 256 in flight on one connection) written directly on the
// runtime's socket API, sending pre-encoded frames and counting frames back.
//
//   node bench/raw_client.mjs --port P --workloads A,B --warmup ms --duration ms
//   deno run -A bench/raw_client.mjs ...   |   bun bench/raw_client.mjs ...
import process from "node:process";
import { encodeFrame, FRAME_SIZE } from "./_frame.mjs";

const runtime = typeof globalThis.Deno !== "undefined"
  ? "deno"
  : typeof globalThis.Bun !== "undefined"
  ? "bun"
  : "node";
const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const HOST = "127.0.0.1";
const port = Number(arg("port", "0"));
const warmup = Number(arg("warmup", "1000"));
const duration = Number(arg("duration", "3000"));
const workloads = arg("workloads", "A,B").split(",");
const STALL_MS = 5000;
const FRAME = encodeFrame();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function refillOf(window) {
  const b = new Uint8Array(window * FRAME_SIZE);
  for (let i = 0; i < window; i++) b.set(FRAME, i * FRAME_SIZE);
  return b;
}

/**
 * Shared bookkeeping: `onFrames(n)` is called with the frames completed by
 * each read; it counts them, times them (window 1) and says how many to send.
 */
function meter(window) {
  const MAX = 4_000_000;
  const lat = window === 1 ? new Float64Array(MAX) : undefined;
  const st = { total: 0, samples: 0, measuring: false, stopped: false, sentAt: 0, rem: 0 };
  st.onBytes = (len) => {
    const all = st.rem + len;
    const n = (all / FRAME_SIZE) | 0;
    st.rem = all - n * FRAME_SIZE;
    if (n === 0) return 0;
    st.total += n;
    if (lat !== undefined && st.measuring && st.samples < MAX) {
      lat[st.samples++] = performance.now() - st.sentAt;
    }
    if (st.stopped) return 0;
    st.sentAt = performance.now();
    return n;
  };
  st.result = (c0, c1, t0, t1) => {
    const r = { rate: ((c1 - c0) * 1000) / (t1 - t0), frames: c1 - c0 };
    if (lat !== undefined) {
      const sorted = lat.subarray(0, st.samples).sort();
      const pct = (p) => sorted[Math.min(st.samples - 1, Math.floor(p * st.samples))] * 1000;
      r.p50us = pct(0.5);
      r.p99us = pct(0.99);
    }
    return r;
  };
  return st;
}

async function measure(st, close) {
  await sleep(warmup);
  st.measuring = true;
  const c0 = st.total;
  const t0 = performance.now();
  const end = t0 + duration;
  while (performance.now() < end) {
    await sleep(Math.min(100, end - performance.now()));
    if (st.total === c0 && performance.now() - t0 > STALL_MS) break;
  }
  const c1 = st.total;
  const t1 = performance.now();
  st.measuring = false;
  st.stopped = true;
  close();
  if (c1 === c0) throw new Error("no frames came back");
  return st.result(c0, c1, t0, t1);
}

async function nodeRun(window) {
  const net = await import("node:net");
  const refill = Buffer.from(refillOf(window));
  const st = meter(window);
  const s = net.connect({ host: HOST, port });
  s.setNoDelay(true);
  await new Promise((resolve, reject) => {
    s.once("connect", resolve);
    s.once("error", reject);
  });
  s.on("error", () => {});
  s.on("data", (chunk) => {
    const n = st.onBytes(chunk.length);
    if (n > 0) s.write(refill.subarray(0, n * FRAME_SIZE));
  });
  st.sentAt = performance.now();
  s.write(refill);
  return measure(st, () => s.destroy());
}

async function denoRun(window) {
  const refill = refillOf(window);
  const st = meter(window);
  const conn = await Deno.connect({ hostname: HOST, port, transport: "tcp" });
  conn.setNoDelay(true);
  const writeAll = async (data) => {
    let off = 0;
    while (off < data.length) off += await conn.write(data.subarray(off));
  };
  const loop = (async () => {
    const buf = new Uint8Array(64 * 1024);
    st.sentAt = performance.now();
    await writeAll(refill);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) return;
      const k = st.onBytes(n);
      if (k > 0) await writeAll(refill.subarray(0, k * FRAME_SIZE));
      if (st.stopped) return;
    }
  })().catch(() => {});
  const r = await measure(st, () => {});
  try {
    conn.close();
  } catch { /* closed */ }
  await loop;
  return r;
}

async function bunRun(window) {
  const refill = refillOf(window);
  const st = meter(window);
  let pending = [];
  const write = (socket, data) => {
    if (pending.length > 0) {
      pending.push(data.slice());
      return;
    }
    const n = socket.write(data);
    if (n >= 0 && n < data.length) pending.push(data.slice(n));
  };
  const socket = await Bun.connect({
    hostname: HOST,
    port,
    socket: {
      binaryType: "uint8array",
      data(s, chunk) {
        const n = st.onBytes(chunk.length);
        if (n > 0) write(s, refill.subarray(0, n * FRAME_SIZE));
      },
      drain(s) {
        while (pending.length > 0) {
          const head = pending[0];
          const n = s.write(head);
          if (n < head.length) {
            if (n > 0) pending[0] = head.subarray(n);
            return;
          }
          pending.shift();
        }
      },
      error() {},
      close() {},
    },
  });
  socket.setNoDelay(true);
  st.sentAt = performance.now();
  write(socket, refill);
  return measure(st, () => socket.end());
}

const runOne = runtime === "deno" ? denoRun : runtime === "bun" ? bunRun : nodeRun;
for (const w of workloads) {
  let result;
  try {
    if (w === "A") result = await runOne(1);
    else if (w === "B") result = await runOne(256);
    else throw new Error(`workload ${w} is not a client-side workload`);
  } catch (e) {
    result = { error: String(e?.message ?? e) };
  }
  console.log(JSON.stringify({ workload: w, ...result }));
  await sleep(100);
}
process.exit(0);
