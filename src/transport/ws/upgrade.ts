/**
 * The server side of the WebSocket opening handshake on a freshly accepted
 * byte connection: read the HTTP request, route it by path as a Go
 * gorillaws acceptor does, answer 101 (or a plain HTTP response) and hand
 * back a {@link WSConnection}.
 *
 * @module
 */

import { WebSocketHandshakeError } from "../../errors.ts";
import type { Connection, NetAddress } from "../transport.ts";
import {
  acceptKey,
  checkUpgradeRequest,
  type HttpResponse,
  httpResponse,
  switchingProtocols,
} from "./_handshake.ts";
import { HandshakeDriver, type HandshakeOptions } from "./_handshake_driver.ts";
import {
  type HttpHeadBytes,
  type HttpHeaders,
  type HttpRequestHead,
  parseRequestHead,
} from "./_http.ts";
import { KeptRequest } from "./_request_info.ts";
import type { WSConnection } from "./ws_connection.ts";

export type { HandshakeOptions, HttpResponse };
export type { HttpHeadLimits } from "./_http.ts";

/** A plain (non-WebSocket) HTTP request, as a request handler sees it. */
export interface HttpRequestInfo {
  /** e.g. "GET". */
  readonly method: string;
  /** The request target as sent, e.g. "/health?full=1". */
  readonly url: string;
  /** Its path, e.g. "/health". */
  readonly path: string;
  /** Its query without "?", "" when none. */
  readonly query: string;
  /** Header fields by lower-cased name. */
  readonly headers: HttpHeaders;
  /** The client's address. */
  readonly remoteAddress: NetAddress;
}

/** Answers plain HTTP requests on a WebSocket port (health checks, a page). */
export type HttpRequestHandler = (req: HttpRequestInfo) => HttpResponse | Promise<HttpResponse>;

/** Options of {@link acceptWebSocket}. */
export interface AcceptWebSocketOptions extends HandshakeOptions {
  /**
   * The route, as a Go `http.ServeMux` pattern: "/echo" matches only that
   * path (any query); "/ws/" matches "/ws/" and everything under it, and
   * "/ws" is redirected there (301); absent (or "/") matches every path.
   */
  readonly path?: string;
  /**
   * Answers requests that are not WebSocket upgrades of the route (a wrong
   * path, no `Upgrade: websocket`). Without it they get 404 (wrong path) or
   * 400 (no upgrade on the route), as from Go.
   */
  readonly onRequest?: HttpRequestHandler;
}

/**
 * Run the server handshake on `conn`, a just-accepted byte connection.
 *
 * Resolves with the {@link WSConnection} once the 101 response is written,
 * or with undefined when `onRequest` answered a plain HTTP request (the
 * connection then closes after the response). Rejects with
 * {@link WebSocketHandshakeError} (its `status` is the HTTP status sent:
 * 301, 400, 404, 405, 426, 431, 500) when the request was answered with an
 * error, or the connection ended early; with `TimeoutError` after
 * `handshakeTimeoutMs`. The connection is closed on every rejection.
 *
 * @example Accept WebSockets on /echo, answer /health over plain HTTP
 * ```ts
 * import { acceptWebSocket, loadTransport } from "@cellnet/cellnet";
 *
 * const transport = await loadTransport();
 * await transport.listen({
 *   host: "127.0.0.1",
 *   port: 0,
 *   onConnection: (conn) => {
 *     acceptWebSocket(conn, {
 *       path: "/echo",
 *       onRequest: (req) =>
 *         req.path === "/health" ? { status: 200, body: "ok\n" } : { status: 404 },
 *     }).then((ws) => {
 *       ws?.setHandler({ onData: (m) => ws.write(m), onDrain: () => {}, onClose: () => {} });
 *     }, (err) => console.log("handshake failed:", err.message));
 *   },
 * });
 * ```
 */
export function acceptWebSocket(
  conn: Connection,
  options: AcceptWebSocketOptions = {},
): Promise<WSConnection | undefined> {
  return new ServerHandshake(conn, options).start();
}

