/**
 * The cellnet-ts client side: a tcp.Connector (tcp.ltv, binary codec)
 * driving the raw echo server with `main.TestEchoACK` messages; each reply
 * is decoded into a message and answered with `session.send()`.
 *
 *   <runtime> bench/cellnet_client.ts --port P --workloads A,B --warmup ms --duration ms
 *
 * Prints one JSON line per workload, like load_client.mjs.
 *
 * @module
 */
import process from "node:process";
import {
  bindProcessorHandler,
  type CoreSession,
  type Event,
  type Logger,
  SessionConnected,
  setDefaultLogger,
  tcp,
} from "../mod.ts";
import { TestEchoACK } from "../examples/echo/proto.ts";
// @ts-ignore: plain JS helper (no types needed).
import { MSG, VALUE } from "./_frame.mjs";

const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (m: string, e?: unknown) => console.error(m, e),
};
setDefaultLogger(quiet);

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : dflt;
};
const port = Number(arg("port", "0"));
const warmup = Number(arg("warmup", "1000"));
const duration = Number(arg("duration", "3000"));
const workloads = arg("workloads", "A,B").split(",");
const STALL_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run one workload on a fresh connector: `window` messages in flight, each reply answered by one send. */
async function run(window: number, timed: boolean): Promise<Record<string, number>> {
  const MAX = 4_000_000;
  const lat = timed ? new Float64Array(MAX) : undefined;
  let samples = 0;
  let total = 0;
  let measuring = false;
  let stopped = false;
  let sentAt = 0;
  const msg = new TestEchoACK({ Msg: MSG, Value: VALUE });
  const connector = new tcp.Connector({ name: "bench-client", address: `127.0.0.1:${port}` });
  let onConnected: () => void = () => {};
  const connected = new Promise<void>((r) => (onConnected = r));
  bindProcessorHandler(connector, "tcp.ltv", (ev: Event) => {
    const m = ev.message;
    if (m instanceof TestEchoACK) {
      total++;
      if (lat !== undefined) {
        if (measuring && samples < MAX) lat[samples++] = performance.now() - sentAt;
        if (!stopped) {
          sentAt = performance.now();
          ev.session.send(m);
        }
      } else if (!stopped) {
        ev.session.send(m);
      }
    } else if (m instanceof SessionConnected) {
      onConnected();
    }
  });
  await connector.start();
  const timeout = sleep(STALL_MS).then(() => {
    throw new Error("connect timed out");
  });
  await Promise.race([connected, timeout]);
  sentAt = performance.now();
  for (let i = 0; i < window; i++) connector.session.send(msg);
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
  (connector.session as CoreSession).abort();
  await connector.stop();
  if (c1 === c0) throw new Error("no replies");
  const result: Record<string, number> = { rate: ((c1 - c0) * 1000) / (t1 - t0), frames: c1 - c0 };
  if (lat !== undefined) {
    const sorted = lat.subarray(0, samples).sort();
    const pct = (p: number) => sorted[Math.min(samples - 1, Math.floor(p * samples))]! * 1000;
    result.p50us = pct(0.5);
    result.p99us = pct(0.99);
  }
  return result;
}

for (const w of workloads) {
  let result: Record<string, unknown>;
  try {
    if (w === "A") result = await run(1, true);
    else if (w === "B") result = await run(256, false);
    else throw new Error(`workload ${w} is not a client-side workload`);
  } catch (e) {
    result = { error: String((e as Error)?.message ?? e) };
  }
  console.log(JSON.stringify({ workload: w, ...result }));
  await sleep(100);
}
process.exit(0);
