/**
 * The RFC 6455 opening handshake, both sides, as pure functions over parsed
 * heads and bytes: the server's request check and its 101 answer, plain HTTP
 * answers (404, errors, a user handler's response), the client's request and
 * its check of the server's answer.
 *
 * @module
 */

import { WebSocketHandshakeError } from "../../errors.ts";
import type { HttpRequestHead, HttpResponseHead } from "./_http.ts";
import { WEBSOCKET_GUID } from "./_protocol.ts";

/** What a server makes of a request head. */
export type UpgradeCheck =
  /** A valid WebSocket upgrade with its Sec-WebSocket-Key. */
  | { readonly kind: "upgrade"; readonly key: string }
  /** No `Upgrade: websocket` at all: a plain HTTP request. */
  | { readonly kind: "plain" }
  /** An upgrade attempt that breaks RFC 6455 §4.2.1: answer `response`, then close. */
  | {
    readonly kind: "invalid";
    readonly status: number;
    readonly message: string;
    readonly response: Uint8Array;
  };

/** A plain HTTP response: what a request handler returns. */
export interface HttpResponse {
  /** Status code, e.g. 200. */
  readonly status: number;
  /** Extra header fields; Content-Length and Connection are always set by the server. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Body; a string is sent as UTF-8 text/plain unless a Content-Type is given. */
  readonly body?: string | Uint8Array;
}

const encoder = new TextEncoder();
/** A base64 encoding of 16 bytes (RFC 6455 §4.2.1 item 5). */
const KEY = /^[A-Za-z0-9+/]{22}==$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REASONS: Readonly<Record<number, string>> = {
  101: "Switching Protocols",
  200: "OK",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  426: "Upgrade Required",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Whether a comma-separated header value holds `token` (case-insensitive). */
export function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  for (const part of value.split(",")) {
    if (part.trim().toLowerCase() === token) return true;
  }
  return false;
}

/** Classify a request head as a valid upgrade, a plain request or a broken upgrade. */
export function checkUpgradeRequest(req: HttpRequestHead): UpgradeCheck {
  const h = req.headers;
  if (!hasToken(h["upgrade"], "websocket")) return { kind: "plain" };
  const fail = (status: number, message: string, extra?: Record<string, string>): UpgradeCheck => ({
    kind: "invalid",
    status,
    message: `websocket handshake: ${message}`,
    response: httpResponse({ status, headers: extra, body: `${message}\n` }),
  });
  if (req.method !== "GET") return fail(405, `method ${req.method} is not GET`, { Allow: "GET" });
  if (!/^HTTP\/1\.[1-9]$/.test(req.version)) return fail(400, `${req.version} is not HTTP/1.1`);
  if (h["host"] === undefined) return fail(400, "no Host header");
  if (!hasToken(h["connection"], "upgrade")) return fail(400, "Connection header lacks upgrade");
  if (h["sec-websocket-version"] !== "13") {
    // RFC 6455 §4.4: name the version this server speaks.
    return fail(426, "Sec-WebSocket-Version is not 13", { "Sec-WebSocket-Version": "13" });
  }
  const key = h["sec-websocket-key"];
  if (key === undefined || !KEY.test(key)) {
    return fail(400, "Sec-WebSocket-Key is not 16 bytes in base64");
  }
  return { kind: "upgrade", key };
}

/** base64(SHA-1(key + GUID)): the Sec-WebSocket-Accept value for `key`. */
export async function acceptKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", encoder.encode(key + WEBSOCKET_GUID));
  return base64(new Uint8Array(digest));
}

