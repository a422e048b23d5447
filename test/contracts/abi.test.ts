/**
 * SPEC sections 7 and 8.3, word for word: every function, constructor and
 * event the spec names is in the compiled ABI with exactly that name, argument
 * names, types, order and `indexed` flags. The SPEC lines are copied verbatim below;
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

/** "function setProposer(address, bool)": the form SPEC uses where it names no arguments. */
function signatures(abi: Abi): string[] {
  return abi.flatMap((item) => (item.type === "function" ? [`function ${item.name}(${item.inputs.map((p) => p.type).join(", ")})`] : []));
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

describe("SPEC 8.3: SogniRewards' ABI", () => {
  const abi = abiOf("SogniRewards");
  const have = declarations(abi);
  it.each([
    "constructor(IERC20 token, address owner, uint256 timelock)",
    "function propose(bytes32 root, bytes32 dataHash, uint256 total)",
    "event RootProposed(bytes32 indexed root, bytes32 dataHash, uint256 total, uint256 validAt)",
    "function accept()",
    "event RootAccepted(bytes32 indexed root, bytes32 dataHash, uint256 total)",
    "function revoke()",
    "event RootRevoked(bytes32 indexed root)",
    "function claim(address account, uint256 cumulative, bytes32[] calldata proof)",
    "event Claimed(address indexed account, uint256 amount, uint256 cumulative)",
    "function withdrawSurplus(address to, uint256 amount)",
    "event SurplusWithdrawn(address indexed to, uint256 amount)",
    "function token()",
    "function root()",
    "function dataHash()",
    "function total()",
    "function pending()",
    "function timelock()",
    "function claimed(address)",
    "function totalClaimed()",
    "function guardian()",
    "function isProposer(address)",
  ])("has %s", (line) => {
    expect(have).toContain(fromSpec(line));
  });

  it.each(["function setProposer(address, bool)", "function setGuardian(address)"])("has %s (SPEC names the types only)", (line) => {
    expect(signatures(abi)).toContain(line);
  });

  it("role changes are events too: ProposerSet(address indexed proposer, bool enabled), GuardianSet(address indexed guardian)", () => {
    expect(have).toEqual(
      expect.arrayContaining(["event ProposerSet(address indexed proposer, bool enabled)", "event GuardianSet(address indexed guardian)"]),
    );
  });

  it("views: token -> address, root and dataHash -> bytes32, total, timelock, claimed and totalClaimed -> uint256, guardian -> address, isProposer -> bool; claim, accept, revoke, propose are nonpayable", () => {
    expect(outputsOf(abi, "token")).toEqual(["view", "address"]);
    expect(outputsOf(abi, "root")).toEqual(["view", "bytes32"]);
    expect(outputsOf(abi, "dataHash")).toEqual(["view", "bytes32"]);
    expect(outputsOf(abi, "total")).toEqual(["view", "uint256"]);
    expect(outputsOf(abi, "timelock")).toEqual(["view", "uint256"]);
    expect(outputsOf(abi, "claimed")).toEqual(["view", "uint256"]);
    expect(outputsOf(abi, "totalClaimed")).toEqual(["view", "uint256"]);
    expect(outputsOf(abi, "guardian")).toEqual(["view", "address"]);
    expect(outputsOf(abi, "isProposer")).toEqual(["view", "bool"]);
    for (const name of ["claim", "accept", "revoke", "propose", "withdrawSurplus"]) expect(outputsOf(abi, name)).toEqual(["nonpayable"]);
  });

  it("pending() returns (root, dataHash, total, validAt)", () => {
    const fn = abi.find((i) => i.type === "function" && i.name === "pending");
    expect(fn?.type === "function" ? fn.outputs.map((o) => `${o.type} ${o.name}`) : []).toEqual([
      "bytes32 root",
      "bytes32 dataHash",
      "uint256 total",
      "uint256 validAt",
    ]);
  });

  it("declares custom errors (NotFunded, InvalidProof, NothingToClaim, NoPendingRoot, TimelockNotExpired, NoLiveRoot, InsufficientSurplus, RenounceOwnershipDisabled, …)", () => {
    const errors = abi.filter((i) => i.type === "error").map((i) => (i as { name: string }).name);
    expect(errors).toEqual(
      expect.arrayContaining([
        "NotFunded",
        "InvalidProof",
        "NothingToClaim",
        "NoPendingRoot",
        "TimelockNotExpired",
        "NoLiveRoot",
        "InsufficientSurplus",
        "NotOwnerOrProposer",
        "NotOwnerOrGuardian",
        "TotalBelowLive",
        "ZeroRoot",
        "ZeroDataHash",
        "ClaimExceedsTotal",
        "TimelockTooLong",
        "ZeroAddress",
        "RenounceOwnershipDisabled",
      ]),
    );
  });

  it("ownership moves in two steps (Ownable2Step) and renounceOwnership is pure (it only reverts)", () => {
    expect(have).toEqual(expect.arrayContaining(["function pendingOwner()", "function acceptOwnership()", "function transferOwnership(address newOwner)"]));
    expect(outputsOf(abi, "renounceOwnership")).toEqual(["pure"]);
  });
});

describe("SPEC 7: custom errors, no revert strings", () => {
  it.each(["SeasonDistributor", "SogniStaking", "WorkerPayouts", "SogniToken", "SogniRewards"])(
    "%s's deployed bytecode never builds Error(string) (selector 0x08c379a0)",
    (name) => {
      const path = fileURLToPath(new URL(`../../artifacts/contracts/${name}.sol/${name}.json`, import.meta.url));
      const { deployedBytecode } = JSON.parse(readFileSync(path, "utf8")) as { deployedBytecode: string };
      expect(deployedBytecode.length).toBeGreaterThan(1000);
      expect(deployedBytecode.toLowerCase()).not.toContain("08c379a0");
    },
  );
});
