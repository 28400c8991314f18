/**
 * cellnet's `timer` package: {@link after} (one call after a delay) and
 * {@link Loop} (a fixed-delay repeating tick), both optionally on an
 * EventQueue.
 *
 * @example A timeout and a tick
 * ```ts
 * import { EventQueue, timer } from "@cellnet/cellnet";
 * const queue = new EventQueue().startLoop();
 * timer.after(queue, 50, () => console.log("once"));
 * const loop = new timer.Loop(queue, 20, (l) => l.stop());
 * loop.start();
 * ```
 *
 * @module
 */
export { after, type AfterStopper } from "./after.ts";
export { Loop, type LoopCallback } from "./loop.ts";
