/**
 * The chat web page's script: the browser side of examples/chat. It dials
 * the page's own server over WebSocket (`gorillaws.Connector` on the
 * platform's WebSocket, from the `./browser` entry), shows each ChatACK as
 * `sid<Id> say: <Content>`, and sends the input line as a ChatREQ on Enter.
 *
 * Bundled to web/chat.js by `node scripts/build-web.mjs` (committed, and a
 * test checks that rebuilding gives the same bytes).
 *
 * @module
 */
import {
  bindProcessorHandler,
  EventQueue,
  gorillaws,
  type Logger,
  MessageDispatcher,
  SessionClosed,
  SessionConnected,
  SessionConnectError,
} from "../../../src/entries/browser.ts";
import { ChatACK, ChatREQ } from "../proto.ts";

// The repo type-checks without the DOM lib (the library must not lean on it);
// these are the few members of it this page uses.
interface DomEvent {
  readonly key?: string;
  readonly isComposing?: boolean;
  preventDefault(): void;
}
interface DomElement {
  textContent: string | null;
  className: string;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  scrollTop: number;
  value: string;
  append(...nodes: DomElement[]): void;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  addEventListener(type: string, listener: (ev: DomEvent) => void): void;
  focus(): void;
}
declare const document: {
  getElementById(id: string): DomElement | null;
  querySelector(selector: string): DomElement | null;
  createElement(tag: string): DomElement;
};
declare const location: { readonly protocol: string; readonly host: string };

function element(id: string): DomElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el;
}

const messages = element("messages");
const status = element("status");
const form = element("form");
const input = element("line");

const path = document.querySelector('meta[name="cellnet-chat-path"]')?.getAttribute("content") ||
  "/";
const address = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;

/** Append one line to the list, keeping it scrolled to the end if it was there. */
function show(text: string, kind: "line" | "notice"): void {
  const atEnd = messages.scrollTop + messages.clientHeight >= messages.scrollHeight - 4;
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  messages.append(item);
  if (atEnd) messages.scrollTop = messages.scrollHeight;
}

function setStatus(state: "connecting" | "connected" | "disconnected", text: string): void {
  status.setAttribute("data-state", state);
  status.textContent = text;
}

// Library log lines go to the console at their own level; none is an error
// unless something is broken.
const logger: Logger = {
  debug: () => {},
  info: (m) => console.info(m),
  warn: (m, e) => console.warn(m, e ?? ""),
  error: (m, e) => console.error(m, e ?? ""),
};

const queue = new EventQueue({ logger }).startLoop();
const connector = new gorillaws.Connector({
  name: "page",
  address,
  queue,
  logger,
  // A restarted server is rejoined; what is typed meanwhile is kept and sent.
  reconnectIntervalMs: 2000,
});

const dispatcher = new MessageDispatcher()
  .on(SessionConnected, () => {
    setStatus("connected", `connected to ${address}`);
    show(`connected to ${address}`, "notice");
  })
  .on(SessionConnectError, () => {
    setStatus("disconnected", `cannot reach ${address}, retrying…`);
  })
  .on(SessionClosed, () => {
    setStatus("disconnected", "disconnected, reconnecting…");
    show("disconnected", "notice");
  })
  .on(ChatACK, (msg) => show(`sid${msg.Id} say: ${msg.Content}`, "line"));
bindProcessorHandler(connector, "gorillaws.ltv", dispatcher.callback);

form.addEventListener("submit", (ev) => {
  // The page never navigates: Enter (or the button) sends the line.
  ev.preventDefault();
  const content = input.value.trim();
  if (content === "") return;
  try {
    if (!connector.session.send(new ChatREQ({ Content: content }))) {
      show("not sent: the connection is closed", "notice");
      return;
    }
  } catch (e) {
    // Too long for a packet, say: say so and keep the line for editing.
    show(`not sent: ${(e as Error)?.message ?? e}`, "notice");
    return;
  }
  input.value = "";
  input.focus();
});

setStatus("connecting", `connecting to ${address}…`);
connector.start().catch((e: unknown) => {
  setStatus("disconnected", `cannot start: ${(e as Error)?.message ?? e}`);
});
input.focus();
