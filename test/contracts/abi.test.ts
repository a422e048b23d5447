/**
 * SPEC section 7, word for word: every function, constructor and event the
 * spec names is in the compiled ABI with exactly that name, argument names,
 * types, order and `indexed` flags. The SPEC lines are copied verbatim below;
 * the only translation is Solidity source to ABI (`IERC20` is an `address`,
 * `calldata` is not part of an ABI).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Abi, AbiParameter } from "viem";
import { contractAbis } from "../../chain/abis/index.js";
import type { ContractName } from "../../chain/artifacts.js";

/** The generated ABI (abis-fresh.test.ts holds it equal to the compiled artifact's). */
function abiOf(name: ContractName): Abi {
  return contractAbis[name];
}

function param(p: AbiParameter & { indexed?: boolean }): string {
  return [p.type, p.indexed ? "indexed" : undefined, p.name || undefined].filter(Boolean).join(" ");
}

/** "function claim(uint256 index, …)" / "event Claimed(uint256 indexed index, …)" / "constructor(…)" */
function declarations(abi: Abi): string[] {
  return abi.flatMap((item) => {
    if (item.type === "constructor") return [`constructor(${item.inputs.map(param).join(", ")})`];
    if (item.type === "function") return [`function ${item.name}(${item.inputs.map(param).join(", ")})`];
    if (item.type === "event") return [`event ${item.name}(${item.inputs.map(param).join(", ")})`];
    return [];
  });
}

/** Solidity source form (as SPEC writes it) to ABI form. */
function fromSpec(line: string): string {
  return line.replace(/\bIERC20\b/g, "address").replace(/ calldata\b/g, "");
}

function outputsOf(abi: Abi, name: string): string[] {
  const fn = abi.find((item) => item.type === "function" && item.name === name);
  if (fn?.type !== "function") throw new Error(`no function ${name}`);
  return [fn.stateMutability, ...fn.outputs.map((o) => o.type)];
}

describe("SPEC 7: SeasonDistributor's ABI", () => {
  const abi = abiOf("SeasonDistributor");
  const have = declarations(abi);
  it.each([
    "constructor(IERC20 token, bytes32 merkleRoot, uint64 claimDeadline, address owner)",
    "function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof)",
    "function isClaimed(uint256 index)",
    "function merkleRoot()",
    "function token()",
    "function claimDeadline()",
    "function sweep(address to)",
    "event Claimed(uint256 indexed index, address indexed account, uint256 amount)",
  ])("has %s", (line) => {
    expect(have).toContain(fromSpec(line));
  });

  it("views: isClaimed -> bool, merkleRoot -> bytes32, token -> address, claimDeadline -> uint64; claim is nonpayable", () => {
    expect(outputsOf(abi, "isClaimed")).toEqual(["view", "bool"]);
    expect(outputsOf(abi, "merkleRoot")).toEqual(["view", "bytes32"]);
    expect(outputsOf(abi, "token")).toEqual(["view", "address"]);
    expect(outputsOf(abi, "claimDeadline")).toEqual(["view", "uint64"]);
    expect(outputsOf(abi, "claim")).toEqual(["nonpayable"]);
  });

  it("declares custom errors (AlreadyClaimed, InvalidProof, ClaimWindowClosed, SweepNotYetAllowed, ZeroAddress, DeadlineInPast, RenounceOwnershipDisabled)", () => {
    const errors = abi.filter((i) => i.type === "error").map((i) => (i as { name: string }).name);
    expect(errors).toEqual(
      expect.arrayContaining([
        "AlreadyClaimed",
        "InvalidProof",
        "ClaimWindowClosed",
        "SweepNotYetAllowed",
        "ZeroAddress",
        "DeadlineInPast",
        "RenounceOwnershipDisabled",
      ]),
    );
  });

  it("SPEC 7: ownership moves in two steps (Ownable2Step: pendingOwner, acceptOwnership) and renounceOwnership is pure (it only reverts)", () => {
    expect(have).toEqual(expect.arrayContaining(["function pendingOwner()", "function acceptOwnership()", "function transferOwnership(address newOwner)"]));
    expect(outputsOf(abi, "pendingOwner")).toEqual(["view", "address"]);
    expect(outputsOf(abi, "renounceOwnership")).toEqual(["pure"]);
  });
});

