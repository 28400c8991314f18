/**
 * Which messages the message log shows: cellnet's `msglog` modes (show all,
 * mute, black list, white list) and per-message rules by full name. Like
 * cellnet's, the mode and the lists are process-wide; whether a peer logs
 * at all is set per peer with `msglog.enable`.
 *
 * @module
 */
import { NotRegisteredError } from "../errors.ts";
import { messageMetaByFullName, registeredMessageMetas } from "../message/meta.ts";

/** How the lists apply (cellnet's `MsgLogMode`, same values). */
export const MsgLogMode = {
  /** Every message, lists ignored. */
  ShowAll: 0,
  /** No message. */
  Mute: 1,
  /** Every message but those on the black list (the default). */
  BlackList: 2,
  /** Only messages on the white list (system events too: they must be listed). */
  WhiteList: 3,
} as const;
/** One of the {@link MsgLogMode} values. */
export type MsgLogMode = typeof MsgLogMode[keyof typeof MsgLogMode];

/** What {@link setMsgLogRule} does with a message (cellnet's `MsgLogRule`, same values). */
export const MsgLogRule = {
  /** Take the message off both lists. */
  None: 0,
  /** Put it on the black list. */
  BlackList: 1,
  /** Put it on the white list. */
  WhiteList: 2,
} as const;
/** One of the {@link MsgLogRule} values. */
export type MsgLogRule = typeof MsgLogRule[keyof typeof MsgLogRule];

const blackList = new Set<number>();
const whiteList = new Set<number>();
let mode: MsgLogMode = MsgLogMode.BlackList;

/**
 * Set the process-wide mode (cellnet's `SetCurrMsgLogMode`).
 *
 * @example Log only what is white-listed
 * ```ts
 * import { msglog } from "@cellnet/cellnet";
 * msglog.setCurrMsgLogMode(msglog.MsgLogMode.WhiteList);
 * msglog.setCurrMsgLogMode(msglog.MsgLogMode.BlackList); // back to the default
 * ```
 */
export function setCurrMsgLogMode(value: MsgLogMode): void {
  mode = value;
}

/**
 * The process-wide mode (cellnet's `GetCurrMsgLogMode`); `BlackList` by default.
 *
 * @example
 * ```ts
 * import { msglog } from "@cellnet/cellnet";
 * console.log(msglog.getCurrMsgLogMode() === msglog.MsgLogMode.BlackList); // true
 * ```
 */
export function getCurrMsgLogMode(): MsgLogMode {
  return mode;
}

/**
 * Put a message on a list, or take it off both, by full name such as
 * `main.TestEchoACK` (cellnet's `SetMsgLogRule`). Throws
 * {@link NotRegisteredError} (cellnet: `msg not found`) for a name no
 * message has.
 *
 * @example Hide the heartbeat
 * ```ts
 * import { defineMessage, msglog, t } from "@cellnet/cellnet";
 * defineMessage("rulesdoc.PingACK", { Seq: t.int32 });
 * msglog.setMsgLogRule("rulesdoc.PingACK", msglog.MsgLogRule.BlackList);
 * ```
 */
export function setMsgLogRule(name: string, rule: MsgLogRule): void {
  const meta = messageMetaByFullName(name);
  if (meta === undefined) throw new NotRegisteredError(`msg not found: '${name}'`);
  switch (rule) {
    case MsgLogRule.BlackList:
      blackList.add(meta.id);
      break;
    case MsgLogRule.WhiteList:
      whiteList.add(meta.id);
      break;
    default:
      blackList.delete(meta.id);
      whiteList.delete(meta.id);
  }
}

/**
 * Whether a message with this id is logged under the current mode and lists
 * (cellnet's `IsMsgLogValid`). Id 0 stands for "no message".
 *
 * @example
 * ```ts
 * import { msglog } from "@cellnet/cellnet";
 * console.log(msglog.isMsgLogValid(4673)); // true by default
 * ```
 */
export function isMsgLogValid(id: number): boolean {
  switch (mode) {
    case MsgLogMode.BlackList:
      return !blackList.has(id);
    case MsgLogMode.WhiteList:
      return whiteList.has(id);
    case MsgLogMode.Mute:
      return false;
    default:
      return true;
  }
}

/**
 * Black-list every registered message whose full name matches `pattern`
 * (cellnet's deprecated `BlockMessageLog`). A string is a regular expression
 * and, as in Go, unanchored: `Echo` matches `main.TestEchoACK`. Returns how
 * many messages matched; a bad pattern string throws the `SyntaxError` of
 * `new RegExp`.
 *
 * @example
 * ```ts
 * import { msglog } from "@cellnet/cellnet";
 * const count = msglog.blockMessageLog(/^nothing\.like\.this$/);
 * console.log(count); // 0
 * ```
 */
export function blockMessageLog(pattern: RegExp | string): number {
  return visitMatching(pattern, (id) => blackList.add(id));
}

/**
 * Take every registered message whose full name matches `pattern` off the
 * black list (cellnet's deprecated `RemoveBlockedMessage`); returns the
 * match count.
 *
 * @example
 * ```ts
 * import { msglog } from "@cellnet/cellnet";
 * msglog.removeBlockedMessage("Echo");
 * ```
 */
export function removeBlockedMessage(pattern: RegExp | string): number {
  return visitMatching(pattern, (id) => blackList.delete(id));
}

function visitMatching(pattern: RegExp | string, fn: (id: number) => unknown): number {
  // A fresh non-global RegExp: test() on a global one keeps lastIndex between names.
  const re = typeof pattern === "string"
    ? new RegExp(pattern)
    : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
  let count = 0;
  for (const meta of registeredMessageMetas()) {
    if (re.test(meta.name)) {
      fn(meta.id);
      count++;
    }
  }
  return count;
}

/**
 * Clear both lists and restore the default mode, for tests.
 *
 * @example
 * ```ts
 * import { msglog } from "@cellnet/cellnet";
 * msglog.resetMsgLogRules();
 * ```
 */
export function resetMsgLogRules(): void {
  blackList.clear();
  whiteList.clear();
  mode = MsgLogMode.BlackList;
}
