// A slow reader must not grow the server's memory past its bound (issue 7.6).
//
//   npm run slow-reader -- [--lines 200000] [--window 3000] [--transport node|deno|bun]
//   npx deno run -A scripts/slow_reader.ts [--lines N]
//   npx bun scripts/slow_reader.ts [--lines N]
//
// The chat server of examples/chat/server.ts (every ChatREQ broadcast to every
// session as a ChatACK) runs in this process; a child process of the same
// runtime runs three clients: one that never reads, one healthy reader, and a
// sender broadcasting `--lines` 1000-byte chat lines in windows of `--window`
// lines (default 3000, under the sender's own 4 MiB send-queue bound; each
// window waits until the healthy client has it, so only the stuck session
// accumulates). The clients live in the child so this process's RSS is
// the server's alone. Prints the server's RSS growth, the lines the healthy
// client got, and the stuck session's close reason as the server saw it.
// Exits 1 if the healthy client missed a line, the stuck session did not close
// as SlowConsumer, or the RSS grew by `--max-growth-mib` (default 64) or more.
// Loopback only; bounded by `--timeout-s` (default 300).
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import {
  bindProcessorHandler,
  CloseReason,
  detectRuntime,
  EventQueue,
  loadTransport,
  type Logger,
  MessageDispatcher,
  type RuntimeName,
  SessionAccepted,
  SessionClosed,
  SessionConnected,
  tcp,
} from "../mod.ts";
import { ChatACK, ChatREQ } from "../examples/chat/proto.ts";

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`--${name} needs a number > 0`);
    process.exit(2);
  }
  return v;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const LINE_BYTES = 1000;
const mib = (n: number) => (n / 1048576).toFixed(1);
const quiet: Logger = { debug() {}, info() {}, warn() {}, error: (m) => console.error(m) };

/** Resolves when `cond()` holds, re-checked on every `kick()`. */
class Waiter {
  #cond: (() => boolean) | undefined;
  #resolve: (() => void) | undefined;
  until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => {
      this.#cond = cond;
      this.#resolve = resolve;
    });
  }
  kick(): void {
    if (this.#cond?.()) {
      const resolve = this.#resolve!;
      this.#cond = this.#resolve = undefined;
      resolve();
    }
  }
}

/** The child: the stuck client, the healthy client and the sender. Reports on stdout. */
async function clients(port: number, lines: number, window: number): Promise<void> {
  const address = `127.0.0.1:${port}`;
  // Stuck: connected, but no handler is ever set, so the adapter reads nothing
  // and the kernel buffers fill.
  const transport = await loadTransport();
  const stuck = await transport.connect({ host: "127.0.0.1", port });
  console.log(JSON.stringify({ stuckPort: stuck.localAddress.port }));

  let healthy = 0;
  let echoed = 0;
  let lost = "";
  const waiter = new Waiter();
  const peer = (name: string, onAck: () => void): tcp.Connector => {
    const c = new tcp.Connector({ name, address, logger: quiet });
    bindProcessorHandler(c, "tcp.ltv", (ev) => {
      if (ev.message instanceof ChatACK) onAck();
      else if (ev.message instanceof SessionClosed) lost ||= `${name} closed: ${ev.message}`;
      else if (!(ev.message instanceof SessionConnected)) return;
      waiter.kick();
    });
    return c;
  };
  const reader = peer("healthy", () => healthy++);
  const sender = peer("sender", () => echoed++);
  await reader.start();
  await sender.start();
  await waiter.until(() => reader.session.isOpen && sender.session.isOpen);
  console.log(JSON.stringify({ ready: true }));

  const content = "x".repeat(LINE_BYTES);
  for (let sent = 0; sent < lines && !lost;) {
    const n = Math.min(window, lines - sent);
    for (let k = 0; k < n; k++) sender.session.send(new ChatREQ({ Content: content }));
    sent += n;
    // The sender gets its own lines back too; wait for both so neither backs up.
    await waiter.until(() => lost !== "" || (healthy >= sent && echoed >= sent));
  }
  console.log(JSON.stringify({ healthy, lost }));
  stuck.close(false);
  await reader.stop();
  await sender.stop();
  process.exit(0);
}

/** The command line that runs this script again, on this runtime. */
function selfCommand(args: string[]): [string, string[]] {
  const script = fileURLToPath(import.meta.url);
  switch (detectRuntime()) {
    case "deno":
      return [process.execPath, ["run", "-A", script, ...args]];
    case "bun":
      return [process.execPath, [script, ...args]];
    default:
      // Under tsx, execArgv carries its loader.
      return [process.execPath, [...process.execArgv, script, ...args]];
  }
}

