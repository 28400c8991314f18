// Shared by the bench servers: answers the orchestrator's commands on stdin
// ("mem" -> one JSON line with memory after a full GC; "quit" -> exit), and
// exits when stdin closes so a server never outlives its orchestrator.
import process from "node:process";

/** Best full GC the runtime offers (Node/Deno need --expose-gc). */
export function fullGc() {
  if (typeof globalThis.Bun !== "undefined") {
    globalThis.Bun.gc(true);
    return true;
  }
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
    return true;
  }
  return false;
}

/** Memory of this process, after a GC. */
export function memory() {
  const gc = fullGc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, gc };
}

/** Start reading commands; `conns()` reports the live connection count. */
export function startControl(conns) {
  let line = "";
  process.stdin.setEncoding?.("utf8");
  process.stdin.on("data", (d) => {
    line += String(d);
    let i;
    while ((i = line.indexOf("\n")) >= 0) {
      const cmd = line.slice(0, i).trim();
      line = line.slice(i + 1);
      if (cmd === "mem") {
        // Let pending accepts and closes settle before measuring.
        setTimeout(() => console.log(JSON.stringify({ conns: conns(), ...memory() })), 50);
      } else if (cmd === "conns") {
        console.log(JSON.stringify({ conns: conns() }));
      } else if (cmd === "quit") {
        process.exit(0);
      }
    }
  });
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
}
