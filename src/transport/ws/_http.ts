/**
 * Just enough HTTP/1.1 for a WebSocket handshake: an incremental reader that
 * finds the end of a message head in a byte stream, with its size and header
 * count checked before a byte is buffered, and parsers for a request head
 * (server side) and a response head (client side).
 *
 * Header names are lower-cased; a repeated header's values are joined with
 * ", " (RFC 9110 §5.3). Lines may end in CRLF or a bare LF, as most servers
 * accept. Obsolete line folding is refused.
 *
 * @module
 */

import { WebSocketHandshakeError } from "../../errors.ts";

/** Header fields by lower-cased name (a null-prototype object: any name is safe). */
export type HttpHeaders = Readonly<Record<string, string>>;

/** Limits on a message head; both are checked before bytes are buffered. */
export interface HttpHeadLimits {
  /** Largest head in bytes, start line and blank line included. Default 16 KiB. */
  readonly maxHeaderBytes?: number;
  /** Most header fields. Default 100. */
  readonly maxHeaderCount?: number;
}

/** A parsed request head. */
export interface HttpRequestHead {
  /** The method as sent, e.g. "GET". */
  readonly method: string;
  /** The request target as sent, e.g. "/echo?token=1". */
  readonly url: string;
  /** The target's path, e.g. "/echo" (not percent-decoded). */
  readonly path: string;
  /** The target's query without "?", "" when none. */
  readonly query: string;
  /** e.g. "HTTP/1.1". */
  readonly version: string;
  /** Header fields by lower-cased name. */
  readonly headers: HttpHeaders;
  /**
   * The head's lines joined by "\n", one flat string: what a connection
   * keeps instead of the parsed fields ({@link parseHeaderText} gives them back).
   */
  readonly text: string;
}

/** A parsed response head. */
export interface HttpResponseHead {
  /** e.g. "HTTP/1.1". */
  readonly version: string;
  /** The status code, e.g. 101. */
  readonly status: number;
  /** The reason phrase, e.g. "Switching Protocols". */
  readonly reason: string;
  /** Header fields by lower-cased name. */
  readonly headers: HttpHeaders;
}

/** A complete head and the bytes that followed it in the stream. */
export interface HttpHeadBytes {
  /** The head, up to and including its blank line. */
  readonly head: Uint8Array;
  /** The bytes after the head (a copy: the stream's chunks are transient). */
  readonly rest: Uint8Array;
}

export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
export const DEFAULT_MAX_HEADER_COUNT = 100;

const LF = 0x0a;
const CR = 0x0d;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TARGET = /^[\x21-\x7e]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const VERSION = /^HTTP\/\d\.\d$/;

/** Finds the end of one message head in chunks of a byte stream; see the module documentation. */
export class HttpHeadReader {
  readonly #maxBytes: number;
  readonly #maxFields: number;
  #buf: Uint8Array | undefined;
  #len = 0;
  #lineStart = 0;
  #lines = 0;

  /** Create a reader with the given limits. */
  constructor(limits: HttpHeadLimits = {}) {
    this.#maxBytes = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.#maxFields = limits.maxHeaderCount ?? DEFAULT_MAX_HEADER_COUNT;
  }