/** Peak RSS (and, for finding where it goes, peak JS heap and external memory), every 20 ms. */
class RssSampler {
  readonly base = process.memoryUsage().rss;
  peak = this.base;
  peakHeap = 0;
  peakExternal = 0;
  #timer = setInterval(() => this.sample(), 20);
  sample(): void {
    const m = process.memoryUsage();
    this.peak = Math.max(this.peak, m.rss);
    this.peakHeap = Math.max(this.peakHeap, m.heapTotal);
    this.peakExternal = Math.max(this.peakExternal, m.external);
  }
  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}

async function server(): Promise<void> {
  const lines = flag("lines", 200_000);
  const window = flag("window", 3000);
  const maxGrowth = flag("max-growth-mib", 64) * 1048576;
  const timeoutMs = flag("timeout-s", 300) * 1000;
  const transport = (option("transport") ?? detectRuntime()) as RuntimeName;
  const failures: string[] = [];

  // examples/chat/server.ts, with the stuck session's close recorded.
  const closes = new Map<number, SessionClosed>();
  const queue = new EventQueue();
  const acceptor = new tcp.Acceptor({
    name: "server",
    address: "127.0.0.1:0",
    queue,
    transport,
    logger: quiet,
  });
  const dispatcher = new MessageDispatcher()
    .on(SessionAccepted, () => {})
    .on(SessionClosed, (msg, ev) => {
      const a = ev.session.remoteAddress;
      closes.set(Number(a.slice(a.lastIndexOf(":") + 1)), msg);
    })
    .on(ChatREQ, (msg, ev) => {
      acceptor.broadcast(new ChatACK({ Content: msg.Content, Id: BigInt(ev.session.id) }));
    });
  bindProcessorHandler(acceptor, "tcp.ltv", dispatcher.callback);
  queue.startLoop();
  await acceptor.start();

  const [cmd, args] = selfCommand([
    "--clients",
    String(acceptor.port),
    "--lines",
    String(lines),
    "--window",
    String(window),
  ]);
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
  const reports: Record<string, unknown>[] = [];
  const kick = new Waiter();
  let exited = false;
  let out = "";
  child.stdout!.on("data", (d: Uint8Array) => {
    out += new TextDecoder().decode(d);
    for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
      reports.push(JSON.parse(out.slice(0, nl)) as Record<string, unknown>);
      out = out.slice(nl + 1);
    }
    kick.kick();
  });
  child.on("exit", () => {
    exited = true;
    kick.kick();
  });
  const deadline = setTimeout(() => {
    console.error(`timed out after ${timeoutMs} ms`);
    child.kill("SIGKILL");
    process.exit(1);
  }, timeoutMs);
  const report = (key: string) => reports.find((r) => key in r);

  await kick.until(() => exited || report("ready") !== undefined);
  const stuckPort = Number(report("stuckPort")?.stuckPort);
  // Baseline once every client is connected, before the first line.
  const rss = new RssSampler();
  const started = Date.now();
  await kick.until(() => exited || report("healthy") !== undefined);
  rss.stop();
  const seconds = (Date.now() - started) / 1000;
  const result = report("healthy") as { healthy: number; lost: string } | undefined;
  await kick.until(() => exited);
  clearTimeout(deadline);

  const healthy = result?.healthy ?? 0;
  const stuckClosed = closes.get(stuckPort);
  const stuckClose = stuckClosed === undefined ? "still open" : String(stuckClosed);
  const growth = rss.peak - rss.base;
  console.log(
    `slow_reader on ${detectRuntime()} (${transport} transport): ` +
      `${lines} lines of ${LINE_BYTES} bytes in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `  server RSS: ${mib(rss.base)} MiB before, peak ${mib(rss.peak)} MiB,` +
      ` growth ${mib(growth)} MiB`,
  );
  console.log(
    `  peak JS heap ${mib(rss.peakHeap)} MiB, peak external ${mib(rss.peakExternal)} MiB`,
  );
  console.log(`  healthy client got ${healthy} of ${lines} lines`);
  console.log(`  stuck client, as the server saw it: ${stuckClose}`);
  if (result === undefined) failures.push("the client process ended without a report");
  if (result?.lost) failures.push(result.lost);
  if (healthy !== lines) failures.push(`the healthy client got ${healthy} of ${lines} lines`);
  if (stuckClosed?.reason !== CloseReason.SlowConsumer) {
    failures.push(`the stuck session was not closed as SlowConsumer: ${stuckClose}`);
  }
  if (growth >= maxGrowth) {
    failures.push(`RSS grew ${mib(growth)} MiB, bound ${mib(maxGrowth)} MiB`);
  }
  await acceptor.stop();
  queue.stopLoop();
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(failures.length > 0 ? 1 : 0);
}

const clientPort = option("clients");
if (clientPort !== undefined) {
  await clients(Number(clientPort), flag("lines", 200_000), flag("window", 3000));
} else {
  await server();
}
