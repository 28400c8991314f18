/**
 * Internal: where timer callbacks report their errors when no EventQueue
 * runs them: the process-wide default logger, read at report time.
 *
 * @module
 */
import { getDefaultLogger, type Logger } from "../log.ts";
import type { ErrorReporter } from "../queue/event_queue.ts";

/** Reports to whatever the default logger is when the error happens. */
export const defaultReporter: ErrorReporter = {
  get logger(): Logger {
    return getDefaultLogger();
  },
};