/** The complete 101 response, exactly as a Go gorillaws acceptor writes it. */
export function switchingProtocols(accept: string): Uint8Array {
  return encoder.encode(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
}

/**
 * A complete plain HTTP response that ends the connection (`Connection:
 * close`, with Content-Length). `omitBody` for a HEAD request: the head
 * still announces the body's length.
 *
 * @throws {TypeError} for a status outside 100..599 or a header that would
 * break the head.
 */
export function httpResponse(res: HttpResponse, omitBody = false): Uint8Array {
  const { status } = res;
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new TypeError(`HTTP status must be an integer in 100..599, got ${status}`);
  }
  const body = typeof res.body === "string"
    ? encoder.encode(res.body)
    : (res.body ?? new Uint8Array(0));
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}\r\n`;
  let contentType = false;
  for (const [name, value] of Object.entries(res.headers ?? {})) {
    if (!TOKEN.test(name) || /[\r\n\0]/.test(value)) {
      throw new TypeError(`invalid HTTP header ${JSON.stringify(name)}: ${JSON.stringify(value)}`);
    }
    const lower = name.toLowerCase();
    // The server owns framing: the connection closes after this response.
    if (lower === "content-length" || lower === "connection" || lower === "transfer-encoding") {
      continue;
    }
    if (lower === "content-type") contentType = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!contentType && typeof res.body === "string") {
    head += "Content-Type: text/plain; charset=utf-8\r\n";
  }
  head += `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  const headBytes = encoder.encode(head);
  if (omitBody) return headBytes;
  const out = new Uint8Array(headBytes.length + body.length);
  out.set(headBytes);
  out.set(body, headBytes.length);
  return out;
}

/** What a client sends, and the key it must see accepted. */
export interface ClientRequest {
  /** The request head bytes. */
  readonly bytes: Uint8Array;
  /** The Sec-WebSocket-Key sent (random, 16 bytes in base64). */
  readonly key: string;
}

/**
 * Build a client's upgrade request for `path` on `host` (the Host header
 * value, with the port when not the default), with a fresh random key.
 *
 * @throws {TypeError} for a path not starting with "/" or a header that would break the head.
 */
export function clientRequest(
  host: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
): ClientRequest {
  if (!/^\/[\x21-\x7e]*$/.test(path)) {
    throw new TypeError(`path must start with "/", got ${JSON.stringify(path)}`);
  }
  if (!/^[\x21-\x7e]+$/.test(host)) throw new TypeError(`invalid host ${JSON.stringify(host)}`);
  const key = base64(crypto.getRandomValues(new Uint8Array(16)));
  let head =
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name) || /[\r\n\0]/.test(value)) {
      throw new TypeError(`invalid HTTP header ${JSON.stringify(name)}: ${JSON.stringify(value)}`);
    }
    head += `${name}: ${value}\r\n`;
  }
  return { bytes: encoder.encode(`${head}\r\n`), key };
}

/**
 * Check a server's answer to {@link clientRequest} (RFC 6455 §4.1): 101,
 * `Upgrade: websocket`, `Connection: upgrade`, the accept key for our key, and
 * no extension or subprotocol we did not ask for.
 *
 * @throws {WebSocketHandshakeError} carrying the status received.
 */
export function checkUpgradeResponse(
  res: HttpResponseHead,
  expectedAccept: string,
  askedProtocol: boolean,
): void {
  const fail = (message: string): never => {
    throw new WebSocketHandshakeError(`websocket handshake: ${message}`, res.status);
  };
  const h = res.headers;
  if (res.status !== 101) fail(`expected status 101, got ${res.status} ${res.reason}`.trimEnd());
  if (!hasToken(h["upgrade"], "websocket")) fail("response lacks Upgrade: websocket");
  if (!hasToken(h["connection"], "upgrade")) fail("response lacks Connection: upgrade");
  if (h["sec-websocket-accept"] !== expectedAccept) {
    fail("Sec-WebSocket-Accept does not match the key");
  }
  if ((h["sec-websocket-extensions"] ?? "") !== "") {
    fail("server chose an extension none was offered");
  }
  if (!askedProtocol && (h["sec-websocket-protocol"] ?? "") !== "") {
    fail("server chose a subprotocol none was asked for");
  }
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}