describe("SPEC 7: SogniStaking's ABI", () => {
  const abi = abiOf("SogniStaking");
  const have = declarations(abi);
  it.each([
    "function stake(uint256 amount, uint256 lockWeeks)",
    "function unstake()",
    "event Staked(address indexed account, uint256 added, uint256 amount, uint256 lockWeeks, uint256 effectiveFrom, uint256 unlockAt)",
    "event Unstaked(address indexed account, uint256 amount)",
    "function epochZero()",
    "function locks(address account)",
  ])("has %s", (line) => {
    expect(have).toContain(fromSpec(line));
  });

  it("declares custom errors (InvalidLockWeeks, NothingToLock, StillLocked, NothingStaked, ZeroAddress)", () => {
    const errors = abi.filter((i) => i.type === "error").map((i) => (i as { name: string }).name);
    expect(errors).toEqual(expect.arrayContaining(["InvalidLockWeeks", "NothingToLock", "StillLocked", "NothingStaked", "ZeroAddress"]));
  });

  it("locks(account) returns (amount, lockWeeks, effectiveFrom, unlockAt)", () => {
    const fn = abi.find((i) => i.type === "function" && i.name === "locks");
    expect(fn?.type === "function" ? fn.outputs.map((o) => `${o.type} ${o.name}`) : []).toEqual([
      "uint256 amount",
      "uint64 lockWeeks",
      "uint64 effectiveFrom",
      "uint64 unlockAt",
    ]);
  });
});

describe("SPEC 7: WorkerPayouts' ABI", () => {
  const abi = abiOf("WorkerPayouts");
  const have = declarations(abi);
  it.each([
    "function payWorkers(uint256 batchId, address[] workers, uint256[] amounts)",
    "event WorkerPaid(uint256 indexed batchId, address indexed worker, uint256 amount)",
  ])("has %s", (line) => {
    expect(have).toContain(fromSpec(line));
  });

  it("declares custom errors (BatchAlreadyPaid, LengthMismatch, EmptyBatch, NotPayer, ZeroAddress, ZeroAmount, BatchTotalOverflow)", () => {
    const errors = abi.filter((i) => i.type === "error").map((i) => (i as { name: string }).name);
    expect(errors).toEqual(
      expect.arrayContaining(["BatchAlreadyPaid", "LengthMismatch", "EmptyBatch", "NotPayer", "ZeroAddress", "ZeroAmount", "BatchTotalOverflow"]),
    );
  });
});

describe("SPEC 7: the SOGNI stand-in is a plain ERC-20", () => {
  const have = declarations(abiOf("SogniToken"));
  it.each([
    "event Transfer(address indexed from, address indexed to, uint256 value)",
    "function transfer(address to, uint256 value)",
    "function transferFrom(address from, address to, uint256 value)",
    "function mint(address to, uint256 amount)",
  ])("has %s", (line) => {
    expect(have).toContain(fromSpec(line));
  });
});

describe("SPEC 7: custom errors, no revert strings", () => {
  it.each(["SeasonDistributor", "SogniStaking", "WorkerPayouts", "SogniToken"])(
    "%s's deployed bytecode never builds Error(string) (selector 0x08c379a0)",
    (name) => {
      const path = fileURLToPath(new URL(`../../artifacts/contracts/${name}.sol/${name}.json`, import.meta.url));
      const { deployedBytecode } = JSON.parse(readFileSync(path, "utf8")) as { deployedBytecode: string };
      expect(deployedBytecode.length).toBeGreaterThan(1000);
      expect(deployedBytecode.toLowerCase()).not.toContain("08c379a0");
    },
  );
});
