#!/usr/bin/env node
// Runs the one test suite on Node, Deno and Bun, one runtime after the other,
// and ends with the line "N passed, N failed" summed over all three.
// Usage: node scripts/test.mjs [node|deno|bun ...]
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const testFiles = readdirSync(join(root, "tests"))
  .filter((f) => f.endsWith(".test.ts"))
  .sort()
  .map((f) => join("tests", f));

// Each runner prints its own summary; these read the counts back from it.
const runners = {
  node: {
    cmd: process.execPath,
    args: ["--import", "tsx", "--test", "--test-reporter=spec", ...testFiles],
    count: (out) => ({
      passed: last(out, /^[ℹ#] pass (\d+)/gm),
      failed: last(out, /^[ℹ#] fail (\d+)/gm),
    }),
  },
  deno: {
    cmd: bin("deno"),
    args: [
      "test",
      "--no-check",
      "--allow-net",
      "--allow-read",
      "--allow-env",
      "--allow-run",
      "--allow-sys",
      ...testFiles,
    ],
    count: (out) => ({
      passed: last(out, /^(?:ok|FAILED) \| (\d+) passed/gm),
      failed: last(out, /^(?:ok|FAILED) \| .*?(\d+) failed/gm),
    }),
  },
  bun: {
    cmd: bin("bun"),
    args: ["test", "--timeout", "30000", ...testFiles.map((f) => "./" + f)],
    count: (out) => ({
      passed: last(out, /^\s*(\d+) pass$/gm),
      failed: last(out, /^\s*(\d+) fail$/gm),
    }),
  },
};

function last(text, re) {
  let value;
  for (const m of text.matchAll(re)) value = Number(m[1]);
  return value;
}

function run(name) {
  const { cmd, args, count } = runners[name];
  return new Promise((resolve) => {
    console.log(`\n=== ${name}: ${[cmd, ...args].join(" ")}`);
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    let out = "";
    const take = (stream, sink) =>
      stream.on("data", (d) => {
        out += d;
        sink.write(d);
      });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    // A hung runtime must not hang CI: every test bounds its own time, this bounds the run.
    const killer = setTimeout(() => {
      console.log(`\n${name}: timed out, killing`);
      child.kill("SIGKILL");
    }, 10 * 60_000);
    child.on("close", (code) => {
      clearTimeout(killer);
      const c = count(out.replace(/\x1b\[[0-9;]*m/g, ""));
      let passed = c.passed ?? 0;
      let failed = c.failed ?? 0;
      // A runner that crashed or printed no summary counts as one failure.
      if (code !== 0 && failed === 0) failed = 1;
      if (c.passed === undefined && c.failed === undefined && code === 0) failed = 1;
      resolve({ name, passed, failed, code });
    });
  });
}

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ["node", "deno", "bun"];
const results = [];
for (const name of wanted) results.push(await run(name));

console.log("\n=== summary");
for (const r of results) {
  console.log(`[${r.name}] pass ${r.passed} / fail ${r.failed} (exit ${r.code})`);
}
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
