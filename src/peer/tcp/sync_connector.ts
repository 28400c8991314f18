/**
 * `tcp.SyncConnector`: a connector whose `start()` resolves once connected
 * and rejects when the dial fails (cellnet's `peer/tcp/syncconnector.go`).
 *
 * @module
 */
import { ConnectError } from "../../errors.ts";
import { type ConnectorOptions, TCPConnector } from "./connector.ts";

/** Options of {@link TCPSyncConnector}: those of a connector without reconnect. */
export type SyncConnectorOptions = Omit<ConnectorOptions, "reconnectIntervalMs">;

/**
 * Connect and wait. On failure `start()` rejects with the dial's
 * `ConnectError` or `TimeoutError` (and `SessionConnectError` is delivered too).
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, tcp } from "@cellnet/cellnet";
 * const client = new tcp.SyncConnector({ address: "127.0.0.1:17701" });
 * bindProcessorHandler(client, "tcp.ltv", () => {});
 * try {
 *   await client.start();
 *   await client.stop();
 * } catch (e) {
 *   console.error("no server:", (e as Error).message);
 * }
 * ```
 */
export class TCPSyncConnector extends TCPConnector {
  /** Create a sync connector; nothing happens until {@link start}. */
  constructor(options: SyncConnectorOptions) {
    super({ ...options, reconnectIntervalMs: 0 }, "tcp.SyncConnector");
  }

  /** Dial and resolve once connected; reject if the dial fails. */
  override async start(): Promise<this> {
    if (this.isRunning) return this;
    if (!(await this.begin())) {
      throw this.lastConnectError ?? new ConnectError(`connect to ${this.address} failed`);
    }
    return this;
  }
}
