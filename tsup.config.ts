import { defineConfig } from "tsup";

// The npm build: one ESM file per entry, with declarations. The main entry
// loads its runtime adapter with dynamic import(), so adapters stay separate
// chunks; the runtime entries import theirs statically.
export default defineConfig({
  entry: {
    mod: "mod.ts",
    core: "src/entries/core.ts",
    node: "src/entries/node.ts",
    deno: "src/entries/deno.ts",
    bun: "src/entries/bun.ts",
    browser: "src/entries/browser.ts",
  },
  format: ["esm"],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  // node20 in the targets tells esbuild that "node:" imports are understood.
  target: ["es2022", "node20"],
  platform: "neutral",
  // Keep the node: prefix: Deno and Bun resolve "node:net", and bare "net"
  // would be a package name to a browser bundler.
  external: [/^node:/],
  removeNodeProtocol: false,
});
