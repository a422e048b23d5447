// The five reward pools as the page names them: titles, mottos, and the rule texts under each leaderboard.
// Imports nothing: plain data.

/** @typedef {"artists"|"ambassadors"|"stakers"|"relaxedWorkers"|"fastWorkers"} PoolKey */

export const POOLS = /** @type {const} */ ([
  { key: "artists", title: "Artists", who: "artists", motto: "Imagine to Win", worker: false },
  { key: "ambassadors", title: "Ambassadors", who: "Ambassadors", motto: "Support to Win", worker: false },
  { key: "stakers", title: "Stakers", who: "stakers", motto: "Support to Win", worker: false },
  { key: "relaxedWorkers", title: "Relaxed Workers", who: "Relaxed Workers", motto: "Power to Win", worker: true },
  { key: "fastWorkers", title: "Fast Workers", who: "Fast Workers", motto: "Power to Win", worker: true },
]);

export const RULES = {
  artists: [
    "Points earned through requesting jobs on the Supernet, calculated in Spark Points:",
    "1 point per Free Spark used",
    "10 points per Paid Spark used (including conversions from SOGNI)",
    "10 points per SOGNI used (after conversion to Spark at market rate)",
  ],
  ambassadors: [
    "Earn points through referrals and purchases on any Sogni app:",
    "1 pt per Spark purchase by referred users",
    "1 pt per Spark you purchase directly",
    "0.2 pts from second-level referral activity",
    "All users qualify — no participation limit",
  ],
  stakers: [
    "Staking Power: your average power over the season, amount × lockWeeks^1.5 while the lock is in force.",
    "Every staker with power earns a share; stakes on every chain add up.",
  ],
  relaxedWorkers: [
    "Leaderboard points are based on job value, measured in Spark Points.",
    "Jobs paid with SOGNI and Premium Spark give full points; Free Daily Boost jobs give 1/10.",
  ],
  fastWorkers: [
    "Leaderboard points are based on job value, measured in Spark Points.",
    "Jobs paid with SOGNI and Premium Spark give full points; Free Daily Boost jobs give 1/10.",
  ],
};
