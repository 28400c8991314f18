/**
 * The chat web page, served over plain HTTP on the chat server's WebSocket
 * port: `/` is web/index.html, `/chat.js` its script (web/chat.js, built
 * from web/app.ts by `node scripts/build-web.mjs` and committed, so the
 * server needs no bundler at run time — and Deno only `--allow-read`).
 * Every other path is 404.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import type { HttpRequestHandler, HttpResponse } from "../../mod.ts";

/** Where the page finds the WebSocket path; the server writes the real one in. */
const PATH_META = /<meta name="cellnet-chat-path" content="[^"]*">/;

const escapeAttribute = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function ok(contentType: string, body: string | Uint8Array): HttpResponse {
  return {
    status: 200,
    headers: {
      "Content-Type": contentType,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    },
    body,
  };
}

/**
 * Read the page's files and return the handler that serves them; `wsPath`
 * is the chat's WebSocket path ("/chat"), which the page dials.
 */
export async function chatPageHandler(wsPath: string): Promise<HttpRequestHandler> {
  const [html, script] = await Promise.all([
    readFile(new URL("./web/index.html", import.meta.url), "utf8"),
    readFile(new URL("./web/chat.js", import.meta.url)),
  ]);
  if (!PATH_META.test(html)) throw new Error("web/index.html has no cellnet-chat-path meta tag");
  const page = html.replace(
    PATH_META,
    `<meta name="cellnet-chat-path" content="${escapeAttribute(wsPath)}">`,
  );
  const routes = new Map<string, HttpResponse>([
    ["/", ok("text/html; charset=utf-8", page)],
    ["/chat.js", ok("text/javascript; charset=utf-8", script)],
  ]);
  return (req) => {
    const route = routes.get(req.path);
    if (route === undefined) {
      // The WebSocket path without an upgrade: what the acceptor alone answers there.
      if (req.path === wsPath) {
        return { status: 400, headers: { "Sec-WebSocket-Version": "13" }, body: "Bad Request\n" };
      }
      // Go's http.NotFound body; no fallback to the page for unknown paths.
      return { status: 404, body: "404 page not found\n" };
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return { status: 405, headers: { Allow: "GET, HEAD" }, body: "Method Not Allowed\n" };
    }
    return route;
  };
}
