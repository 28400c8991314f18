/**
 * `GoLogger`: a {@link Logger} that writes golog's line shape, so a
 * cellnet-ts process logs like a Go cellnet one:
 * `[DEBU] tcpproc 2024/05/01 12:00:00 #tcp.recv(server)@1 len: 11 …`.
 *
 * @module
 */
import type { Logger, LogLevel } from "../log.ts";

/** Options of {@link GoLogger}. */
export interface GoLoggerOptions {
  /**
   * Colour lines as cellnet's colour scheme does (recv blue, send purple,
   * warn yellow, error red). Off by default: turn it on only for a terminal
   * (an example does `color: process.stdout.isTTY`).
   */
  readonly color?: boolean;
  /** Lowest level written; default `debug` (golog's default). */
  readonly level?: LogLevel;
  /** Where each line goes (without newline); default `console.log`, stdout as golog. */
  readonly write?: (line: string) => void;
  /** The clock, for tests; default `new Date()`. Local time, as golog. */
  readonly now?: () => Date;
}

const LEVELS: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

// golog's ANSI prefixes, and cellnet's msglog/logcolor.go rules: the first
// rule whose text the line contains picks the colour.
const BLUE = "\x1b[034m";
const PURPLE = "\x1b[035m";
const RESET = "\x1b[0m";
const COLOR_RULES: readonly (readonly [string, string])[] = [
  ["panic:", "\x1b[031m"],
  ["[DB]", "\x1b[032m"],
  ...["http", "tcp", "ws", "udp", "rpc", "relay", "agent"].flatMap((p) =>
    [
      [`#${p}.listen`, BLUE],
      [`#${p}.accepted`, BLUE],
      [`#${p}.closed`, BLUE],
      [`#${p}.recv`, BLUE],
      [`#${p}.send`, PURPLE],
      [`#${p}.connected`, BLUE],
    ] as const
  ),
];

/**
 * golog-shaped lines from a named logger: `[LEVEL] name YYYY/MM/DD HH:MM:SS text`.
 *
 * @example The message log of one peer, golog style
 * ```ts
 * import { msglog, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ name: "server", address: "127.0.0.1:0" });
 * msglog.enable(acceptor, { logger: (name) => new msglog.GoLogger(name, { color: false }) });
 * new msglog.GoLogger("demo").info("hello"); // [INFO] demo 2024/05/01 12:00:00 hello
 * ```
 */
export class GoLogger implements Logger {
  /** The logger's name, the second part of each line (`tcpproc`, `rpc`, `relay`). */
  readonly name: string;
  readonly #color: boolean;
  readonly #min: number;
  readonly #write: (line: string) => void;
  readonly #now: () => Date;

  /** Create a logger named `name`. */
  constructor(name: string, options: GoLoggerOptions = {}) {
    this.name = name;
    this.#color = options.color ?? false;
    this.#min = LEVELS[options.level ?? "debug"];
    this.#write = options.write ?? ((line) => console.log(line));
    this.#now = options.now ?? (() => new Date());
  }

  /** A `[DEBU]` line. */
  debug(message: string): void {
    if (this.#min <= 0) this.#line("[DEBU]", message, "");
  }

  /** An `[INFO]` line. */
  info(message: string): void {
    if (this.#min <= 1) this.#line("[INFO]", message, "");
  }

  /** A `[WARN]` line (yellow with colour); the error's message follows the text. */
  warn(message: string, error?: unknown): void {
    if (this.#min <= 2) this.#line("[WARN]", withError(message, error), "\x1b[033m");
  }

  /** An `[ERRO]` line (red with colour); the error's message follows the text. */
  error(message: string, error?: unknown): void {
    if (this.#min <= 3) this.#line("[ERRO]", withError(message, error), "\x1b[031m");
  }

  #line(level: string, text: string, levelColor: string): void {
    const line = `${level} ${this.name} ${stamp(this.#now())} ${text}`;
    if (!this.#color) return this.#write(line);
    const color = levelColor || COLOR_RULES.find(([t]) => text.includes(t))?.[1];
    this.#write(color ? color + line + RESET : line);
  }
}

function withError(message: string, error: unknown): string {
  if (error === undefined) return message;
  return `${message} ${error instanceof Error ? error.message : String(error)}`;
}

function stamp(d: Date): string {
  const p = (n: number) => (n < 10 ? "0" : "") + n;
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
