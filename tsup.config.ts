import { defineConfig } from "tsup";

// The npm build: one ESM entry with declarations. Runtime adapters stay
// separate chunks because they are loaded with dynamic import().
export default defineConfig({
  entry: { mod: "mod.ts" },
  format: ["esm"],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  external: ["node:net"],
});
