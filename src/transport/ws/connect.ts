/**
 * The client side of the WebSocket opening handshake on a freshly dialled
 * byte connection: send the upgrade request, check the server's 101 answer
 * and hand back a {@link WSConnection}.
 *
 * @module
 */

import { WebSocketHandshakeError } from "../../errors.ts";
import type { Connection } from "../transport.ts";
import { acceptKey, checkUpgradeResponse, clientRequest } from "./_handshake.ts";
import { HandshakeDriver, type HandshakeOptions } from "./_handshake_driver.ts";
import { type HttpHeadBytes, type HttpResponseHead, parseResponseHead } from "./_http.ts";
import type { WSConnection } from "./ws_connection.ts";

/** Options of {@link connectWebSocket}. */
export interface ConnectWebSocketOptions extends HandshakeOptions {
  /** The Host header: host, plus ":port" unless it is the scheme's default. */
  readonly host: string;
  /** The request target, path and query. Default "/". */
  readonly path?: string;
  /** Extra request header fields (Origin, Authorization, Sec-WebSocket-Protocol...). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Run the client handshake on `conn`, a just-dialled byte connection.
 *
 * Resolves with the {@link WSConnection} once a valid 101 response is read.
 * Rejects with {@link WebSocketHandshakeError} (its `status` is the status
 * received, when one was) for any other answer, with `TimeoutError` after
 * `handshakeTimeoutMs`, and with `TypeError` for a malformed path, host or
 * header; the connection is closed on every rejection.
 *
 * @example Dial a WebSocket echo server and send one message
 * ```ts
 * import { connectWebSocket, loadTransport } from "@cellnet/cellnet";
 *
 * async function dial(port: number) {
 *   const transport = await loadTransport();
 *   const conn = await transport.connect({ host: "127.0.0.1", port });
 *   const ws = await connectWebSocket(conn, { host: `127.0.0.1:${port}`, path: "/echo" });
 *   ws.setHandler({
 *     onData: (message) => console.log("echo of", message.length, "bytes"),
 *     onDrain: () => {},
 *     onClose: (error) => console.log("closed", error?.message ?? "cleanly"),
 *   });
 *   ws.write(new Uint8Array([0x41, 0x12]));
 * }
 * await dial(18802).catch((e) => console.log("no server:", e.message));
 * ```
 */
export function connectWebSocket(
  conn: Connection,
  options: ConnectWebSocketOptions,
): Promise<WSConnection> {
  let request: ReturnType<typeof clientRequest>;
  try {
    request = clientRequest(options.host, options.path ?? "/", options.headers);
  } catch (err) {
    conn.close(false);
    return Promise.reject(err);
  }
  const driver = new ClientHandshake(conn, options, request.key, options.headers);
  const promise = driver.start();
  conn.write(request.bytes);
  return promise;
}

class ClientHandshake extends HandshakeDriver<WSConnection> {
  readonly #accept: Promise<string>;
  readonly #askedProtocol: boolean;

  constructor(
    conn: Connection,
    options: ConnectWebSocketOptions,
    key: string,
    headers: Readonly<Record<string, string>> | undefined,
  ) {
    super(conn, options);
    // Computed while the request travels.
    this.#accept = acceptKey(key);
    // Keep a rejection from being reported unhandled before onHead awaits it.
    this.#accept.catch(() => {});
    this.#askedProtocol = Object.keys(headers ?? {}).some(
      (name) => name.toLowerCase() === "sec-websocket-protocol",
    );
  }

  protected onHeadError(error: WebSocketHandshakeError): void {
    this.fail(
      new WebSocketHandshakeError(`websocket handshake: ${error.message}`, undefined, {
        cause: error,
      }),
    );
  }

  protected onHead({ head }: HttpHeadBytes): void {
    let res: HttpResponseHead;
    try {
      res = parseResponseHead(head);
      // A refusal is judged now: the server may close right behind it, before SHA-1 is done.
      if (res.status !== 101) checkUpgradeResponse(res, "", this.#askedProtocol);
    } catch (err) {
      return this.fail(err instanceof Error ? err : new Error(String(err)));
    }
    this.#accept.then((accept) => {
      if (this.settled) return;
      try {
        checkUpgradeResponse(res, accept, this.#askedProtocol);
        this.succeed({ role: "client", responseHeaders: res.headers });
      } catch (err) {
        this.fail(err instanceof Error ? err : new Error(String(err)));
      }
    }, (err: unknown) => {
      this.fail(
        new WebSocketHandshakeError("websocket handshake: SHA-1 failed", undefined, { cause: err }),
      );
    });
  }
}
