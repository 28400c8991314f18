/**
 * `MultiHooker`: cellnet's `NewMultiHooker`, a chain of hookers that may
 * inspect, replace or swallow events on their way in (before the handler)
 * and out (before the transmitter). rpc, relay and the message log are
 * hookers.
 *
 * @module
 */
import type { Event, EventHooker, SendMsgEvent } from "../cellnet.ts";

/**
 * Run several hookers in order, stopping when one swallows the event.
 *
 * @example Count inbound events, then log them
 * ```ts
 * import { MultiHooker } from "@cellnet/cellnet";
 * let count = 0;
 * const hooker = new MultiHooker(
 *   { onInboundEvent: (ev) => (count++, ev) },
 *   { onInboundEvent: (ev) => (console.log(ev.message), ev) },
 * );
 * ```
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
  onOutboundEvent(event: SendMsgEvent): SendMsgEvent | undefined {
    let ev: SendMsgEvent | undefined = event;
    for (const h of this.#hookers) {
      if (!h.onOutboundEvent) continue;
      ev = h.onOutboundEvent(ev);
      if (!ev) return undefined;
    }
    return ev;
  }
}

/**
 * One hooker for a list: none, the one, or a {@link MultiHooker}.
 *
 * @example
 * ```ts
 * import { chainHookers } from "@cellnet/cellnet";
 * const hooker = chainHookers([undefined, { onInboundEvent: (ev) => ev }]);
 * ```
 */
export function chainHookers(
  hookers: readonly (EventHooker | undefined)[],
): EventHooker | undefined {
  const list = hookers.filter((h): h is EventHooker => h !== undefined);
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const chain = new MultiHooker(...list);
  // Only the directions some hooker has: an outbound hook, even a pass-through
  // one, makes every send build an event and turns off broadcast's encode-once.
  const hooker: {
    onInboundEvent?: EventHooker["onInboundEvent"];
    onOutboundEvent?: EventHooker["onOutboundEvent"];
  } = {};
  if (list.some((h) => h.onInboundEvent)) hooker.onInboundEvent = (ev) => chain.onInboundEvent(ev);
  if (list.some((h) => h.onOutboundEvent)) {
    hooker.onOutboundEvent = (ev) => chain.onOutboundEvent(ev);
  }
  return hooker;
}
