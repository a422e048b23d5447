/**
 * Helpers for the contract tests: the SPEC section 5 tree built the reference
 * way (merkletreejs + keccak256), revert matching by custom error name, and
 * event decoding from a receipt. Deliberately independent of season/tree.ts and season/leaf.ts
 * so the contracts are checked against the reference builder, not our own.
 *
 * @example
 * const tree = referenceTree([{ account: alice, amount: 5n }]);
 * await distributor.write.claim([0n, alice, 5n, tree.proof(0)]);
 */
import { MerkleTree } from "merkletreejs";
import keccak256 from "keccak256";
import {
  decodeErrorResult,
  encodeAbiParameters,
  getAddress,
  isAddress,
  keccak256 as viemKeccak256,
  parseEventLogs,
  type Abi,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { expect } from "vitest";
import { contractAbis } from "../../chain/abis/index.js";

export const WEEK = 604_800n;

export interface Allocation {
  account: Address;
  amount: bigint;
}

export interface ReferenceTree {
  root: Hex;
  leaves: Hex[];
  /** The merkletreejs proof of leaf `index`, as hex strings. */
  proof(index: number): Hex[];
}

/** SPEC 5 leaf: keccak256(bytes.concat(keccak256(abi.encode(uint256 index, address account, uint256 amount)))). */
export function leafHash(index: bigint, account: Address, amount: bigint): Hex {
  const inner = viemKeccak256(
    encodeAbiParameters([{ type: "uint256" }, { type: "address" }, { type: "uint256" }], [index, account, amount]),
  );
  return viemKeccak256(inner);
}

/** The tree of SPEC 5, built exactly as the spec names it: `new MerkleTree(leaves, keccak256, { sortPairs: true })`. */
export function referenceTree(allocations: readonly Allocation[]): ReferenceTree {
  const leaves = allocations.map((a, i) => leafHash(BigInt(i), a.account, a.amount));
  const tree = new MerkleTree(
    leaves.map((leaf) => Buffer.from(leaf.slice(2), "hex")),
    keccak256,
    { sortPairs: true },
  );
  return {
    root: tree.getHexRoot() as Hex,
    leaves,
    proof: (index: number) => tree.getHexProof(Buffer.from(leaves[index]!.slice(2), "hex"), index) as Hex[],
  };
}

/** Distinct deterministic test addresses (0x…0001, 0x…0002, …) with `n` starting at 1. */
export function testAddress(n: number): Address {
  return `0x${n.toString(16).padStart(40, "0")}` as Address;
}

/** Flips one bit (`bit` 0..255, 0 = least significant) of a 32-byte hex word. */
export function flipBit(word: Hex, bit: number): Hex {
  const value = BigInt(word) ^ (1n << BigInt(bit));
  return `0x${value.toString(16).padStart(64, "0")}` as Hex;
}

/** Every custom error of our contracts (token errors included), to decode reverts that bubble up. */
const KNOWN_ERRORS: Abi = Object.values<Abi>(contractAbis).flatMap((abi) => abi.filter((item) => item.type === "error"));

/** The revert data carried somewhere down a viem/Hardhat error's cause chain. */
function revertData(error: unknown): Hex | undefined {
  for (let e: unknown = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    const raw = (e as { raw?: unknown }).raw;
    if (typeof raw === "string" && raw.startsWith("0x")) return raw as Hex;
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && data.startsWith("0x")) return data as Hex;
  }
  return undefined;
}

/**
 * Awaits a contract call (or deployment) that must revert with the custom
 * error `errorName` (and, when given, exactly these decoded arguments;
 * addresses compare case-insensitively).
 */
export async function expectRevert(call: Promise<unknown>, errorName: string, args?: readonly unknown[]): Promise<void> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error(`expected a revert with ${errorName}, but the call succeeded`);
  const data = revertData(caught);
  if (data === undefined || data.length < 10) throw caught;
  const decoded = decodeErrorResult({ abi: KNOWN_ERRORS, data });
  expect(decoded.errorName, `revert data ${data}`).toBe(errorName);
  if (args !== undefined) expect(normalise(decoded.args ?? [])).toEqual(normalise(args));
}

function normalise(values: readonly unknown[]): unknown[] {
  return values.map((v) => (typeof v === "string" && isAddress(v) ? getAddress(v) : v));
}

/** The decoded `eventName` logs of a receipt, in log order. */
export function eventsOf<TAbi extends Abi>(abi: TAbi, receipt: TransactionReceipt, eventName: string): Record<string, unknown>[] {
  return parseEventLogs({ abi, logs: receipt.logs, eventName: eventName as never }).map(
    (log) => (log as unknown as { args: Record<string, unknown> }).args,
  );
}
