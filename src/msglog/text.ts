/**
 * How the message log prints a message, as cellnet does: its type name
 * without package, its size re-encoded with its codec, and its text
 * (cellnet's `MessageToName`, `MessageSize`, `MessageToString`).
 *
 * @module
 */
import { ByteWriter } from "../codec/byte_writer.ts";
import { closeReasonName } from "../message/close_reason.ts";
import { messageMetaByMsg } from "../message/meta.ts";
import { RelayACK } from "../message/cellnet_messages.ts";
import { SessionClosed } from "../message/sysmsg.ts";
import { compactText, goStruct } from "./_go_text.ts";

/** RelayACK's fields tagged `text:"-"` in cellnet, so its text shows only the pass-through values. */
const RELAY_HIDDEN: ReadonlySet<string> = new Set(["Msg", "MsgID", "Bytes"]);

/**
 * The type name without package (`TestEchoACK` for `main.TestEchoACK`);
 * `""` for no message or an unregistered one (cellnet's `MessageToName`).
 *
 * @example
 * ```ts
 * import { defineMessage, msglog, t } from "@cellnet/cellnet";
 * const Hello = defineMessage("textdoc.Hello", { Text: t.string });
 * console.log(msglog.messageToName(new Hello())); // "Hello"
 * ```
 */
export function messageToName(message: unknown): string {
  const meta = metaOf(message);
  if (meta === undefined) return "";
  return meta.name.slice(meta.name.lastIndexOf(".") + 1);
}

/**
 * The registered id of a message; 0 for no message or an unregistered one
 * (cellnet's `MessageToID`).
 *
 * @example
 * ```ts
 * import { defineMessage, msglog, t } from "@cellnet/cellnet";
 * const Hello = defineMessage("textdoc.IdHello", { Text: t.string });
 * console.log(msglog.messageToID(new Hello()) === Hello.meta.id); // true
 * ```
 */
export function messageToID(message: unknown): number {
  return metaOf(message)?.id ?? 0;
}

/**
 * The length of the message's body re-encoded with its codec; 0 for no
 * message, an unregistered one or one that does not encode. System events
 * count as Go's do: `SessionClosed` 4 (its int32 reason), the others 0
 * (cellnet's `MessageSize`).
 *
 * @example
 * ```ts
 * import { defineMessage, msglog, t } from "@cellnet/cellnet";
 * const Echo = defineMessage("textdoc.Echo", { Msg: t.string, Value: t.int32 });
 * console.log(msglog.messageSize(new Echo({ Msg: "hello", Value: 1234 }))); // 11
 * ```
 */
export function messageSize(message: unknown): number {
  const meta = metaOf(message);
  if (meta === undefined) return 0;
  if (meta.system) return message instanceof SessionClosed ? 4 : 0;
  const out = scratch;
  out.reset();
  try {
    meta.bound.encode(message as object, out);
  } catch {
    return 0;
  }
  return out.pos;
}

// Log lines are written one at a time, so one buffer serves every size count.
const scratch = new ByteWriter(256);

/**
 * The message's text as cellnet's log shows it (cellnet's `MessageToString`):
 * its own `toString()` if its class defines one (Go: a `String()` method);
 * else, for a protoplus message, protoplus's compact text
 * (`MsgID:4660 Data:[0 0] CallID:77 `); else Go's `%+v` of the pointer
 * (`&{Text:plain N:7}`). System events print as Go's (`{}`,
 * `{Reason:Manual}`); no message prints as `""`.
 *
 * @example A message with and without its own text
 * ```ts
 * import { defineMessage, msglog, t } from "@cellnet/cellnet";
 * const Plain = defineMessage("textdoc.PlainACK", { Text: t.string, N: t.int32 });
 * console.log(msglog.messageToString(new Plain({ Text: "plain", N: 7 }))); // &{Text:plain N:7}
 *
 * const Echo = defineMessage("textdoc.TestEchoACK", { Msg: t.string, Value: t.int32 });
 * Echo.prototype.toString = function () {
 *   return msglog.valueText(this); // Go: func (self *TestEchoACK) String() string { return fmt.Sprintf("%+v", *self) }
 * };
 * console.log(msglog.messageToString(new Echo({ Msg: "hello", Value: 1234 }))); // {Msg:hello Value:1234}
 * ```
 */
export function messageToString(message: unknown): string {
  if (message === undefined || message === null) return "";
  if (typeof message !== "object") return String(message);
  const meta = messageMetaByMsg(message);
  if (meta?.system) {
    return message instanceof SessionClosed ? `{Reason:${closeReasonName(message.reason)}}` : "{}";
  }
  if (hasOwnToString(message)) return String(message);
  if (meta?.codec.name === "protoplus") {
    return compactText(
      message,
      meta.fields,
      message instanceof RelayACK ? RELAY_HIDDEN : undefined,
    );
  }
  return "&" + goStruct(message, meta?.fields);
}

/**
 * Go's `%+v` of a message's value: `{Msg:hello Value:1234}`, fields in
 * declaration order. What cellnet's examples return from `String()`, so a
 * class can print the same with `Type.prototype.toString = function () {
 * return msglog.valueText(this); }`.
 *
 * @example
 * ```ts
 * import { defineMessage, msglog, t } from "@cellnet/cellnet";
 * const Move = defineMessage("textdoc.Move", { X: t.int32, Y: t.float32 });
 * console.log(msglog.valueText(new Move({ X: 1, Y: 0.1 }))); // {X:1 Y:0.1}
 * ```
 */
export function valueText(message: object): string {
  return goStruct(message, messageMetaByMsg(message)?.fields);
}

function metaOf(message: unknown) {
  return message !== null && typeof message === "object" ? messageMetaByMsg(message) : undefined;
}

function hasOwnToString(message: object): boolean {
  for (
    let p = Object.getPrototypeOf(message);
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    if (Object.hasOwn(p, "toString")) return true;
  }
  return Object.hasOwn(message, "toString");
}
