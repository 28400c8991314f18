#!/usr/bin/env node
// cellnet-ts against raw sockets, on Node, Deno and Bun, in one run.
//
//   npm run bench                      full run (3 runs per measurement, medians)
//   npm run bench -- --quick           smoke run, well under 90 s
//   npm run bench -- --json            machine-readable result on stdout (progress on stderr)
//   npm run bench -- --render FILE     print the tables of a saved result
//   options: --runtimes node,deno,bun  --runs N  --warmup ms  --duration ms  --sessions N
//            --mem-runs N  --only server,client,memory,inprocess,ws
//            --extra name='command with {port}'   (repeatable) an external echo
//              server (Go cellnet's, say) run and measured beside the others
// Every run also saves its JSON under .bench-results/ (git-ignored).
//
// Server side: the cellnet-ts echo server (bench/cellnet_server.ts), a raw
// framed echo server on the runtime's own sockets that does no per-message
// work (bench/raw_server.mjs), and one that does by hand the per-message work
// cellnet-ts does: decode each TestEchoACK, encode the reply
// (bench/samework_server.mjs); all driven by the same Node load client
// (bench/load_client.mjs) in its own process. Client side: a cellnet-ts
// tcp.Connector (bench/cellnet_client.ts) and a raw client
// (bench/raw_client.mjs) on the same runtime, both against the raw server.
// Memory: N idle connections held by a separate client. In-process: the
// per-message path on a fake transport (bench/inprocess.ts), ns and bytes
// allocated per message. WebSocket (ws): gorillaws.ltv against each
// runtime's usual WebSocket server, with its own load client (bench/ws_bench.mjs).
//
// Every process is pinned to CPU 0 with `taskset -c 0` when taskset exists
// (unpinned ping-pong on small VMs varies several-fold), runs with the open
// file limit raised to the hard limit, and is killed at exit, even on error.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { benchWs, wsTable } from "./ws_bench.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

// ---- options ----
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined && !argv[i + 1].startsWith("--") ? argv[i + 1] : dflt;
};
const QUICK = flag("quick");
const JSON_OUT = flag("json");
const RUNS = Number(opt("runs", QUICK ? 1 : 3));
const WARMUP = Number(opt("warmup", QUICK ? 200 : 500));
const DURATION = Number(opt("duration", QUICK ? 500 : 2000));
const RUNTIMES = opt("runtimes", "node,deno,bun").split(",");
const ONLY = opt("only", "server,client,memory,inprocess,ws").split(",");
/** --extra name=command (repeatable): external echo servers; {port} is replaced by a free port. */
const EXTRAS = argv.flatMap((
  a,
  i,
) => (a === "--extra" && argv[i + 1] !== undefined ? [argv[i + 1]] : [])).map((spec) => {
  const eq = spec.indexOf("=");
  if (eq <= 0 || !spec.includes("{port}")) {
    throw new Error(`--extra wants name='command with {port}', got ${spec}`);
  }
  return { name: spec.slice(0, eq), command: spec.slice(eq + 1) };
});
let SESSIONS = Number(opt("sessions", 10000));
const MEM_RUNS = Number(opt("mem-runs", QUICK ? 1 : 3));
const SERVER_WORKLOADS = ["A", "B", "C", "D"];
const EXTRA_WORKLOADS = ["A", "B", "C"];
const CLIENT_WORKLOADS = ["A", "B"];

const log = (...a) => console.error(...a);

// ---- process management: every child is tracked and killed at exit ----
const children = new Set();

function killAll() {
  for (const c of children) {
    try {
      // Negative pid: the whole process group (sh -> taskset -> runtime).
      process.kill(-c.pid, "SIGKILL");
    } catch {
      try {
        c.kill("SIGKILL");
      } catch { /* gone */ }
    }
  }
  children.clear();
}
process.on("exit", killAll);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    log(`\n${sig}: stopping`);
    killAll();
    process.exit(130);
  });
}
process.on("uncaughtException", (e) => {
  log("bench failed:", e);
  killAll();
  process.exit(1);
});
process.on("unhandledRejection", (e) => {
  log("bench failed:", e);
  killAll();
  process.exit(1);
});

