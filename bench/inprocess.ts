/**
 * The per-message path without sockets: bench/cellnet_server.ts's echo
 * acceptor (tcp.Acceptor + tcp.ltv + binary `main.TestEchoACK`, the same
 * handler) on a fake transport whose one connection is fed the same chunk of
 * `--batch` frames again and again; every reply is encoded into the
 * session's outbox and flushed once per chunk, as a real turn would. No
 * syscalls, no promise hops, no copies by a runtime: what is left is
 * receiver → codec → event → handler → send → flush.
 *
 *   node --import tsx bench/inprocess.ts
 *   deno run -A bench/inprocess.ts
 *   bun bench/inprocess.ts
 *   options: --batch 256  --trials 7  --messages 200000 (per trial)  --types 0
 *
 * `--types N` first runs N other message types (strings and ints of other
 * lengths) through the same acceptor, so the shared call sites (receiver,
 * codec, send) have seen several types as in a real server, then measures
 * TestEchoACK alone.
 *
 * Prints one JSON line: nsPerMessage (CPU time per message, median of the
 * trials; wallNsPerMessage is the same by the clock), the trials,
 * bytesPerMessage (V8's sampling heap profiler, collected objects included;
 * null on Bun, where JSC has no allocation counter), and
 * decodeNs / encodeNs (TestEchoACK's binary decode and framed encode alone,
 * in a loop, for attribution).
 *
 * @module
 */
import process from "node:process";
import {
  bindProcessorHandler,
  ByteWriter,
  type Connection,
  type ConnectionHandler,
  defineMessage,
  type Fields,
  type Listener,
  type ListenOptions,
  type Logger,
  LTVTransmitter,
  messageMetaByType,
  setDefaultLogger,
  t,
  tcp,
  type Transport,
} from "../mod.ts";
import { TestEchoACK } from "../examples/echo/proto.ts";
// @ts-ignore: plain JS helper shared with the other bench programs.
import { encodeFrame, FRAME_SIZE } from "./_frame.mjs";

const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (m: string, e?: unknown) => console.error(m, e),
};
setDefaultLogger(quiet);

const argv = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : dflt;
};
const BATCH = arg("batch", 256);
const TRIALS = arg("trials", 7);
const PER_TRIAL = arg("messages", 200_000);
const TYPES = arg("types", 0);
const runtime = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined"
  ? "deno"
  : typeof (globalThis as { Bun?: unknown }).Bun !== "undefined"
  ? "bun"
  : "node";

/** One connection that records what it is given and runs deferred work when told. */
class FakeConnection implements Connection {
  readonly localAddress = { host: "127.0.0.1", port: 1 };
  readonly remoteAddress = { host: "127.0.0.1", port: 2 };
  readonly messageOriented = false;
  readonly bufferedAmount = 0;
  handler: ConnectionHandler | undefined;
  written = 0;
  writes = 0;
  #deferred: (() => void)[] = [];
  setHandler(handler: ConnectionHandler): void {
    this.handler = handler;
  }
  write(data: Uint8Array): boolean {
    // A real transport copies or sends here; that is the runtime's cost, not the path's.
    this.written += data.length;
    this.writes++;
    return true;
  }
  setNoDelay(): void {}
  defer(callback: () => void): void {
    this.#deferred.push(callback);
  }
  /** The end of a turn: run what was deferred (the session's flush). */
  endTurn(): void {
    const d = this.#deferred;
    for (let i = 0; i < d.length; i++) d[i]!();
    d.length = 0;
  }
  close(): void {}
}

let accept: ((conn: Connection) => void) | undefined;
const fakeTransport: Transport = {
  name: "fake",
  listen(options: ListenOptions): Promise<Listener> {
    accept = options.onConnection;
    return Promise.resolve({
      address: { host: "127.0.0.1", port: 1 },
      close: () => Promise.resolve(),
    });
  },
  connect(): Promise<Connection> {
    return Promise.reject(new Error("the fake transport only listens"));
  },
};

const acceptor = new tcp.Acceptor({
  name: "inprocess",
  address: "127.0.0.1:0",
  transport: fakeTransport,
});
// Exactly bench/cellnet_server.ts's handler.
bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
  if (ev.message instanceof TestEchoACK) ev.session.send(ev.message);
});
await acceptor.start();
// mod.ts installs the runtime's native string slice asynchronously (see
// src/transport/auto.ts); a real server has long had it by its first message.
await new Promise((r) => setTimeout(r, 50));
const conn = new FakeConnection();
accept!(conn);
const handler = conn.handler!;

function chunkOf(frame: Uint8Array, n: number): Uint8Array {
  const c = new Uint8Array(frame.length * n);
  for (let i = 0; i < n; i++) c.set(frame, i * frame.length);
  return c;
}