/**
 * How a route pattern treats a path: see {@link AcceptWebSocketOptions.path}.
 *
 * @example Go `http.ServeMux` rules
 * ```ts
 * import { matchRoute } from "@cellnet/cellnet";
 * console.log(matchRoute("/echo", "/echo"), matchRoute("/ws/", "/ws/abc"), matchRoute("/ws/", "/ws"));
 * // match match redirect
 * ```
 */
export function matchRoute(route: string | undefined, path: string): "match" | "redirect" | "none" {
  if (route === undefined || route === "" || route === "/") return "match";
  if (!route.endsWith("/")) return path === route ? "match" : "none";
  if (path.startsWith(route)) return "match";
  return path === route.slice(0, -1) ? "redirect" : "none";
}

class ServerHandshake extends HandshakeDriver<WSConnection | undefined> {
  declare protected readonly options: AcceptWebSocketOptions;

  protected onHeadError(error: WebSocketHandshakeError): void {
    this.#answer(error.status ?? 400, error.message, error);
  }

  protected onHead({ head }: HttpHeadBytes): void {
    let req: HttpRequestHead;
    try {
      req = parseRequestHead(head);
    } catch (err) {
      return this.onHeadError(err as WebSocketHandshakeError);
    }
    const route = matchRoute(this.options.path, req.path);
    if (route !== "match") {
      if (this.options.onRequest !== undefined) return this.#serve(req);
      if (route === "redirect") {
        const location = `${req.path}/${req.query === "" ? "" : `?${req.query}`}`;
        return this.#answer(301, `${req.path} is redirected to ${location}`, undefined, {
          Location: location,
        });
      }
      // Go's http.NotFound body.
      return this.#answer(
        404,
        `no route for ${req.path}`,
        undefined,
        undefined,
        "404 page not found\n",
      );
    }
    const check = checkUpgradeRequest(req);
    if (check.kind === "plain") {
      if (this.options.onRequest !== undefined) return this.#serve(req);
      return this.#answer(400, "websocket handshake: not a websocket upgrade", undefined, {
        "Sec-WebSocket-Version": "13",
      }, "Bad Request\n");
    }
    if (check.kind === "invalid") {
      this.discardRest();
      this.conn.write(check.response);
      this.conn.close(true);
      return this.fail(new WebSocketHandshakeError(check.message, check.status), false);
    }
    acceptKey(check.key).then((accept) => {
      if (this.settled) return;
      this.conn.write(switchingProtocols(accept));
      this.succeed({
        role: "server",
        request: new KeptRequest(req, this.conn.remoteAddress),
      });
    }, (err: unknown) => {
      // crypto.subtle failing is a runtime fault, not the client's.
      this.#answer(500, "websocket handshake: SHA-1 failed", err);
    });
  }

  /** Let the user's handler answer a plain request. */
  #serve(req: HttpRequestHead): void {
    this.discardRest();
    const info: HttpRequestInfo = {
      method: req.method,
      url: req.url,
      path: req.path,
      query: req.query,
      headers: req.headers,
      remoteAddress: this.conn.remoteAddress,
    };
    let pending: Promise<HttpResponse>;
    try {
      pending = Promise.resolve(this.options.onRequest!(info));
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then((res) => {
      if (this.settled) return;
      // Built before anything is written: a malformed response becomes a 500.
      const bytes = httpResponse(res, req.method === "HEAD");
      this.conn.write(bytes);
      this.conn.close(true);
      this.settle(undefined);
    }).catch((err: unknown) => {
      this.#answer(500, "request handler failed", err);
    });
  }

  /** Answer with an HTTP error, close, and reject. */
  #answer(
    status: number,
    message: string,
    cause?: unknown,
    headers?: Record<string, string>,
    body = `${message}\n`,
  ): void {
    if (this.settled) return;
    this.discardRest();
    this.conn.write(httpResponse({ status, headers, body }));
    this.conn.close(true);
    this.fail(new WebSocketHandshakeError(message, status, { cause }), false);
  }
}
