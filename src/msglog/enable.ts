/**
 * Turning a peer's message log on and off. Off by default (cellnet logs
 * every message unless its logger is raised above debug); the mode and the
 * per-message rules of `rules.ts` apply to every peer that logs.
 *
 * @module
 */
import type { Peer } from "../cellnet.ts";
import type { Logger } from "../log.ts";
import { GoLogger } from "./go_logger.ts";
import { peerMsgLog } from "./_peer_state.ts";

/** Options of {@link enable}. */
export interface MsgLogOptions {
  /**
   * Where lines go: one {@link Logger} for all of them (lines arrive at
   * `debug`, so a logger above debug level shows none), or a function making
   * one per cellnet logger name (`tcpproc`, `rpc`, `relay`). Default: a
   * {@link GoLogger} per name, golog-shaped lines on stdout.
   */
  readonly logger?: Logger | ((name: string) => Logger);
  /** Colour the default loggers' lines (ignored with `logger`); default false. */
  readonly color?: boolean;
}

/**
 * Log every message `peer` sends and receives, cellnet's lines exactly:
 * `#tcp.recv(server)@1 len: 11 TestEchoACK | {Msg:hello Value:1234}`, the
 * inner message of rpc envelopes as `#rpc.recv`/`#rpc.send`, relays as
 * `#relay.recv`/`#relay.send`. Works on peers bound to a processor with the
 * message hooker (tcp.ltv); may be called before or after binding.
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, msglog, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ name: "server", address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", () => {});
 * msglog.enable(acceptor); // [DEBU] tcpproc 2024/05/01 12:00:00 #tcp.recv(server)@1 …
 * ```
 */
export function enable(peer: Peer, options: MsgLogOptions = {}): void {
  const { logger, color } = options;
  peerMsgLog(peer).enable(
    typeof logger === "function"
      ? logger
      : logger
      ? () => logger
      : (name) => new GoLogger(name, { color }),
  );
}

/**
 * Stop logging `peer`'s messages.
 *
 * @example
 * ```ts
 * import { msglog, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * msglog.enable(acceptor);
 * msglog.disable(acceptor);
 * ```
 */
export function disable(peer: Peer): void {
  peerMsgLog(peer).enabled = false;
}

/**
 * Whether `peer` logs its messages.
 *
 * @example
 * ```ts
 * import { msglog, tcp } from "@cellnet/cellnet";
 * console.log(msglog.isEnabled(new tcp.Acceptor({ address: "127.0.0.1:0" }))); // false
 * ```
 */
export function isEnabled(peer: Peer): boolean {
  return peerMsgLog(peer).enabled;
}
