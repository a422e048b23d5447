/**
 * GET /accounts/:address?from=&to=
 * SOGNI balance per chain and in total (from Transfer facts), the current
 * lock in each staking contract of each chain (SPEC 8.4: a chain may have
 * several; each holds its own lock), and staking power over [from, to) per
 * chain and in total (SPEC section 2). An address with no activity gets
 * zeros, not 404.
 */
import { db } from "ponder:api";
import { staked, transfer, unstaked } from "ponder:schema";
import { and, asc, eq, sql } from "ponder";
import { Hono } from "hono";
import { parseAddressParam, parseWindowParams } from "../../indexer/params.js";
import { formatDecimal } from "../../season/decimal.js";
import { averageStakingPower, STAKING_POWER_DECIMALS, stakingPower } from "../../season/staking.js";
import type { Address, StakingState } from "../../season/types.js";
import type { DistributorWatch } from "../../indexer/distributors.js";
import { indexedChains } from "./chains.js";

async function sumsByChain(column: typeof transfer.to | typeof transfer.from, address: string): Promise<Map<number, bigint>> {
  const rows = await db
    .select({ chainId: transfer.chainId, total: sql<string>`coalesce(sum(${transfer.amount}), 0)::text` })
    .from(transfer)
    .where(eq(column, address as `0x${string}`))
    .groupBy(transfer.chainId);
  return new Map(rows.map((row) => [row.chainId, BigInt(row.total)]));
}

export function accountRoutes(deployments: Pick<DistributorWatch, "decimals">): Hono {
  const app = new Hono();
  app.get("/accounts/:address", async (c) => {
    const address = parseAddressParam("address", c.req.param("address"));
    const window = parseWindowParams(c.req.query("from"), c.req.query("to"));
    const chains = await indexedChains();
    const [received, sent, states, exits] = await Promise.all([
      sumsByChain(transfer.to, address),
      sumsByChain(transfer.from, address),
      db.select().from(staked).where(eq(staked.account, address)).orderBy(asc(staked.chainId), asc(staked.blockNumber), asc(staked.logIndex)),
      db.select().from(unstaked).where(and(eq(unstaked.account, address))).orderBy(asc(unstaked.chainId), asc(unstaked.blockNumber), asc(unstaked.logIndex)),
    ]);

    let totalBalance = 0n;
    const balances = chains.map((chain) => {
      const balance = (received.get(chain.chainId) ?? 0n) - (sent.get(chain.chainId) ?? 0n);
      totalBalance += balance;
      return { chainId: chain.chainId, balance: balance.toString() };
    });

    // One entry per (chain, staking contract) the account locked in, by chain and first lock; a chain without any: lock null.
    const locks = chains.flatMap((chain): { chainId: number; staking: string | null; lock: Record<string, unknown> | null }[] => {
      const onChain = states.filter((s) => s.chainId === chain.chainId);
      if (onChain.length === 0) return [{ chainId: chain.chainId, staking: null, lock: null }];
      const contracts = [...new Set(onChain.map((s) => s.staking.toLowerCase()))];
      return contracts.map((staking) => {
        const mine = onChain.filter((s) => s.staking.toLowerCase() === staking);
        const last = mine[mine.length - 1]!;
        const exit = exits.filter(
          (u) =>
            u.chainId === chain.chainId &&
            u.staking.toLowerCase() === staking &&
            (u.blockNumber > last.blockNumber || (u.blockNumber === last.blockNumber && u.logIndex > last.logIndex)),
        )[0];
        return {
          chainId: chain.chainId,
          staking,
          lock: {
            amount: last.amount.toString(),
            lockWeeks: Number(last.lockWeeks),
            effectiveFrom: Number(last.effectiveFrom),
            unlockAt: Number(last.unlockAt),
            block: Number(last.blockNumber),
            txHash: last.txHash,
            unstaked: exit !== undefined,
            ...(exit ? { unstakedBlock: Number(exit.blockNumber), unstakedTxHash: exit.txHash } : {}),
          },
        };
      });
    });

    let power = null;
    if (window) {
      const locks: StakingState[] = states.map((s) => ({
        chainId: s.chainId,
        staking: s.staking.toLowerCase() as Address,
        account: s.account,
        amount: s.amount,
        lockWeeks: Number(s.lockWeeks),
        effectiveFrom: Number(s.effectiveFrom),
        unlockAt: Number(s.unlockAt),
      }));
      const [from, to] = [Number(window.from), Number(window.to)];
      const computed = stakingPower(locks, from, to);
      power = {
        from,
        to,
        perChain: chains.map((chain) => ({ chainId: chain.chainId, power: (computed.perChain.get(chain.chainId) ?? 0n).toString() })),
        total: computed.total.toString(),
        average: formatDecimal(averageStakingPower(computed.total, to - from, deployments.decimals()), STAKING_POWER_DECIMALS),
      };
    }

    return c.json({
      address,
      balances,
      totalBalance: totalBalance.toString(),
      locks,
      stakingPower: power,
      indexedTo: chains.map((chain) => ({ chainId: chain.chainId, block: Number(chain.block), timestamp: Number(chain.timestamp) })),
    });
  });
  return app;
}