  /**
   * Feed the next chunk. Returns the head once its blank line has arrived,
   * undefined while it is incomplete.
   *
   * @throws {WebSocketHandshakeError} status 431 when the head passes a limit.
   */
  push(chunk: Uint8Array): HttpHeadBytes | undefined {
    let end = -1;
    const base = this.#len;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== LF) continue;
      const at = base + i;
      const lineEnd = at > 0 && this.#byteAt(chunk, base, at - 1) === CR ? at - 1 : at;
      if (lineEnd === this.#lineStart) {
        // A blank line: the head ends. (One before the start line is tolerated, RFC 9112 §2.2.)
        if (this.#lines > 0) {
          end = i + 1;
          break;
        }
      } else if (++this.#lines > this.#maxFields + 1) {
        throw new WebSocketHandshakeError(
          `HTTP head has more than ${this.#maxFields} header fields`,
          431,
        );
      }
      this.#lineStart = at + 1;
    }
    const take = end < 0 ? chunk.length : end;
    if (base + take > this.#maxBytes) {
      throw new WebSocketHandshakeError(`HTTP head is over ${this.#maxBytes} bytes`, 431);
    }
    this.#append(chunk.subarray(0, take));
    if (end < 0) return undefined;
    const head = this.#buf!.subarray(0, this.#len);
    return { head, rest: chunk.slice(end) };
  }

  /** Byte `at` of the stream so far: in the buffer below `base`, else in `chunk`. */
  #byteAt(chunk: Uint8Array, base: number, at: number): number {
    return at < base ? this.#buf![at] : chunk[at - base];
  }

  #append(bytes: Uint8Array): void {
    const need = this.#len + bytes.length;
    if (this.#buf === undefined || this.#buf.length < need) {
      const next = new Uint8Array(
        Math.min(this.#maxBytes, Math.max(need, 2 * (this.#buf?.length ?? 512))),
      );
      if (this.#buf !== undefined) next.set(this.#buf.subarray(0, this.#len));
      this.#buf = next;
    }
    this.#buf.set(bytes, this.#len);
    this.#len = need;
  }
}

/**
 * Parse a request head found by {@link HttpHeadReader}.
 *
 * @throws {WebSocketHandshakeError} status 400 when it is malformed.
 */
export function parseRequestHead(head: Uint8Array): HttpRequestHead {
  const lines = splitLines(head);
  const parts = lines[0].split(" ");
  if (parts.length !== 3) throw bad(`malformed request line "${clip(lines[0])}"`);
  const [method, url, version] = parts;
  if (!TOKEN.test(method)) throw bad(`malformed method "${clip(method)}"`);
  if (!TARGET.test(url)) throw bad(`malformed request target "${clip(url)}"`);
  if (!VERSION.test(version)) throw bad(`malformed HTTP version "${clip(version)}"`);
  const [path, query] = splitTarget(url);
  return { method, url, path, query, version, headers: parseFields(lines), text: lines.join("\n") };
}

/** The header fields of a request head's {@link HttpRequestHead.text} (already validated). */
export function parseHeaderText(text: string): HttpHeaders {
  return parseFields(text.split("\n"));
}

/**
 * Parse a response head found by {@link HttpHeadReader}.
 *
 * @throws {WebSocketHandshakeError} (no status) when it is malformed.
 */
export function parseResponseHead(head: Uint8Array): HttpResponseHead {
  const lines = splitLines(head);
  const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (m === null) throw new WebSocketHandshakeError(`malformed status line "${clip(lines[0])}"`);
  return { version: m[1], status: Number(m[2]), reason: m[3] ?? "", headers: parseFields(lines) };
}

/** The head as Latin-1 lines, without line ends, a leading blank line, or the final blank line. */
function splitLines(head: Uint8Array): string[] {
  const lines: string[] = [];
  let line = "";
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === LF) {
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line !== "" || lines.length > 0) lines.push(line);
      line = "";
    } else {
      line += String.fromCharCode(b);
    }
  }
  // The last entry is the blank line that ended the head.
  lines.pop();
  return lines;
}

function parseFields(lines: string[]): HttpHeaders {
  const headers: Record<string, string> = Object.create(null);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    const name = colon < 0 ? "" : line.slice(0, colon);
    // Covers a missing colon, space before it, and obsolete folding (a leading space).
    if (!TOKEN.test(name)) throw bad(`malformed header line "${clip(line)}"`);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!FIELD_VALUE.test(value)) throw bad(`control character in header "${clip(name)}"`);
    const key = name.toLowerCase();
    const prior = headers[key];
    headers[key] = prior === undefined ? value : `${prior}, ${value}`;
  }
  return headers;
}

/** Path and query of a request target in origin form ("/a?b") or absolute form ("http://h/a?b"). */
function splitTarget(url: string): [string, string] {
  let target = url;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const at = url.indexOf("/", url.indexOf("//") + 2);
    target = at < 0 ? "/" : url.slice(at);
  }
  const q = target.indexOf("?");
  return q < 0 ? [target, ""] : [target.slice(0, q), target.slice(q + 1)];
}

function bad(message: string): WebSocketHandshakeError {
  return new WebSocketHandshakeError(message, 400);
}

/** Bound what of the peer's text goes into an error message. */
function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}
