// The one load client every server is measured with (Node, node:net). It
// sends pre-encoded 36-byte main.TestEchoACK frames and counts frames back;
// it neither decodes nor allocates per frame, so it stays out of the way.
//
//   node bench/load_client.mjs --port P [--bport B] --workloads A,B,C,D --warmup ms --duration ms
//   node bench/load_client.mjs --port P --connect N      (memory test: open N idle connections)
//
// Prints one JSON line per workload. Every loop is bounded by time; a
// workload that gets no reply for 5 s is reported as failed.
import net from "node:net";
import process from "node:process";
import { encodeFrame, FRAME_SIZE } from "./_frame.mjs";

const args = parseArgs(process.argv.slice(2));
const HOST = "127.0.0.1";
const FRAME = encodeFrame();
const STALL_MS = 5000;

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

function frames(n) {
  const b = Buffer.alloc(n * FRAME_SIZE);
  for (let i = 0; i < n; i++) b.set(FRAME, i * FRAME_SIZE);
  return b;
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: HOST, port });
    s.setNoDelay(true);
    s.once("connect", () => {
      s.off("error", reject);
      s.on("error", () => {});
      resolve(s);
    });
    s.once("error", reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Keep `window` frames in flight on each of `sockets` (the first `senders`
 * of them send; all count what they receive). Returns frames received per
 * second over the measured interval.
 */
async function windowed(sockets, senders, window, warmup, duration) {
  const refill = frames(window);
  let received = 0;
  let lastProgress = Date.now();
  let stopped = false;
  sockets.forEach((s, idx) => {
    let rem = 0;
    const sends = idx < senders;
    s.on("data", (chunk) => {
      const total = rem + chunk.length;
      const n = (total / FRAME_SIZE) | 0;
      rem = total - n * FRAME_SIZE;
      received += n;
      if (n > 0) lastProgress = Date.now();
      // One write for every frame completed in this read: the window stays full.
      if (sends && n > 0 && !stopped) s.write(refill.subarray(0, n * FRAME_SIZE));
    });
  });
  for (let i = 0; i < senders; i++) sockets[i].write(refill);
  const stallCheck = () => Date.now() - lastProgress > STALL_MS;
  await sleep(warmup);
  const r0 = received;
  const t0 = performance.now();
  const end = t0 + duration;
  while (performance.now() < end) {
    await sleep(Math.min(100, end - performance.now()));
    if (stallCheck()) break;
  }
  const r1 = received;
  const t1 = performance.now();
  stopped = true;
  for (const s of sockets) s.destroy();
  if (r1 === r0) throw new Error("no frames came back");
  return { rate: ((r1 - r0) * 1000) / (t1 - t0), frames: r1 - r0, seconds: (t1 - t0) / 1000 };
}

/** One frame in flight; every round trip timed. */
async function pingPong(socket, warmup, duration) {
  const MAX = 4_000_000;
  const lat = new Float64Array(MAX);
  let count = 0;
  let measuring = false;
  let stopped = false;
  let rem = 0;
  let sentAt = 0;
  let total = 0;
  let lastProgress = Date.now();
  socket.on("data", (chunk) => {
    rem += chunk.length;
    if (rem < FRAME_SIZE) return;
    rem -= FRAME_SIZE;
    const now = performance.now();
    total++;
    if (measuring && count < MAX) lat[count++] = now - sentAt;
    if (!stopped) {
      sentAt = performance.now();
      socket.write(FRAME);
    }
  });
  sentAt = performance.now();
  socket.write(FRAME);
  await sleep(warmup);
  measuring = true;
  const c0 = total;
  const t0 = performance.now();
  const end = t0 + duration;
  while (performance.now() < end) {
    await sleep(Math.min(100, end - performance.now()));
    if (total === c0 && performance.now() - t0 > STALL_MS) break;
    if (total > 0) lastProgress = Date.now();
  }
  const c1 = total;
  const t1 = performance.now();
  measuring = false;
  stopped = true;
  socket.destroy();
  if (c1 === c0) throw new Error("no frames came back");
  const sorted = lat.subarray(0, count).sort();
  const pct = (p) => sorted[Math.min(count - 1, Math.floor(p * count))] * 1000;
  void lastProgress;
  return {
    rate: ((c1 - c0) * 1000) / (t1 - t0),
    p50us: pct(0.5),
    p99us: pct(0.99),
    frames: c1 - c0,
  };
}

/** Send one frame and check it comes back byte for byte (catches a wrong id or codec). */
async function verify(port) {
  const s = await connect(port);
  const got = await new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error("no echo within 5 s")), STALL_MS);
    s.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= FRAME_SIZE) {
        clearTimeout(timer);
        resolve(buf);
      }
    });
    s.on("close", () => reject(new Error("server closed the connection")));
    s.write(FRAME);
  });
  s.destroy();
  if (!Buffer.from(FRAME).equals(got.subarray(0, FRAME_SIZE)) || got.length !== FRAME_SIZE) {
    throw new Error(
      `echo mismatch: sent ${Buffer.from(FRAME).toString("hex")}, got ${got.toString("hex")}`,
    );
  }
}

async function connectMany(port, n) {
  const sockets = [];
  // A few hundred dials at a time: the accept backlog is finite.
  const BATCH = 200;
  for (let i = 0; i < n; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) batch.push(connect(port));
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

async function main() {
  const port = Number(args.port);
  const warmup = Number(args.warmup ?? 1000);
  const duration = Number(args.duration ?? 3000);
  if (args.connect) {
    const n = Number(args.connect);
    const sockets = await connectMany(port, n);
    for (const s of sockets) s.on("close", () => {});
    console.log(JSON.stringify({ connected: sockets.length }));
    // Held open until the orchestrator closes our stdin (or a hard bound passes).
    const done = new Promise((r) => {
      process.stdin.on("end", r);
      process.stdin.on("error", r);
      process.stdin.resume();
      setTimeout(r, 120_000);
    });
    await done;
    for (const s of sockets) s.destroy();
    return;
  }
  const workloads = String(args.workloads ?? "A,B,C,D").split(",");
  await verify(port);
  for (const w of workloads) {
    let result;
    try {
      switch (w) {
        case "A": {
          result = await pingPong(await connect(port), warmup, duration);
          break;
        }
        case "B":
          result = await windowed([await connect(port)], 1, 256, warmup, duration);
          break;
        case "C":
          result = await windowed(await connectMany(port, 16), 16, 64, warmup, duration);
          break;
        case "D": {
          const bport = Number(args.bport);
          const sockets = await connectMany(bport, 100);
          // Let the server register every session before the first broadcast.
          await sleep(200);
          result = await windowed(sockets, 1, Number(args.bwindow ?? 16), warmup, duration);
          break;
        }
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
