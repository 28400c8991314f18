/**
 * Logging: a four-level {@link Logger} interface and a console-backed default,
 * so a server can route cellnet-ts's log lines into its own logger.
 *
 * @module
 */

/** Log levels in increasing severity; `silent` logs nothing. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Where cellnet-ts writes what happened: session closes, protocol errors, handler errors. */
export interface Logger {
  /** Detail for debugging (per-session chatter). */
  debug(message: string): void;
  /** Normal lifecycle: listening, connected. */
  info(message: string): void;
  /** Something went wrong with one session: bad input, timeouts. */
  warn(message: string, error?: unknown): void;
  /** A bug or failure outside one session's control: a handler threw. */
  error(message: string, error?: unknown): void;
}

const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/**
 * Create a logger that writes to `console.error` (stderr, so a program's own
 * output on stdout stays clean) at or above `level`.
 *
 * @example Quieter logs
 * ```ts
 * import { consoleLogger, setDefaultLogger } from "@cellnet/cellnet";
 * setDefaultLogger(consoleLogger("warn"));
 * ```
 */
export function consoleLogger(level: LogLevel = "info"): Logger {
  const min = order[level];
  const stamp = () => new Date().toISOString();
  return {
    debug: (m) => {
      if (min <= 0) console.error(`${stamp()} DEBU ${m}`);
    },
    info: (m) => {
      if (min <= 1) console.error(`${stamp()} INFO ${m}`);
    },
    warn: (m, e) => {
      if (min <= 2) console.warn(`${stamp()} WARN ${m}`, ...(e === undefined ? [] : [e]));
    },
    error: (m, e) => {
      if (min <= 3) console.error(`${stamp()} ERRO ${m}`, ...(e === undefined ? [] : [e]));
    },
  };
}

let defaultLogger: Logger = consoleLogger("info");

/**
 * The logger peers use when none is given in their options.
 *
 * @example
 * ```ts
 * import { getDefaultLogger } from "@cellnet/cellnet";
 * getDefaultLogger().info("starting");
 * ```
 */
export function getDefaultLogger(): Logger {
  return defaultLogger;
}

/**
 * Replace the logger peers use when none is given in their options.
 *
 * @example Route cellnet-ts's lines into your own logger
 * ```ts
 * import { setDefaultLogger } from "@cellnet/cellnet";
 * setDefaultLogger({
 *   debug: () => {},
 *   info: (m) => console.log(m),
 *   warn: (m, e) => console.warn(m, e ?? ""),
 *   error: (m, e) => console.error(m, e ?? ""),
 * });
 * ```
 */
export function setDefaultLogger(logger: Logger): void {
  defaultLogger = logger;
}
