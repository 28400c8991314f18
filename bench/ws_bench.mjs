// The WebSocket section of `npm run bench` (`--only ws`), run by run.mjs for
// each runtime: cellnet-ts gorillaws.ltv (bench/ws_cellnet_server.ts)
// against the runtime's usual WebSocket server (bench/ws_baseline_server.mjs:
// the `ws` package on Node, Bun.serve on Bun, Deno.upgradeWebSocket on
// Deno), both driven by the same Node load client (bench/ws_load_client.mjs)
// in its own process: A ping-pong, B pipelined, C fan-in. Memory: N idle
// WebSockets on each server, and the cellnet-ts figure against the TCP one
// (idle tcp.Acceptor sessions, measured in the memory section or here).

export const WS_WORKLOADS = ["A", "B", "C"];

const BASELINE = { node: "ws package", deno: "Deno.upgradeWebSocket", bun: "Bun.serve" };

/** The commands of the two ws servers on `rt`. */
function servers(rt, ctx) {
  const { NODE, DENO, BUN } = ctx;
  switch (rt) {
    case "node":
      return {
        cellnet: [NODE, ["--expose-gc", "--import", "tsx", "bench/ws_cellnet_server.ts"]],
        baseline: [NODE, ["--expose-gc", "bench/ws_baseline_server.mjs"]],
      };
    case "deno":
      return {
        cellnet: [DENO, ["run", "-A", "--v8-flags=--expose-gc", "bench/ws_cellnet_server.ts"]],
        baseline: [DENO, ["run", "-A", "--v8-flags=--expose-gc", "bench/ws_baseline_server.mjs"]],
      };
    case "bun":
      return {
        cellnet: [BUN, ["bench/ws_cellnet_server.ts"]],
        baseline: [BUN, ["bench/ws_baseline_server.mjs"]],
      };
  }
  throw new Error(`unknown runtime ${rt}`);
}

async function start(ctx, rt, impl) {
  const [cmd, args] = servers(rt, ctx)[impl];
  const p = new ctx.Proc(cmd, args, `${rt} ws ${impl} server`);
  const { line } = await p.waitLine((l) => l.startsWith("READY "), 30000);
  p.port = Number(line.split(" ")[1]);
  return p;
}

async function memoryOf(ctx, rt, impl) {
  const { Proc, NODE, SESSIONS } = ctx;
  const server = await start(ctx, rt, impl);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const before = await server.ask("mem");
    const client = new Proc(NODE, [
      "bench/ws_load_client.mjs",
      "--port",
      String(server.port),
      "--connect",
      String(SESSIONS),
    ], `${rt} ws memory client`);
    try {
      await client.waitLine((l) => l.includes('"connected"'), 120000);
      const deadline = Date.now() + 30000;
      while (Date.now() < deadline) {
        if ((await server.ask("conns")).conns >= SESSIONS) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      const after = await server.ask("mem", 30000);
      const n = after.conns - before.conns;
      if (n < SESSIONS) {
        ctx.log(`  ! ${rt} ws ${impl}: only ${n} of ${SESSIONS} connections registered`);
      }
      return {
        sessions: n,
        rssPerSession: (after.rss - before.rss) / n,
        heapPerSession: (after.heapUsed - before.heapUsed) / n,
      };
    } finally {
      client.child.stdin.end();
      await client.finish(5000);
    }
  } finally {
    await server.stop();
  }
}

/**
 * Run the WebSocket section on `rt`. `tcpMemory` is the memory section's
 * cellnet-ts TCP result when it ran (else it is measured here, if memory is wanted).
 */
