/**
 * The upgrade request a server-side WebSocket keeps for its whole life
 * (`WSConnection.request`, session context `"request"`): the request line's
 * parts, and the head as one string whose header fields are parsed again
 * the first time they are read. An idle connection so holds one string
 * rather than a header object and the strings it points into.
 *
 * @module
 */
import type { NetAddress } from "../transport.ts";
import { type HttpHeaders, type HttpRequestHead, parseHeaderText } from "./_http.ts";
import type { WSRequestInfo } from "./ws_connection.ts";

/** A {@link WSRequestInfo} with lazily parsed headers. */
export class KeptRequest implements WSRequestInfo {
  /** The request target as sent. */
  readonly url: string;
  /** Its path. */
  readonly path: string;
  /** Its query without "?". */
  readonly query: string;
  /** The client's address. */
  readonly remoteAddress: NetAddress;
  #text: string | undefined;
  #headers: HttpHeaders | undefined;

  /** Keep what of `req` a connection needs later. */
  constructor(req: HttpRequestHead, remoteAddress: NetAddress) {
    this.url = req.url;
    this.path = req.path;
    this.query = req.query;
    this.remoteAddress = remoteAddress;
    this.#text = req.text;
  }

  /** Header fields by lower-cased name (parsed on first read, then kept). */
  get headers(): HttpHeaders {
    if (this.#headers === undefined) {
      this.#headers = parseHeaderText(this.#text!);
      this.#text = undefined;
    }
    return this.#headers;
  }

  /** A plain object with every field, for logs and `JSON.stringify`. */
  toJSON(): WSRequestInfo {
    const { url, path, query, headers, remoteAddress } = this;
    return { url, path, query, headers, remoteAddress };
  }
}
