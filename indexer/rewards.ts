/**
 * The roots of a SogniRewards contract (SPEC 8.3) worked out from its
 * `RootProposed`, `RootAccepted` and `RootRevoked` facts, in log order: each
 * proposal with what became of it, the live root and the pending one. Pure:
 * the API reads the rows, this replays them.
 *
 * A proposal is `pending` until it is accepted (`live`, until a later root
 * is accepted: then `superseded`), revoked (`revoked`), or replaced by a new
 * proposal before either (`replaced`: the contract keeps one pending root).
 *
 * @example
 * const history = rootHistory({ proposed, accepted, revoked });
 * history.live?.dataHash; // the live publication's sha256 (its manifest.json)
 */

/** Where a fact was logged. */
export interface RootEventOrigin {
  blockNumber: bigint;
  logIndex: number;
  timestamp: bigint;
  txHash: string;
}

export interface RootProposedRow extends RootEventOrigin {
  root: string;
  dataHash: string;
  total: bigint;
  validAt: bigint;
}

export interface RootAcceptedRow extends RootEventOrigin {
  root: string;
  dataHash: string;
  total: bigint;
}

export interface RootRevokedRow extends RootEventOrigin {
  root: string;
}

export type RootStatus = "pending" | "live" | "superseded" | "revoked" | "replaced";

/** One root as it went through the contract; `proposed` is null for a root accepted before the indexed range. */
export interface RootRecord {
  root: string;
  dataHash: string;
  total: bigint;
  /** Unix seconds from which it could be accepted; null when its proposal was not seen. */
  validAt: bigint | null;
  status: RootStatus;
  proposed: RootEventOrigin | null;
  accepted: RootEventOrigin | null;
  revoked: RootEventOrigin | null;
  /** The proposal that replaced it while pending, or the root accepted after it while live. */
  endedBy: RootEventOrigin | null;
}

export interface RootHistory {
  /** Every root, in the order of its first event. */
  roots: RootRecord[];
  live: RootRecord | undefined;
  pending: RootRecord | undefined;
}

type Step =
  | { kind: "proposed"; row: RootProposedRow }
  | { kind: "accepted"; row: RootAcceptedRow }
  | { kind: "revoked"; row: RootRevokedRow };

const origin = (row: RootEventOrigin): RootEventOrigin => ({ blockNumber: row.blockNumber, logIndex: row.logIndex, timestamp: row.timestamp, txHash: row.txHash });

/** Replays one contract's root events (any order in, log order applied). */
export function rootHistory(rows: { proposed: readonly RootProposedRow[]; accepted: readonly RootAcceptedRow[]; revoked: readonly RootRevokedRow[] }): RootHistory {
  const steps: Step[] = [
    ...rows.proposed.map((row): Step => ({ kind: "proposed", row })),
    ...rows.accepted.map((row): Step => ({ kind: "accepted", row })),
    ...rows.revoked.map((row): Step => ({ kind: "revoked", row })),
  ].sort((a, b) => (a.row.blockNumber !== b.row.blockNumber ? (a.row.blockNumber < b.row.blockNumber ? -1 : 1) : a.row.logIndex - b.row.logIndex));

  const roots: RootRecord[] = [];
  let live: RootRecord | undefined;
  let pending: RootRecord | undefined;
  for (const step of steps) {
    const at = origin(step.row);
    if (step.kind === "proposed") {
      if (pending !== undefined) {
        pending.status = "replaced";
        pending.endedBy = at;
      }
      const { root, dataHash, total, validAt } = step.row;
      pending = { root, dataHash, total, validAt, status: "pending", proposed: at, accepted: null, revoked: null, endedBy: null };
      roots.push(pending);
    } else if (step.kind === "accepted") {
      let record = pending !== undefined && pending.root === step.row.root ? pending : undefined;
      if (record === undefined) {
        // Proposed before the indexed range (or by a contract we did not see propose): known from its acceptance.
        const { root, dataHash, total } = step.row;
        record = { root, dataHash, total, validAt: null, status: "pending", proposed: null, accepted: null, revoked: null, endedBy: null };
        roots.push(record);
      }
      if (live !== undefined) {
        live.status = "superseded";
        live.endedBy = at;
      }
      record.status = "live";
      record.accepted = at;
      live = record;
      pending = undefined;
    } else if (pending !== undefined && pending.root === step.row.root) {
      pending.status = "revoked";
      pending.revoked = at;
      pending = undefined;
    }
  }
  return { roots, live, pending };
}