export async function benchWs(rt, ctx, { memory = true, tcpMemory } = {}) {
  const { RUNS, MEM_RUNS, NODE, log, median } = ctx;
  const byImpl = { cellnet: {}, baseline: {} };
  for (let run = 0; run < RUNS; run++) {
    for (const impl of run % 2 === 0 ? ["cellnet", "baseline"] : ["baseline", "cellnet"]) {
      log(`  [${rt}] ws run ${run + 1}/${RUNS}: ${impl} server`);
      const srv = await start(ctx, rt, impl);
      try {
        const res = await ctx.runClient(
          NODE,
          ["bench/ws_load_client.mjs", "--port", String(srv.port)],
          WS_WORKLOADS,
          `ws load client vs ${rt} ${impl}`,
        );
        for (const [w, r] of Object.entries(res)) (byImpl[impl][w] ??= []).push(r);
      } finally {
        await srv.stop();
      }
    }
  }
  const out = { baseline: BASELINE[rt], workloads: {} };
  for (const w of WS_WORKLOADS) {
    const row = {};
    for (const impl of ["cellnet", "baseline"]) {
      const runs = byImpl[impl][w] ?? [];
      row[impl] = {
        rate: median(runs.map((r) => r.rate)),
        p50us: median(runs.map((r) => r.p50us)),
        p99us: median(runs.map((r) => r.p99us)),
        runs: runs.map((r) => (r.error ? { error: r.error } : Math.round(r.rate))),
      };
    }
    row.ratio = row.cellnet.rate && row.baseline.rate
      ? row.cellnet.rate / row.baseline.rate
      : undefined;
    out.workloads[w] = row;
  }
  if (memory) {
    const mem = { cellnet: [], baseline: [] };
    for (let run = 0; run < MEM_RUNS; run++) {
      for (const impl of run % 2 === 0 ? ["cellnet", "baseline"] : ["baseline", "cellnet"]) {
        log(`  [${rt}] ws memory ${run + 1}/${MEM_RUNS}: ${ctx.SESSIONS} idle ${impl} WebSockets`);
        try {
          mem[impl].push(await memoryOf(ctx, rt, impl));
        } catch (e) {
          log(`  ! ${rt} ws ${impl} memory: ${e.message}`);
        }
      }
    }
    out.memory = {};
    for (const impl of ["cellnet", "baseline"]) {
      out.memory[impl] = {
        sessions: median(mem[impl].map((m) => m.sessions)),
        rssPerSession: median(mem[impl].map((m) => m.rssPerSession)),
        heapPerSession: median(mem[impl].map((m) => m.heapPerSession)),
        runs: mem[impl].map((m) => Math.round(m.rssPerSession)),
      };
    }
    let tcp = tcpMemory;
    if (tcp?.rssPerSession === undefined) {
      log(`  [${rt}] ws memory: ${ctx.SESSIONS} idle cellnet-ts TCP sessions, for the ratio`);
      try {
        tcp = await ctx.memoryOf(rt, "cellnet");
      } catch (e) {
        log(`  ! ${rt} tcp memory: ${e.message}`);
      }
    }
    out.memory.tcp = { rssPerSession: tcp?.rssPerSession, heapPerSession: tcp?.heapPerSession };
  }
  return out;
}

/** The rows of the ws table: [label, cellnet-ts, baseline, ratio]. */
export function wsRows(ws, { fmtRate, fmtRatio, fmtKB, fmtLat }) {
  const LABELS = {
    A: "ws A ping-pong (1 conn, 1 in flight), round trips/s",
    B: "ws B pipelined (1 conn × 256), messages/s",
    C: "ws C fan-in (16 conns × 64), messages/s",
  };
  const rows = [];
  for (const w of WS_WORKLOADS) {
    const r = ws.workloads[w];
    rows.push([LABELS[w], fmtRate(r.cellnet.rate), fmtRate(r.baseline.rate), fmtRatio(r.ratio)]);
    if (w === "A") rows.push(["  ws A p50 / p99 µs", fmtLat(r.cellnet), fmtLat(r.baseline), ""]);
  }
  const m = ws.memory;
  if (m) {
    const ratio = (a, b) => (a !== undefined && b ? fmtRatio(a / b) : "—");
    rows.push([
      `ws memory, ${m.cellnet.sessions ?? "?"} idle sessions: RSS / session`,
      fmtKB(m.cellnet.rssPerSession),
      fmtKB(m.baseline.rssPerSession),
      ratio(m.cellnet.rssPerSession, m.baseline.rssPerSession),
    ]);
    rows.push([
      "ws memory: JS heap / session",
      fmtKB(m.cellnet.heapPerSession),
      fmtKB(m.baseline.heapPerSession),
      ratio(m.cellnet.heapPerSession, m.baseline.heapPerSession),
    ]);
    rows.push([
      "ws memory: RSS / session vs cellnet-ts TCP (in the cellnet-ts column)",
      fmtKB(m.tcp?.rssPerSession),
      "",
      ratio(m.cellnet.rssPerSession, m.tcp?.rssPerSession),
    ]);
  }
  return rows;
}

/** A markdown table of the ws section. */
export function wsTable(label, ws, fmt) {
  const rows = [["", "cellnet-ts gorillaws", ws.baseline, "ratio"], ...wsRows(ws, fmt)];
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) =>
    `| ${r[0].padEnd(w[0])} | ${r[1].padStart(w[1])} | ${r[2].padStart(w[2])} | ${
      r[3].padStart(w[3])
    } |`;
  const sep = `|${"-".repeat(w[0] + 2)}|${"-".repeat(w[1] + 1)}:|${"-".repeat(w[2] + 1)}:|${
    "-".repeat(w[3] + 1)
  }:|`;
  return [`### ${label} WebSocket`, "", line(rows[0]), sep, ...rows.slice(1).map(line)].join("\n");
}
