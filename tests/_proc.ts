// A .ts file run as a real child process on the runtime running the test.
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { detectRuntime } from "../mod.ts";
import { within } from "./_helpers.ts";

const root = new URL("..", import.meta.url).pathname;

/** How to run a file; `deno` is its Deno permissions as the README gives them (default --allow-net). */
export interface ProcOptions {
  readonly deno?: readonly string[];
}

/** The command that runs a .ts file on the current runtime, as the README shows. */
function command(file: string, args: string[], options: ProcOptions): [string, string[]] {
  switch (detectRuntime()) {
    case "deno":
      return [process.execPath, ["run", ...(options.deno ?? ["--allow-net"]), file, ...args]];
    case "bun":
      return [process.execPath, [file, ...args]];
    default:
      return [process.execPath, ["--import", "tsx", file, ...args]];
  }
}

/** A child process running one .ts file, its output collected. */
export class Proc {
  readonly child: ChildProcess;
  out = "";
  err = "";
  readonly exited: Promise<number | null>;
  #wake: (() => void) | undefined;

  constructor(file: string, args: string[], options: ProcOptions = {}) {
    const [cmd, argv] = command(file, args, options);
    this.child = spawn(cmd, argv, {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    this.child.stdout!.on("data", (d) => {
      this.out += d;
      this.#wake?.();
    });
    this.child.stderr!.on("data", (d) => {
      this.err += d;
    });
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
  }

  /** Wait until stdout matches `re`; returns the match. */
  async waitFor(re: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
    const m = this.out.match(re);
    if (m) return m;
    return await within(
      new Promise<RegExpMatchArray>((resolve) => {
        this.#wake = () => {
          const m = this.out.match(re);
          if (m) resolve(m);
        };
      }),
      ms,
      `${re} in output:\n${this.out}\nstderr:\n${this.err}`,
    );
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    await within(this.exited, 5000, "process exit");
  }
}