const hasTaskset = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
if (!hasTaskset) {
  log(
    "WARNING: taskset not found (or CPU 0 not allowed): running unpinned; ping-pong numbers will vary a lot",
  );
}
const hardNoFile = (() => {
  const r = spawnSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8" });
  const v = r.stdout.trim();
  return v === "unlimited" ? Infinity : Number(v) || 1024;
})();
if (hardNoFile < SESSIONS + 500) {
  const was = SESSIONS;
  SESSIONS = Math.max(100, Math.floor((hardNoFile - 500) / 100) * 100);
  log(
    `WARNING: open-file hard limit is ${hardNoFile}; memory test uses ${SESSIONS} sessions instead of ${was} (raise it with ulimit -Hn as root)`,
  );
}

/** A child process with its stdout split into lines. */
class Proc {
  constructor(cmd, args, label) {
    this.label = label;
    this.lines = [];
    this.stderr = "";
    this.waiters = [];
    const pin = hasTaskset ? ["taskset", "-c", "0"] : [];
    // sh raises the soft open-file limit to the hard one, then execs (pinned).
    this.child = spawn("sh", [
      "-c",
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"',
      "sh",
      ...pin,
      cmd,
      ...args,
    ], {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, NO_COLOR: "1" },
    });
    children.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        children.delete(this.child);
        this.code = code ?? signal;
        resolve(this.code);
        this.#wake();
      });
    });
    this.child.stdin.on("error", () => {});
    let buf = "";
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        this.lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
      this.#wake();
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (d) => {
      // Keep only the tail: enough to explain a failure.
      this.stderr = (this.stderr + d).slice(-4000);
    });
  }

  #wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The first line (from index `from`) matching `pred`, within `ms`. */
  async waitLine(pred, ms, from = 0) {
    const deadline = Date.now() + ms;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) {
        if (pred(this.lines[i])) return { line: this.lines[i], index: i };
      }
      if (this.code !== undefined) {
        throw new Error(`${this.label} exited (${this.code}) ${this.stderr.trim().slice(-600)}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `${this.label}: timed out after ${ms} ms ${this.stderr.trim().slice(-600)}`,
        );
      }
      await new Promise((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Send a command line and wait for the JSON line answering it. */
  async ask(cmd, ms = 10000) {
    const from = this.lines.length;
    this.child.stdin.write(cmd + "\n");
    const { line } = await this.waitLine((l) => l.startsWith("{"), ms, from);
    return JSON.parse(line);
  }

  /** Wait for exit within `ms`, then kill. */
  async finish(ms) {
    const t = setTimeout(() => this.kill(), ms);
    await this.exited;
    clearTimeout(t);
  }

  kill() {
    try {
      process.kill(-this.child.pid, "SIGKILL");
    } catch { /* gone */ }
  }

  async stop() {
    try {
      this.child.stdin.end("quit\n");
    } catch { /* closed */ }
    await this.finish(2000);
  }
}

// ---- runtimes ----
const NODE = process.execPath;
const DENO = bin("deno");
const BUN = bin("bun");
const RT = {
  node: {
    label: "Node",
    cellnetServer: [NODE, ["--expose-gc", "--import", "tsx", "bench/cellnet_server.ts"]],
    rawServer: [NODE, ["--expose-gc", "bench/raw_server.mjs"]],
    sameworkServer: [NODE, ["bench/samework_server.mjs"]],
    inprocess: [NODE, ["--import", "tsx", "bench/inprocess.ts"]],
    cellnetClient: [NODE, ["--import", "tsx", "bench/cellnet_client.ts"]],
    rawClient: [NODE, ["bench/raw_client.mjs"]],
  },
  deno: {
    label: "Deno",
    cellnetServer: [DENO, ["run", "-A", "--v8-flags=--expose-gc", "bench/cellnet_server.ts"]],
    rawServer: [DENO, ["run", "-A", "--v8-flags=--expose-gc", "bench/raw_server.mjs"]],
    sameworkServer: [DENO, ["run", "-A", "bench/samework_server.mjs"]],
    inprocess: [DENO, ["run", "-A", "bench/inprocess.ts"]],
    cellnetClient: [DENO, ["run", "-A", "bench/cellnet_client.ts"]],
    rawClient: [DENO, ["run", "-A", "bench/raw_client.mjs"]],
  },
  bun: {
    label: "Bun",
    cellnetServer: [BUN, ["bench/cellnet_server.ts"]],
    rawServer: [BUN, ["bench/raw_server.mjs"]],
    sameworkServer: [BUN, ["bench/samework_server.mjs"]],
    inprocess: [BUN, ["bench/inprocess.ts"]],
    cellnetClient: [BUN, ["bench/cellnet_client.ts"]],
    rawClient: [BUN, ["bench/raw_client.mjs"]],
  },
};
for (const r of RUNTIMES) if (!RT[r]) throw new Error(`unknown runtime ${r} (node, deno, bun)`);

function version(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return (r.stdout || r.stderr || "").split("\n")[0].trim() || "unavailable";
}

// ---- measurements ----
async function startServer(rt, impl) {
  const [cmd, args] = RT[rt][`${impl}Server`];
  const p = new Proc(cmd, args, `${rt} ${impl} server`);
  const { line } = await p.waitLine((l) => l.startsWith("READY "), 30000);
  const [, echo, bcast] = line.split(" ");
  p.echoPort = Number(echo);
  p.bcastPort = Number(bcast);
  return p;
}

/** Run a client process to completion; returns its JSON result lines by workload. */
async function runClient(cmd, args, workloads, label) {
  const p = new Proc(cmd, [
    ...args,
    "--workloads",
    workloads.join(","),
    "--warmup",
    String(WARMUP),
    "--duration",
    String(DURATION),
  ], label);
  const bound = workloads.length * (WARMUP + DURATION + 8000) + 20000;
  const t = setTimeout(() => p.kill(), bound);
  await p.exited;
  clearTimeout(t);
  const out = {};
  for (const l of p.lines) {
    if (!l.startsWith("{")) continue;
    const j = JSON.parse(l);
    if (j.workload) out[j.workload] = j;
    else if (j.error) throw new Error(`${label}: ${j.error}`);
  }
  for (const w of workloads) {
    if (!out[w]) {
      out[w] = { error: `${label}: no result (exit ${p.code}) ${p.stderr.trim().slice(-400)}` };
    }
    if (out[w].error) log(`  ! ${label} ${w}: ${out[w].error}`);
  }
  return out;
}

async function memoryOf(rt, impl) {
  const server = await startServer(rt, impl);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const before = await server.ask("mem");
    const client = new Proc(NODE, [
      "bench/load_client.mjs",
      "--port",
      String(server.echoPort),
      "--connect",
      String(SESSIONS),
    ], `${rt} memory client`);
    try {
      await client.waitLine((l) => l.includes('"connected"'), 60000);
      const deadline = Date.now() + 30000;
      let conns = 0;
      while (Date.now() < deadline) {
        conns = (await server.ask("conns")).conns;
        if (conns >= SESSIONS) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      const after = await server.ask("mem", 30000);
      const n = after.conns - before.conns;
      if (n < SESSIONS) log(`  ! ${rt} ${impl}: only ${n} of ${SESSIONS} connections registered`);
      return {
        sessions: n,
        rssPerSession: (after.rss - before.rss) / n,
        heapPerSession: (after.heapUsed - before.heapUsed) / n,
        externalPerSession: (after.external - before.external) / n,
        gc: after.gc,
      };
    } finally {
      client.child.stdin.end();
      await client.finish(5000);
    }
  } finally {
    await server.stop();
  }
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

async function benchRuntime(rt) {
  const spec = RT[rt];
  const server = { cellnet: {}, samework: {}, raw: {} };
  const client = { cellnet: {}, raw: {} };
  const push = (into, impl, res) => {
    for (const [w, r] of Object.entries(res)) (into[impl][w] ??= []).push(r);
  };
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so drift on a noisy machine does not favour one side.
    const order = run % 2 === 0 ? ["cellnet", "raw"] : ["raw", "cellnet"];
    const servers = run % 2 === 0 ? ["cellnet", "samework", "raw"] : ["raw", "samework", "cellnet"];
    for (const impl of servers) {
      if (!ONLY.includes("server") && !(impl === "raw" && ONLY.includes("client"))) continue;
      log(`  [${rt}] run ${run + 1}/${RUNS}: ${impl} server`);
      const srv = await startServer(rt, impl);
      try {
        if (ONLY.includes("server")) {
          // The same-work server has no broadcast side.
          const workloads = impl === "samework"
            ? SERVER_WORKLOADS.filter((w) => w !== "D")
            : SERVER_WORKLOADS;
          const res = await runClient(
            NODE,
            [
              "bench/load_client.mjs",
              "--port",
              String(srv.echoPort),
              "--bport",
              String(srv.bcastPort),
            ],
            workloads,
            `load client vs ${rt} ${impl}`,
          );
          push(server, impl, res);
        }
        if (impl === "raw" && ONLY.includes("client")) {
          for (const cimpl of order) {
            log(`  [${rt}] run ${run + 1}/${RUNS}: ${cimpl} client`);
            const [cmd, args] = cimpl === "cellnet" ? spec.cellnetClient : spec.rawClient;
            const res = await runClient(
              cmd,
              [...args, "--port", String(srv.echoPort)],
              CLIENT_WORKLOADS,
              `${rt} ${cimpl} client`,
            );
            push(client, cimpl, res);
          }
        }
      } finally {
        await srv.stop();
      }
    }
  }
  const memory = { cellnet: [], raw: [] };
  if (ONLY.includes("memory")) {
    for (let run = 0; run < MEM_RUNS; run++) {
      for (const impl of run % 2 === 0 ? ["cellnet", "raw"] : ["raw", "cellnet"]) {
        log(`  [${rt}] memory ${run + 1}/${MEM_RUNS}: ${SESSIONS} idle ${impl} sessions`);
        try {
          memory[impl].push(await memoryOf(rt, impl));
        } catch (e) {
          log(`  ! ${rt} ${impl} memory: ${e.message}`);
        }
      }
    }
  }
  const inprocess = ONLY.includes("inprocess") ? await inprocessOf(rt) : undefined;
  // Medians per field.
  const summarize = (byImpl, workloads) => {
    const out = {};
    for (const w of workloads) {
      const row = {};
      for (const impl of Object.keys(byImpl)) {
        const runs = byImpl[impl][w];
        if (runs === undefined) continue;
        row[impl] = {
          rate: median(runs.map((r) => r.rate)),
          p50us: median(runs.map((r) => r.p50us)),
          p99us: median(runs.map((r) => r.p99us)),
          runs: runs.map((r) => (r.error ? { error: r.error } : Math.round(r.rate))),
        };
      }
      row.ratio = row.cellnet?.rate && row.raw?.rate ? row.cellnet.rate / row.raw.rate : undefined;
      row.ratioSamework = row.cellnet?.rate && row.samework?.rate
        ? row.cellnet.rate / row.samework.rate
        : undefined;
      out[w] = row;
    }
    return out;
  };
  const mem = {};
  for (const impl of ["cellnet", "raw"]) {
    mem[impl] = {
      sessions: median(memory[impl].map((m) => m.sessions)),
      rssPerSession: median(memory[impl].map((m) => m.rssPerSession)),
      heapPerSession: median(memory[impl].map((m) => m.heapPerSession)),
      runs: memory[impl].map((m) => Math.round(m.rssPerSession)),
    };
  }
  // The WebSocket section (bench/ws_bench.mjs) reuses this file's process and client helpers.
  const ws = ONLY.includes("ws")
    ? await benchWs(rt, {
      Proc,
      runClient,
      memoryOf,
      median,
      log,
      NODE,
      DENO,
      BUN,
      RUNS,
      MEM_RUNS,
      SESSIONS,
    }, {
      tcpMemory: ONLY.includes("memory") ? mem.cellnet : undefined,
    })
    : undefined;
  return {
    server: ONLY.includes("server") ? summarize(server, SERVER_WORKLOADS) : undefined,
    client: ONLY.includes("client") ? summarize(client, CLIENT_WORKLOADS) : undefined,
    memory: ONLY.includes("memory") ? mem : undefined,
    inprocess,
    ws,
  };
}

/**
 * The per-message path in process (bench/inprocess.ts), pinned like the
 * rest: once with only TestEchoACK ever seen ("mono"), once after 8 other
 * message types went through the same call sites ("poly"). Medians of RUNS
 * processes.
 */
async function inprocessOf(rt) {
  const [cmd, args] = RT[rt].inprocess;
  const extra = QUICK ? ["--trials", "3", "--messages", "100000"] : [];
  const out = {};
  for (const [label, types] of [["mono", 0], ["poly", 8]]) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      log(`  [${rt}] in-process ${label} ${run + 1}/${RUNS}`);
      const p = new Proc(cmd, [...args, ...extra, "--types", String(types)], `${rt} in-process`);
      try {
        const { line } = await p.waitLine((l) => l.startsWith("{"), 120000);
        runs.push(JSON.parse(line));
      } catch (e) {
        log(`  ! ${rt} in-process ${label}: ${e.message}`);
      } finally {
        await p.finish(5000);
      }
    }
    out[label] = {
      nsPerMessage: median(runs.map((r) => r.nsPerMessage)),
      bytesPerMessage: median(runs.map((r) => r.bytesPerMessage)),
      decodeNs: median(runs.map((r) => r.decodeNs)),
      encodeNs: median(runs.map((r) => r.encodeNs)),
      runs: runs.map((r) => Math.round(r.nsPerMessage * 10) / 10),
    };
  }
  return out;
}

/** A free TCP port on 127.0.0.1 (bound and released; an external server takes it next). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts on `port`, within `ms`. */
async function waitForPort(port, ms, proc) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port });
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (proc.code !== undefined) {
      throw new Error(`${proc.label} exited (${proc.code}) ${proc.stderr.trim().slice(-600)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${proc.label}: nothing listening on ${port} after ${ms} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An --extra server: started per run through `sh -c` (pinned), measured with A, B, C. */
async function benchExtra(extra) {
  const runs = {};
  for (let run = 0; run < RUNS; run++) {
    const port = await freePort();
    const command = extra.command.replaceAll("{port}", String(port));
    log(`  [${extra.name}] run ${run + 1}/${RUNS}: ${command}`);
    const p = new Proc("sh", ["-c", command], `${extra.name} server`);
    try {
      // Generous: `go run` may compile first.
      await waitForPort(port, 120000, p);
      const res = await runClient(
        NODE,
        ["bench/load_client.mjs", "--port", String(port)],
        EXTRA_WORKLOADS,
        `load client vs ${extra.name}`,
      );
      for (const [w, r] of Object.entries(res)) (runs[w] ??= []).push(r);
    } finally {
      p.kill();
      await p.finish(2000);
    }
  }
  const out = { command: extra.command };
  for (const w of EXTRA_WORKLOADS) {
    const rs = runs[w] ?? [];
    out[w] = {
      rate: median(rs.map((r) => r.rate)),
      p50us: median(rs.map((r) => r.p50us)),
      p99us: median(rs.map((r) => r.p99us)),
      runs: rs.map((r) => (r.error ? { error: r.error } : Math.round(r.rate))),
    };
  }
  return out;
}

// ---- output ----
function fmtRate(v) {
  if (v === undefined) return "—";
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return v.toFixed(0);
}
const fmtRatio = (v) => (v === undefined ? "—" : `${v.toFixed(2)}×`);
const fmtKB = (v) => (v === undefined ? "—" : `${(v / 1024).toFixed(1)} KB`);
const fmtLat = (
  r,
) => (r.p50us === undefined ? "—" : `${r.p50us.toFixed(0)} / ${r.p99us.toFixed(0)}`);

const LABELS = {
  A: "A ping-pong (1 conn, 1 in flight), round trips/s",
  B: "B pipelined (1 conn × 256), frames/s",
  C: "C fan-in (16 conns × 64), frames/s",
  D: "D broadcast (100 clients), deliveries/s",
};

/** Markdown table; the first column left-aligned, the others right-aligned. */
function mdTable(rows) {
  const n = rows[0].length;
  const w = [...Array(n).keys()].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(" | ")} |`;
  const sep = `|${
    w.map((x, i) => (i === 0 ? "-".repeat(x + 2) : `${"-".repeat(x + 1)}:`)).join("|")
  }|`;
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join("\n");
}

const fmtNs = (v) => (v === undefined || v === null ? "—" : v.toFixed(0));

function table(rt, res) {
  const rows = [["", "cellnet-ts", "same-work", "raw", "÷ same-work", "÷ raw"]];
  const rate = (r) => fmtRate(r?.rate);
  if (res.server) {
    for (const w of SERVER_WORKLOADS) {
      const r = res.server[w];
      rows.push([
        `server ${LABELS[w]}`,
        rate(r.cellnet),
        rate(r.samework),
        rate(r.raw),
        fmtRatio(r.ratioSamework),
        fmtRatio(r.ratio),
      ]);
      if (w === "A") {
        rows.push([
          "  A p50 / p99 µs",
          fmtLat(r.cellnet),
          r.samework ? fmtLat(r.samework) : "—",
          fmtLat(r.raw),
          "",
          "",
        ]);
      }
    }
  }
  if (res.client) {
    for (const w of CLIENT_WORKLOADS) {
      const r = res.client[w];
      rows.push([`client ${LABELS[w]}`, rate(r.cellnet), "—", rate(r.raw), "", fmtRatio(r.ratio)]);
      if (w === "A") rows.push(["  A p50 / p99 µs", fmtLat(r.cellnet), "—", fmtLat(r.raw), "", ""]);
    }
  }
  if (res.memory) {
    const m = res.memory;
    const ratio = (a, b) => (a !== undefined && b ? fmtRatio(a / b) : "—");
    rows.push([
      `memory, ${m.cellnet.sessions ?? "?"} idle sessions: RSS / session`,
      fmtKB(m.cellnet.rssPerSession),
      "—",
      fmtKB(m.raw.rssPerSession),
      "",
      ratio(m.cellnet.rssPerSession, m.raw.rssPerSession),
    ]);
    rows.push([
      "memory: JS heap / session",
      fmtKB(m.cellnet.heapPerSession),
      "—",
      fmtKB(m.raw.heapPerSession),
      "",
      ratio(m.cellnet.heapPerSession, m.raw.heapPerSession),
    ]);
  }
  const out = [`### ${RT[rt].label}`];
  if (rows.length > 1) out.push("", mdTable(rows));
  const ip = res.inprocess;
  if (ip) {
    const irows = [[
      "in process, per message (fake transport, 256 frames a chunk)",
      "ns",
      "bytes allocated",
      "decode ns",
      "encode ns",
    ]];
    for (
      const [label, what] of [["mono", "only TestEchoACK seen"], ["poly", "after 8 other types"]]
    ) {
      const r = ip[label];
      if (!r) continue;
      irows.push([
        `echo path, ${what}`,
        fmtNs(r.nsPerMessage),
        r.bytesPerMessage === null || r.bytesPerMessage === undefined
          ? "n/a"
          : r.bytesPerMessage.toFixed(0),
        fmtNs(r.decodeNs),
        fmtNs(r.encodeNs),
      ]);
    }
    out.push("", mdTable(irows));
  }
  if (res.ws) out.push("", wsTable(RT[rt].label, res.ws, { fmtRate, fmtRatio, fmtKB, fmtLat }));
  return out.join("\n");
}

/** External servers (--extra): their rates, and each runtime's cellnet-ts and raw over them. */
function extrasTable(extras, results) {
  const rts = Object.keys(results).filter((rt) => results[rt].server);
  const out = [];
  for (const [name, ex] of Object.entries(extras)) {
    const rows = [[
      "",
      name,
      ...rts.flatMap((
        rt,
      ) => [`${RT[rt].label} cellnet-ts ÷ ${name}`, `${RT[rt].label} raw ÷ ${name}`]),
    ]];
    for (const w of EXTRA_WORKLOADS) {
      const e = ex[w];
      const over = (v) => (v !== undefined && e?.rate ? fmtRatio(v / e.rate) : "—");
      rows.push([
        `server ${LABELS[w]}`,
        fmtRate(e?.rate),
        ...rts.flatMap((
          rt,
        ) => [over(results[rt].server[w].cellnet?.rate), over(results[rt].server[w].raw?.rate)]),
      ]);
    }
    out.push(`### ${name} (external: \`${ex.command}\`)`, "", mdTable(rows), "");
  }
  return out.join("\n");
}

function printTables(meta, results, extras) {
  const { versions } = meta;
  console.log(`\ncellnet-ts vs raw sockets — ${meta.date}`);
  console.log(
    `machine: ${meta.machine.cpu}, ${meta.machine.cores} cores; Node ${versions.node}, ${
      versions.deno.replace(/\s*\(.*/, "")
    }, Bun ${versions.bun}`,
  );
  console.log(
    `load client: ${meta.config.loadClient}, separate process; ${meta.config.pinned}; medians of ${meta.config.runs} run(s) of ${meta.config.durationMs} ms after ${meta.config.warmupMs} ms warm-up; ÷ same-work = cellnet-ts / hand-written same-work echo, ÷ raw = cellnet-ts / zero-work raw echo\n`,
  );
  for (const rt of Object.keys(results)) console.log(table(rt, results[rt]) + "\n");
  if (extras && Object.keys(extras).length > 0) console.log(extrasTable(extras, results));
  if (meta.elapsedSeconds !== undefined) console.log(`elapsed ${meta.elapsedSeconds} s`);
}

async function main() {
  const render = opt("render", undefined);
  if (render !== undefined) {
    const saved = JSON.parse(readFileSync(render, "utf8"));
    printTables(saved, saved.results, saved.extras);
    return;
  }
  const started = Date.now();
  const cpus = os.cpus();
  const versions = {
    node: process.version,
    deno: version(DENO, ["--version"]),
    bun: version(BUN, ["--version"]),
  };
  const meta = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? "unknown",
      cores: cpus.length,
      os: `${os.type()} ${os.release()}`,
      memGB: Math.round(os.totalmem() / 2 ** 30),
    },
    versions,
    config: {
      quick: QUICK,
      runs: RUNS,
      warmupMs: WARMUP,
      durationMs: DURATION,
      sessions: SESSIONS,
      memRuns: MEM_RUNS,
      pinned: hasTaskset ? "taskset -c 0" : "unpinned",
      loadClient: `Node ${process.version}`,
    },
  };
  log(`cellnet-ts benchmark ${meta.date}`);
  log(`machine: ${meta.machine.cpu}, ${meta.machine.cores} cores, ${meta.machine.os}`);
  log(`versions: Node ${versions.node}; ${versions.deno}; Bun ${versions.bun}`);
  log(`runs ${RUNS}, warmup ${WARMUP} ms, measure ${DURATION} ms, ${meta.config.pinned}`);
  const results = {};
  for (const rt of RUNTIMES) {
    log(`\n== ${RT[rt].label}`);
    results[rt] = await benchRuntime(rt);
    if (!JSON_OUT) log("\n" + table(rt, results[rt]) + "\n");
  }
  const extras = {};
  for (const extra of EXTRAS) {
    log(`\n== ${extra.name} (external)`);
    try {
      extras[extra.name] = await benchExtra(extra);
    } catch (e) {
      log(`  ! ${extra.name}: ${e.message}`);
      extras[extra.name] = { command: extra.command, error: e.message };
    }
  }
  meta.elapsedSeconds = Math.round((Date.now() - started) / 1000);
  const saved = { ...meta, results, extras };
  try {
    const dir = join(root, ".bench-results");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `bench-${meta.date.replace(/[:.]/g, "-")}${QUICK ? "-quick" : ""}.json`);
    writeFileSync(file, JSON.stringify(saved, null, 2) + "\n");
    log(`saved ${file}`);
  } catch (e) {
    log(`could not save the result: ${e.message}`);
  }
  if (JSON_OUT) console.log(JSON.stringify(saved, null, 2));
  else printTables(meta, results, extras);
}

main().then(
  () => {
    killAll();
    process.exit(0);
  },
  (e) => {
    log("bench failed:", e);
    killAll();
    process.exit(1);
  },
);
