// The long fuzz run: `npm run fuzz -- --frames 1000000` (Node), or on the
// other runtimes `npx deno run -A scripts/fuzz.ts --frames 1000000` and
// `npx bun scripts/fuzz.ts --frames 1000000`. Seeded: a failure prints the
// seed and session to replay. Exits 1 on any invariant violation.
//
// Flags: --frames N (default 1000000)  --seed N (default 1)
//        --max-packet N (acceptor maxPacketSize, default 4096; 0 = none)
//        --queue (deliver events through an EventQueue)
//        --concurrency N (default 16)  --max-valid N (valid frames per session, default 200)
import process from "node:process";
import { detectRuntime } from "../mod.ts";
import { runFuzz } from "../tests/_fuzz.ts";

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) {
    console.error(`--${name} needs a number >= 0`);
    process.exit(2);
  }
  return v;
}

const frames = flag("frames", 1_000_000);
const seed = flag("seed", 1);
const maxPacketSize = flag("max-packet", 4096);
const concurrency = flag("concurrency", 16);
const maxValidFrames = flag("max-valid", 200);
const useQueue = process.argv.includes("--queue");
const mib = (n: number) => (n / 1048576).toFixed(1);

console.log(
  `fuzz on ${detectRuntime()}: ${frames} frames, seed ${seed}, maxPacketSize ${maxPacketSize}, ` +
    `${useQueue ? "EventQueue" : "direct"} delivery, ${concurrency} clients at once`,
);
let peakRss = process.memoryUsage().rss;
const r = await runFuzz({
  seed,
  frames,
  maxPacketSize,
  useQueue,
  concurrency,
  maxValidFrames,
  progressEvery: 5000,
  onProgress: (p) => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    console.log(
      `  ${p.frames} frames, ${p.sessions} sessions, ${
        Math.round(p.frames / (p.elapsedMs / 1000))
      } frames/s, ` +
        `rss ${mib(process.memoryUsage().rss)} MiB`,
    );
  },
});
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const secs = r.elapsedMs / 1000;
console.log(
  `frames:        ${r.frames} in ${secs.toFixed(1)} s = ${Math.round(r.frames / secs)} frames/s (${
    mib(r.bytes)
  } MiB)`,
);
console.log(`sessions:      ${r.sessions}, closed by reason: ${JSON.stringify(r.closedBy)}`);
console.log(`kinds:         ${JSON.stringify(r.kinds)}`);
console.log(
  `echoes:        ${r.echoes} checked byte for byte; well-behaved client: ${r.goodReplies} correct replies`,
);
console.log(`peak rss:      ${mib(peakRss)} MiB (sampled)`);
if (r.violations.length > 0) {
  console.log(`FAIL: ${r.violations.length} invariant violation(s):`);
  for (const v of r.violations) console.log(`  - ${v}`);
  process.exit(1);
}
console.log("OK: no invariant violated");
process.exit(0);
