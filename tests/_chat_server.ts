// examples/chat/server.ts as a child process on this runtime, on ephemeral
// ports, with the Deno permissions the README gives it.
import { Proc } from "./_proc.ts";

/** The Deno command's permissions: reading the page's files, and the network. */
export const CHAT_SERVER_DENO = ["--allow-net", "--allow-read"] as const;

/** A running chat server and the ports it got. */
export interface ChatServer {
  readonly proc: Proc;
  readonly tcpPort: number;
  readonly wsPort: number;
}

/** Start the chat server on 127.0.0.1 port 0 for TCP and for WebSocket (path /chat). */
export async function startChatServer(): Promise<ChatServer> {
  const proc = new Proc("examples/chat/server.ts", ["127.0.0.1:0", "http://127.0.0.1:0/chat"], {
    deno: CHAT_SERVER_DENO,
  });
  try {
    const tcpPort = Number((await proc.waitFor(/listening on 127\.0\.0\.1:(\d+)\n/, 20_000))[1]);
    const wsPort = Number(
      (await proc.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)\/chat\n/))[1],
    );
    return { proc, tcpPort, wsPort };
  } catch (e) {
    await proc.stop();
    throw e;
  }
}
