/**
 * One reading of the runtimes' socket errors, so a refused dial or a reset
 * says the same thing, with the same `code`, on every runtime.
 *
 * Node and Bun put the OS code on `err.code`; Deno does too in Deno 2, and
 * names its error classes after the condition (`AddrInUse`), which covers
 * older versions.
 *
 * @module
 */

/** What each code means, in the words used in messages. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EADDRINUSE: "address already in use",
  EADDRNOTAVAIL: "address not available",
  EAI_AGAIN: "temporary failure in name resolution",
  ECONNABORTED: "connection aborted",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by peer",
  EHOSTUNREACH: "host unreachable",
  EINVAL: "invalid argument",
  EMFILE: "too many open files",
  ENETDOWN: "network is down",
  ENETUNREACH: "network unreachable",
  ENOTCONN: "not connected",
  ENOTFOUND: "host not found",
  EPERM: "operation not permitted",
  EPIPE: "broken pipe",
  ETIMEDOUT: "timed out",
};

/** Deno's error class names for the same conditions. */
const DENO_NAMES: Readonly<Record<string, string>> = {
  AddrInUse: "EADDRINUSE",
  AddrNotAvailable: "EADDRNOTAVAIL",
  BrokenPipe: "EPIPE",
  ConnectionAborted: "ECONNABORTED",
  ConnectionRefused: "ECONNREFUSED",
  ConnectionReset: "ECONNRESET",
  NotConnected: "ENOTCONN",
  PermissionDenied: "EACCES",
  TimedOut: "ETIMEDOUT",
};

/** The OS error code of a runtime's error (`"ECONNREFUSED"`), or undefined if it has none. */
export function osErrorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  // Node's own ERR_* codes (bad arguments) are not the OS's.
  if (typeof code === "string" && /^E(?!RR_)[A-Z0-9_]+$/.test(code)) return code;
  // Node reports a dial to every address of a name as one AggregateError.
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return osErrorCode(inner[0]);
  const name = (err as { name?: unknown }).name;
  if (typeof name === "string" && name in DENO_NAMES) return DENO_NAMES[name];
  const message = (err as { message?: unknown }).message;
  // Deno's resolver failure carries neither a code nor a class of its own.
  if (typeof message === "string" && message.includes("failed to lookup address")) {
    return "ENOTFOUND";
  }
  return undefined;
}

/**
 * Why an operation failed, for the end of a message: `connection refused
 * (ECONNREFUSED)`. The runtime's own wording is used only when the code is
 * unknown, so the same failure reads the same on every runtime.
 */
export function osErrorReason(err: unknown, code = osErrorCode(err)): string {
  const known = code === undefined ? undefined : REASONS[code];
  if (known !== undefined) return `${known} (${code})`;
  let text = err instanceof Error ? err.message || err.name : String(err);
  // Deno appends "(os error 111)", which the code already says.
  text = text.replace(/\s*\(os error \d+\)$/, "");
  return code === undefined || text.includes(code) ? text : `${text} (${code})`;
}