if (TYPES > 0) {
  // Other shapes through the same sites: the receiver loop, the codec's
  // string and int readers, the session's send.
  const frames: Uint8Array[] = [];
  const w = new ByteWriter();
  const tx = new LTVTransmitter();
  for (let k = 0; k < TYPES; k++) {
    const fields: Record<string, Fields[string]> = {};
    for (let f = 0; f <= k % 4; f++) fields[`S${f}`] = t.string;
    fields.N = t.int32;
    const M = defineMessage(`inprocess.Other${k}`, fields);
    const init: Record<string, unknown> = { N: k };
    for (let f = 0; f <= k % 4; f++) init[`S${f}`] = "x".repeat(3 + 7 * k + f);
    w.reset();
    tx.writeMessage(w, new M(init));
    frames.push(w.view().slice());
  }
  const mixed = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    mixed.set(f, at);
    at += f.length;
  }
  for (let i = 0; i < 20_000; i++) {
    handler.onData(mixed);
    conn.endTurn();
  }
}

const frame: Uint8Array = encodeFrame();
const chunk = chunkOf(frame, BATCH);
const rounds = Math.max(1, Math.round(PER_TRIAL / BATCH));

function turns(n: number): void {
  for (let i = 0; i < n; i++) {
    handler.onData(chunk);
    conn.endTurn();
  }
}

// Check once that the path answers every frame with the same bytes.
conn.written = 0;
turns(1);
if (conn.written !== chunk.length) {
  throw new Error(`echoed ${conn.written} bytes for ${chunk.length}`);
}

turns(rounds * 2); // warm-up
/**
 * CPU time of this process in ns. On a shared machine wall time counts the
 * time other processes hold the core; CPU time does not (GC helper threads
 * are included, and pinned to the same core anyway).
 */
function cpuNs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) * 1000;
}

const writes0 = conn.writes;
const trials: number[] = [];
const wall: number[] = [];
for (let r = 0; r < TRIALS; r++) {
  const c0 = cpuNs();
  const t0 = performance.now();
  turns(rounds);
  wall.push(((performance.now() - t0) * 1e6) / (rounds * BATCH));
  trials.push((cpuNs() - c0) / (rounds * BATCH));
}
const writesPerTurn = (conn.writes - writes0) / (rounds * TRIALS);
const median = (xs: number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
};

/**
 * Bytes allocated per message (V8 only: JSC has no allocation counter, so
 * null on Bun): V8's sampling heap profiler through node:inspector, every
 * 64 bytes, counting objects already collected, over 500 chunks.
 * (process.memoryUsage() deltas were tried first: on Deno they overcount by
 * ~45 B/message against this profiler.)
 */
async function bytesPerMessage(): Promise<number | null> {
  if (runtime === "bun") return null;
  interface ProfileNode {
    selfSize: number;
    children: ProfileNode[];
  }
  try {
    const inspector = await import("node:inspector");
    const session = new inspector.Session();
    session.connect();
    const post = (method: string, params: object = {}) =>
      new Promise<unknown>((resolve, reject) =>
        session.post(method, params, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r)))
      );
    await post("HeapProfiler.enable");
    await post("HeapProfiler.startSampling", {
      samplingInterval: 64,
      includeObjectsCollectedByMinorGC: true,
      includeObjectsCollectedByMajorGC: true,
    });
    const n = 500;
    turns(n);
    const { profile } = (await post("HeapProfiler.stopSampling")) as {
      profile: { head: ProfileNode };
    };
    session.disconnect();
    let total = 0;
    const walk = (node: ProfileNode): void => {
      total += node.selfSize;
      for (const c of node.children) walk(c);
    };
    walk(profile.head);
    return total / (n * BATCH);
  } catch {
    return null;
  }
}

/** TestEchoACK's decode and framed encode alone: what the codec costs of the total. */
function codecNs(): { decodeNs: number; encodeNs: number } {
  const meta = messageMetaByType(TestEchoACK)!;
  const bound = meta.bound;
  const decodeRange = bound.decodeRange!;
  const tx = new LTVTransmitter();
  const w = new ByteWriter(64);
  const msg = new TestEchoACK({ Msg: "abcdefghijklmnopqrstuvwxyz", Value: 1234 });
  const N = 200_000;
  let sink = 0;
  const dec: number[] = [];
  const enc: number[] = [];
  for (let r = 0; r < 5; r++) {
    let c0 = cpuNs();
    for (let i = 0; i < N; i++) {
      sink +=
        decodeRange(chunk, (i & 63) * FRAME_SIZE + 4, (i & 63) * FRAME_SIZE + FRAME_SIZE).Value;
    }
    dec.push((cpuNs() - c0) / N);
    c0 = cpuNs();
    for (let i = 0; i < N; i++) {
      w.pos = 0;
      tx.writeMessage(w, msg);
    }
    enc.push((cpuNs() - c0) / N);
  }
  if (sink === 0) throw new Error("nothing decoded");
  return { decodeNs: median(dec), encodeNs: median(enc) };
}

const bytes = await bytesPerMessage();
const codec = codecNs();
console.log(JSON.stringify({
  runtime,
  batch: BATCH,
  types: TYPES,
  nsPerMessage: median(trials),
  trials: trials.map((x) => Math.round(x * 10) / 10),
  wallNsPerMessage: median(wall),
  bytesPerMessage: bytes,
  ...codec,
  writesPerTurn,
}));
process.exit(0);
