/**
 * cellnet's `msglog`: a line per message sent and received, in cellnet's
 * exact shapes, switched on per peer ({@link enable}), filtered by a
 * process-wide mode and per-message rules ({@link setMsgLogRule}), written
 * to a pluggable {@link Logger} (golog-shaped on stdout by default, colour
 * only when asked for).
 *
 * @example Log a server's traffic, but not its heartbeat
 * ```ts
 * import { bindProcessorHandler, defineMessage, msglog, t, tcp } from "@cellnet/cellnet";
 * defineMessage("msglogdoc.PingACK", { Seq: t.int32 });
 * const acceptor = new tcp.Acceptor({ name: "server", address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", () => {});
 * msglog.enable(acceptor);
 * msglog.setMsgLogRule("msglogdoc.PingACK", msglog.MsgLogRule.BlackList);
 * ```
 *
 * @module
 */
export { disable, enable, isEnabled, type MsgLogOptions } from "./enable.ts";
export { GoLogger, type GoLoggerOptions } from "./go_logger.ts";
export {
  blockMessageLog,
  getCurrMsgLogMode,
  isMsgLogValid,
  MsgLogMode,
  MsgLogRule,
  removeBlockedMessage,
  resetMsgLogRules,
  setCurrMsgLogMode,
  setMsgLogRule,
} from "./rules.ts";
export { messageSize, messageToID, messageToName, messageToString, valueText } from "./text.ts";
