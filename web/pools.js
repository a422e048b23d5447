// The five reward pools as Sogni's leaderboard page names them: titles, mottos, the three pillars and the rule texts.
// Imports nothing: plain data (wording from Sogni's Season 7 page, ../shared/seed/leaderboard-season-7.txt).

/** @typedef {"artists"|"ambassadors"|"stakers"|"relaxedWorkers"|"fastWorkers"} PoolKey */

export const POOLS = /** @type {const} */ ([
  { key: "artists", title: "Artists", who: "artists", motto: "Imagine to Win", worker: false, points: "Points" },
  { key: "ambassadors", title: "Ambassadors", who: "Ambassadors", motto: "Support to Win", worker: false, points: "Ambassador Points" },
  { key: "stakers", title: "Stakers", who: "stakers", motto: "Support to Win", worker: false, points: "Staking Power" },
  { key: "relaxedWorkers", title: "Relaxed Workers", who: "Relaxed Workers", motto: "Power to Win", worker: true, points: "Points" },
  { key: "fastWorkers", title: "Fast Workers", who: "Fast Workers", motto: "Power to Win", worker: true, points: "Points" },
]);

/** The three ways to earn, as the top of Sogni's page shows them. */
export const PILLARS = [
  { title: "Artists", motto: "Imagine to Win", lines: ["Increase rewards by creating using Supernet.", "Ranked based on SOGNI and Spark Points spent."] },
  { title: "Workers", motto: "Power to Win", lines: ["Increase rewards by powering creations.", "Ranked based on tokens earned as a worker node."] },
  { title: "Refer & Stake", motto: "Support to Win", lines: ["Increase rewards by promoting or staking.", "All Referrers and Stakers earn pool percentages."] },
];

const WORKER_RULES = {
  lead: "Leaderboard points are based on job value, measured in Spark Points.",
  points: [],
  notes: [
    "Artists can pay with either Spark or SOGNI, but workers always earn SOGNI tokens. Since Spark has a stable value, all jobs are converted to their Spark equivalent when calculating leaderboard points.",
    "Only jobs paid for using SOGNI and Premium Spark give workers full leaderboard points. Free Daily Boost jobs give 1/10 worker leaderboard points.",
  ],
};

/** Under each leaderboard: a lead sentence, the point rules, and notes. */
export const RULES = {
  artists: {
    lead: "Points earned through requesting jobs on the Supernet, calculated in Spark Points.",
    points: ["1 point per Free Spark used", "10 points per Paid Spark used (including conversions from SOGNI)", "10 points per SOGNI used (after conversion to Spark at market rate)"],
    notes: [],
  },
  ambassadors: {
    lead: "Earn points through referrals and purchases on any Sogni app:",
    points: ["1 pt per Spark purchase by referred users", "1 pt per Spark you purchase directly", "0.2 pts from second-level referral activity", "All users qualify — no participation limit"],
    notes: ["At season end, the airdrop is distributed in proportion to each ambassador's total contribution."],
  },
  stakers: {
    lead: "Staking Power points are earned by staking at dashboard.sogni.ai.",
    points: ["Staking Power: your average power over the season, amount × lockWeeks^1.5 while the lock is in force.", "Every staker with power earns a share; stakes on every chain add up."],
    notes: [],
  },
  relaxedWorkers: WORKER_RULES,
  fastWorkers: WORKER_RULES,
};
