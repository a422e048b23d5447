// The page's clock: the server's `now` (GET /page/api/season), moved on by the browser's own clock.
// Imports nothing. Countdowns and "vested yet?" use it, so a page served for a pinned or time-travelled chain agrees with it.

/**
 * A function returning unix seconds: `serverNow` at the moment of the call
 * to pageClock, plus the seconds the browser has counted since.
 *
 * @example const now = pageClock(season.now); now() - season.window.end
 */
export function pageClock(serverNow) {
  const offset = serverNow * 1000 - Date.now();
  return () => Math.floor((Date.now() + offset) / 1000);
}

/** Runs `tick` now and every second; returns a function that stops it. */
export function everySecond(tick) {
  tick();
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}
