/**
 * Hookers: cellnet's `EventHooker`, a chain that may inspect, replace or
 * swallow events on their way in (before the handler) and out (before the
 * transmitter). rpc, relay and the message log are hookers.
 *
 * @module
 */
import type { Event } from "./event.ts";

/** Inspect or transform events; return `undefined` to swallow one. */
export interface EventHooker {
  /** An inbound message or system event, before the handler sees it. */
  onInboundEvent?(event: Event): Event | undefined;
  /** An outbound message, before it is encoded. */
  onOutboundEvent?(event: Event): Event | undefined;
}

/**
 * Run several hookers in order, stopping when one swallows the event
 * (cellnet's `NewMultiHooker`).
 */
export class MultiHooker implements EventHooker {
  readonly #hookers: readonly EventHooker[];

  /** Chain `hookers`; inbound and outbound both run in the given order. */
  constructor(...hookers: EventHooker[]) {
    this.#hookers = hookers;
  }

  /** Pass `event` through every hooker's inbound hook. */
  onInboundEvent(event: Event): Event | undefined {
    let ev: Event | undefined = event;
    for (const h of this.#hookers) {
      if (!h.onInboundEvent) continue;
      ev = h.onInboundEvent(ev);
      if (!ev) return undefined;
    }
    return ev;
  }

  /** Pass `event` through every hooker's outbound hook. */
  onOutboundEvent(event: Event): Event | undefined {
    let ev: Event | undefined = event;
    for (const h of this.#hookers) {
      if (!h.onOutboundEvent) continue;
      ev = h.onOutboundEvent(ev);
      if (!ev) return undefined;
    }
    return ev;
  }
}
