/**
 * The generic sync connector: a connector whose `start()` resolves once
 * connected and rejects when the dial fails (cellnet's
 * `peer/tcp/syncconnector.go`). `tcp.SyncConnector` is this under cellnet's
 * type name.
 *
 * @module
 */
import { ConnectError } from "../errors.ts";
import { type ConnectorOptions, GenericConnector } from "./connector.ts";

/** Options of a sync connector: those of a connector without reconnect. */
export type SyncConnectorOptions = Omit<ConnectorOptions, "reconnectIntervalMs">;

/**
 * Connect and wait. On failure `start()` rejects with the dial's
 * `ConnectError` or `TimeoutError` (and `SessionConnectError` is delivered
 * too). Concurrent starts share the one dial and its outcome; a `stop()`
 * during the dial makes `start()` reject with `ConnectError`.
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
export class GenericSyncConnector extends GenericConnector {
  /** Create a sync connector of `protocol` registered as `typeName`; nothing happens until {@link start}. */
  constructor(options: SyncConnectorOptions, typeName: string, protocol: string) {
    super({ ...options, reconnectIntervalMs: 0 }, typeName, protocol);
  }

  /** Dial and wait; throws the dial's error. */
  protected override async onStart(current: () => boolean): Promise<void> {
    if (!(await this.beginDialing()) && current()) {
      throw this.lastConnectError ?? new ConnectError(`connect to ${this.address} failed`);
    }
  }

  /** Already connected by the time it runs. */
  protected override onRunning(): void {}

  /** A stop overtook the dial: the start promised a connection it does not have. */
  protected override startInterrupted(): Error {
    return new ConnectError(`connect to ${this.address} stopped before it connected`);
  }
}
