/**
 * The examples' command line: positional arguments first, then flags
 * (`--msglog`, `--mode rpc` or `--mode=rpc`).
 *
 * @module
 */
import process from "node:process";

/** Positional arguments and flags of this process. */
export interface Args {
  /** Arguments that are not flags, in order. */
  readonly positional: string[];
  /** `--name value`, `--name=value`, or `--name` alone (value `""`). */
  readonly flags: Map<string, string>;
}

/** Split `process.argv` (after the script) into positional arguments and flags. */
export function parseArgs(
  argv: string[] = process.argv.slice(2),
  valued: string[] = ["mode", "role"],
): Args {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) flags.set(name, a.slice(eq + 1));
    else if (valued.includes(name) && i + 1 < argv.length) flags.set(name, argv[++i]);
    else flags.set(name, "");
  }
  return { positional, flags };
}

/** Whether stdout is a terminal (the message log is coloured only then). */
export function stdoutIsTTY(): boolean {
  return process.stdout.isTTY === true;
}
