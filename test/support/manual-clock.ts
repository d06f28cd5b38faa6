/** A clock the test moves by hand; everything in the bot reads time through it. */
export function manualClock(start = Date.now()) {
  let now = start;
  return { clock: () => now, set: (t: number) => (now = t), advance: (ms: number) => (now += ms) };
}
