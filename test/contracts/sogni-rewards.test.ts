/// <reference path="../../artifacts/contracts/SogniRewards.sol/artifacts.d.ts" />
/**
 * SPEC 8.3: SogniRewards on Hardhat's in-process chain. Cumulative trees are
 * built the reference way (merkletreejs + keccak256) with the SPEC 8.2 leaf
 * keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 cumulative)))),
 * leaves in lower-case address order, independent of season/.
 */
import { describe, expect, it } from "vitest";
import { network } from "hardhat";
import { MerkleTree } from "merkletreejs";
import keccak256 from "keccak256";
import {
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  keccak256 as viemKeccak256,
  parseEther,
  zeroAddress,
  zeroHash,
  type Address,
  type Hex,
} from "viem";
import { eventsOf, expectRevert, flipBit, testAddress } from "./helpers.js";

const { viem, networkHelpers } = await network.connect();
const publicClient = await viem.getPublicClient();
const [owner, alice, bob, carol, guardian, proposer, treasury] = await viem.getWalletClients();
if (!owner || !alice || !bob || !carol || !guardian || !proposer || !treasury) throw new Error("Hardhat must provide 7 accounts");

const DAY = 86_400n;
const TIMELOCK = 3n * DAY;
const dave = testAddress(0xd);

interface Balance {
  account: Address;
  cumulative: bigint;
}

interface CumulativeTree {
  root: Hex;
  total: bigint;
  proof(account: Address): Hex[];
}

/** SPEC 8.2 leaf: keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 cumulative)))). */
function cumulativeLeaf(account: Address, cumulative: bigint): Hex {
  return viemKeccak256(viemKeccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [account, cumulative])));
}

/** The SPEC 8.2 tree: leaves in lower-case address order, merkletreejs with sortPairs. */
function cumulativeTree(balances: readonly Balance[]): CumulativeTree {
  const sorted = [...balances].sort((a, b) => (a.account.toLowerCase() < b.account.toLowerCase() ? -1 : 1));
  const leaves = sorted.map((b) => Buffer.from(cumulativeLeaf(b.account, b.cumulative).slice(2), "hex"));
  const tree = new MerkleTree(leaves, keccak256, { sortPairs: true });
  return {
    root: tree.getHexRoot() as Hex,
    total: balances.reduce((sum, b) => sum + b.cumulative, 0n),
    proof(account) {
      const i = sorted.findIndex((b) => b.account.toLowerCase() === account.toLowerCase());
      if (i < 0) throw new Error(`${account} is not in the tree`);
      return tree.getHexProof(leaves[i]!, i) as Hex[];
    },
  };
}

/** Publication 1: alice 100, bob 250.5, carol 3 SOGNI (353.5 in all). */
const first = cumulativeTree([
  { account: alice.account.address, cumulative: parseEther("100") },
  { account: bob.account.address, cumulative: parseEther("250.5") },
  { account: carol.account.address, cumulative: parseEther("3") },
]);
/** Publication 2, a season later: alice 160 (+60), bob 250.5 (+0), carol 10 (+7), dave 7 (new): 427.5 SOGNI. */
const second = cumulativeTree([
  { account: alice.account.address, cumulative: parseEther("160") },
  { account: bob.account.address, cumulative: parseEther("250.5") },
  { account: carol.account.address, cumulative: parseEther("10") },
  { account: dave, cumulative: parseEther("7") },
]);
const DATA_1 = `0x${"11".repeat(32)}` as Hex; // stands for the sha256 of publication 1's manifest.json
const DATA_2 = `0x${"22".repeat(32)}` as Hex;

async function deployRewards(timelock = TIMELOCK) {
  const token = await viem.deployContract("SogniToken");
  const rewards = await viem.deployContract("SogniRewards", [token.address, owner!.account.address, timelock]);
  return { token, rewards };
}

/** A fresh contract: 3-day timelock, nothing proposed, nothing funded. */
async function emptyFixture() {
  return deployRewards();
}

/** Publication 1 proposed, funded with exactly 353.5 SOGNI, the timelock over and accepted. */
async function liveFixture() {
  const { token, rewards } = await deployRewards();
  await rewards.write.propose([first.root, DATA_1, first.total], { account: owner!.account });
  await token.write.mint([rewards.address, first.total]);
  await networkHelpers.time.increase(TIMELOCK);
  await rewards.write.accept({ account: carol!.account });
  return { token, rewards };
}

type Rewards = Awaited<ReturnType<typeof deployRewards>>["rewards"];

async function receiptOf(hash: Promise<Hex>) {
  return publicClient.waitForTransactionReceipt({ hash: await hash });
}

async function claim(rewards: Rewards, sender: typeof alice, account: Address, cumulative: bigint, proof: Hex[]) {
  return receiptOf(rewards.write.claim([account, cumulative, proof], { account: sender!.account }));
}

async function pendingOf(rewards: Rewards) {
  const [root, dataHash, total, validAt] = await rewards.read.pending();
  return { root, dataHash, total, validAt };
}

describe("SPEC 8.3: deployment", () => {
  it("views start empty: token, owner, timelock 3 days (259200 s), root 0, dataHash 0, total 0, totalClaimed 0, no pending root, no guardian", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(emptyFixture);
    expect(getAddress(await rewards.read.token())).toBe(getAddress(token.address));
    expect(getAddress(await rewards.read.owner())).toBe(getAddress(owner.account.address));
    expect(await rewards.read.timelock()).toBe(259_200n);
    expect(await rewards.read.root()).toBe(zeroHash);
    expect(await rewards.read.dataHash()).toBe(zeroHash);
    expect(await rewards.read.total()).toBe(0n);
    expect(await rewards.read.totalClaimed()).toBe(0n);
    expect(await pendingOf(rewards)).toEqual({ root: zeroHash, dataHash: zeroHash, total: 0n, validAt: 0n });
    expect(await rewards.read.guardian()).toBe(zeroAddress);
    expect(await rewards.read.isProposer([owner.account.address])).toBe(false); // the owner proposes as owner
  });

  it("the zero token reverts ZeroAddress; the zero owner reverts OwnableInvalidOwner(0x0)", async () => {
    const { token } = await networkHelpers.loadFixture(emptyFixture);
    await expectRevert(viem.deployContract("SogniRewards", [zeroAddress, owner.account.address, TIMELOCK]), "ZeroAddress");
    await expectRevert(viem.deployContract("SogniRewards", [token.address, zeroAddress, TIMELOCK]), "OwnableInvalidOwner", [zeroAddress]);
  });

  it("a timelock of 365 days (31536000 s) deploys; 365 days + 1 s reverts TimelockTooLong(31536001, 31536000)", async () => {
    const { token } = await networkHelpers.loadFixture(emptyFixture);
    const year = await viem.deployContract("SogniRewards", [token.address, owner.account.address, 31_536_000n]);
    expect(await year.read.timelock()).toBe(31_536_000n);
    await expectRevert(
      viem.deployContract("SogniRewards", [token.address, owner.account.address, 31_536_001n]),
      "TimelockTooLong",
      [31_536_001n, 31_536_000n],
    );
  });

  it("timelock 0 (local chains): propose and accept in consecutive blocks, still only when funded", async () => {
    const { token, rewards } = await deployRewards(0n);
    await rewards.write.propose([first.root, DATA_1, first.total], { account: owner.account });
    await expectRevert(rewards.write.accept({ account: alice.account }), "NotFunded", [first.total, 0n]);
    await token.write.mint([rewards.address, first.total]);
    await rewards.write.accept({ account: alice.account });
    expect(await rewards.read.root()).toBe(first.root);
  });
});

describe("SPEC 8.3: propose, by the owner or a proposer, waits out the timelock", () => {
  it("the owner proposes publication 1: pending = (root, dataHash, 353.5 SOGNI, now + 259200), RootProposed; the live root is untouched", async () => {
    const { rewards } = await networkHelpers.loadFixture(emptyFixture);
    const receipt = await receiptOf(rewards.write.propose([first.root, DATA_1, first.total], { account: owner.account }));
    const now = BigInt(await networkHelpers.time.latest());
    expect(first.total).toBe(parseEther("353.5"));
    expect(await pendingOf(rewards)).toEqual({ root: first.root, dataHash: DATA_1, total: parseEther("353.5"), validAt: now + 259_200n });
    expect(eventsOf(rewards.abi, receipt, "RootProposed")).toEqual([
      { root: first.root, dataHash: DATA_1, total: parseEther("353.5"), validAt: now + 259_200n },
    ]);
    expect(await rewards.read.root()).toBe(zeroHash);
  });

  it("a stranger (alice) reverts NotOwnerOrProposer(alice); once setProposer(alice, true) she proposes; after setProposer(alice, false) she is refused again", async () => {
    const { rewards } = await networkHelpers.loadFixture(emptyFixture);
    await expectRevert(rewards.write.propose([first.root, DATA_1, first.total], { account: alice.account }), "NotOwnerOrProposer", [alice.account.address]);
    const on = await receiptOf(rewards.write.setProposer([alice.account.address, true], { account: owner.account }));
    expect(eventsOf(rewards.abi, on, "ProposerSet")).toEqual([{ proposer: getAddress(alice.account.address), enabled: true }]);
    expect(await rewards.read.isProposer([alice.account.address])).toBe(true);
    await rewards.write.propose([first.root, DATA_1, first.total], { account: alice.account });
    expect((await pendingOf(rewards)).root).toBe(first.root);
    const off = await receiptOf(rewards.write.setProposer([alice.account.address, false], { account: owner.account }));
    expect(eventsOf(rewards.abi, off, "ProposerSet")).toEqual([{ proposer: getAddress(alice.account.address), enabled: false }]);
    await expectRevert(rewards.write.propose([second.root, DATA_2, second.total], { account: alice.account }), "NotOwnerOrProposer", [alice.account.address]);
  });

  it("setProposer: only the owner (bob gets OwnableUnauthorizedAccount(bob)); the zero address reverts ZeroAddress", async () => {
    const { rewards } = await networkHelpers.loadFixture(emptyFixture);
    await expectRevert(rewards.write.setProposer([bob.account.address, true], { account: bob.account }), "OwnableUnauthorizedAccount", [bob.account.address]);
    await expectRevert(rewards.write.setProposer([zeroAddress, true], { account: owner.account }), "ZeroAddress");
  });

  it("the zero root reverts ZeroRoot; the zero data hash reverts ZeroDataHash; a total of 2^128 wei reverts TotalTooLarge(2^128), 2^128 - 1 is accepted", async () => {
    const { rewards } = await networkHelpers.loadFixture(emptyFixture);
    await expectRevert(rewards.write.propose([zeroHash, DATA_1, 1n], { account: owner.account }), "ZeroRoot");
    await expectRevert(rewards.write.propose([first.root, zeroHash, 1n], { account: owner.account }), "ZeroDataHash");
    await expectRevert(rewards.write.propose([first.root, DATA_1, 2n ** 128n], { account: owner.account }), "TotalTooLarge", [2n ** 128n]);
    await rewards.write.propose([first.root, DATA_1, 2n ** 128n - 1n], { account: owner.account });
    expect((await pendingOf(rewards)).total).toBe(2n ** 128n - 1n);
  });

  it("a new proposal 1 day later replaces the pending one and restarts its timelock (validAt moves 1 day on)", async () => {
    const { rewards } = await networkHelpers.loadFixture(emptyFixture);
    await rewards.write.propose([first.root, DATA_1, first.total], { account: owner.account });
    const firstValidAt = (await pendingOf(rewards)).validAt;
    await networkHelpers.time.setNextBlockTimestamp(firstValidAt - TIMELOCK + DAY);
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    expect(await pendingOf(rewards)).toEqual({ root: second.root, dataHash: DATA_2, total: second.total, validAt: firstValidAt + DAY });
  });

  it("with publication 1 live (353.5 SOGNI), a total of 353.5 SOGNI - 1 wei reverts TotalBelowLive(353.5 - 1 wei, 353.5); 353.5 exactly is accepted", async () => {
    const { rewards } = await networkHelpers.loadFixture(liveFixture);
    await expectRevert(
      rewards.write.propose([second.root, DATA_2, parseEther("353.5") - 1n], { account: owner.account }),
      "TotalBelowLive",
      [parseEther("353.5") - 1n, parseEther("353.5")],
    );
    await rewards.write.propose([second.root, DATA_2, parseEther("353.5")], { account: owner.account });
    expect((await pendingOf(rewards)).total).toBe(parseEther("353.5"));
  });
});

describe("SPEC 8.3: accept, by anyone, once the timelock is over and the root is funded", () => {
  it("one second before validAt reverts TimelockNotExpired(validAt, validAt - 1); at validAt carol accepts: RootAccepted, root/dataHash/total live, pending cleared", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(emptyFixture);
    await rewards.write.propose([first.root, DATA_1, first.total], { account: owner.account });
    await token.write.mint([rewards.address, first.total]);
    const { validAt } = await pendingOf(rewards);
    await networkHelpers.time.setNextBlockTimestamp(validAt - 1n);
    await expectRevert(rewards.write.accept({ account: carol.account }), "TimelockNotExpired", [validAt, validAt - 1n]);
    await networkHelpers.time.setNextBlockTimestamp(validAt);
    const receipt = await receiptOf(rewards.write.accept({ account: carol.account }));
    expect(eventsOf(rewards.abi, receipt, "RootAccepted")).toEqual([{ root: first.root, dataHash: DATA_1, total: parseEther("353.5") }]);
    expect(await rewards.read.root()).toBe(first.root);
    expect(await rewards.read.dataHash()).toBe(DATA_1);
    expect(await rewards.read.total()).toBe(parseEther("353.5"));
    expect(await pendingOf(rewards)).toEqual({ root: zeroHash, dataHash: zeroHash, total: 0n, validAt: 0n });
  });

  it("with nothing pending, accept reverts NoPendingRoot (before any proposal, and again right after an accept)", async () => {
    const { rewards } = await networkHelpers.loadFixture(emptyFixture);
    await expectRevert(rewards.write.accept({ account: carol.account }), "NoPendingRoot");
    const live = await networkHelpers.loadFixture(liveFixture);
    await expectRevert(live.rewards.write.accept({ account: carol.account }), "NoPendingRoot");
  });

  it("funded 353.5 SOGNI - 1 wei, accept reverts NotFunded(353.5, 353.5 - 1 wei); one more wei and it goes live", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(emptyFixture);
    await rewards.write.propose([first.root, DATA_1, first.total], { account: owner.account });
    await token.write.mint([rewards.address, parseEther("353.5") - 1n]);
    await networkHelpers.time.increase(TIMELOCK);
    await expectRevert(rewards.write.accept({ account: carol.account }), "NotFunded", [parseEther("353.5"), parseEther("353.5") - 1n]);
    expect(await rewards.read.root()).toBe(zeroHash);
    await token.write.mint([rewards.address, 1n]);
    await rewards.write.accept({ account: carol.account });
    expect(await rewards.read.root()).toBe(first.root);
  });

  it("what was claimed counts as funded: after alice (100) and bob (250.5) claim, publication 2 (427.5) needs 427.5 - 350.5 = 77 SOGNI held, not 427.5", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address));
    await claim(rewards, bob, bob.account.address, parseEther("250.5"), first.proof(bob.account.address));
    expect(await token.read.balanceOf([rewards.address])).toBe(parseEther("3")); // carol's, unclaimed
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    await networkHelpers.time.increase(TIMELOCK);
    expect(second.total).toBe(parseEther("427.5"));
    await expectRevert(rewards.write.accept({ account: carol.account }), "NotFunded", [parseEther("427.5"), parseEther("353.5")]);
    await token.write.mint([rewards.address, parseEther("74") - 1n]);
    await expectRevert(rewards.write.accept({ account: carol.account }), "NotFunded", [parseEther("427.5"), parseEther("427.5") - 1n]);
    await token.write.mint([rewards.address, 1n]);
    await rewards.write.accept({ account: carol.account });
    expect(await rewards.read.root()).toBe(second.root);
    expect(await token.read.balanceOf([rewards.address])).toBe(parseEther("77"));
  });
});

describe("SPEC 8.3: revoke, by the owner or the guardian, drops the pending root", () => {
  it("setGuardian(guardian) emits GuardianSet; the guardian revokes publication 2: RootRevoked, nothing pending, publication 1 stays live", async () => {
    const { rewards } = await networkHelpers.loadFixture(liveFixture);
    const set = await receiptOf(rewards.write.setGuardian([guardian.account.address], { account: owner.account }));
    expect(eventsOf(rewards.abi, set, "GuardianSet")).toEqual([{ guardian: getAddress(guardian.account.address) }]);
    expect(getAddress(await rewards.read.guardian())).toBe(getAddress(guardian.account.address));
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    const receipt = await receiptOf(rewards.write.revoke({ account: guardian.account }));
    expect(eventsOf(rewards.abi, receipt, "RootRevoked")).toEqual([{ root: second.root }]);
    expect(await pendingOf(rewards)).toEqual({ root: zeroHash, dataHash: zeroHash, total: 0n, validAt: 0n });
    expect(await rewards.read.root()).toBe(first.root);
  });

  it("a revoked root never pays: after the timelock, accept reverts NoPendingRoot and alice's 160 SOGNI proof from it reverts InvalidProof", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await token.write.mint([rewards.address, parseEther("1000")]);
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    await rewards.write.revoke({ account: owner.account });
    await networkHelpers.time.increase(TIMELOCK * 2n);
    await expectRevert(rewards.write.accept({ account: carol.account }), "NoPendingRoot");
    await expectRevert(claim(rewards, alice, alice.account.address, parseEther("160"), second.proof(alice.account.address)), "InvalidProof");
    await expectRevert(claim(rewards, carol, dave, parseEther("7"), second.proof(dave)), "InvalidProof");
    expect(await token.read.balanceOf([dave])).toBe(0n);
  });

  it("a stranger (alice) reverts NotOwnerOrGuardian(alice); a replaced guardian is refused; with nothing pending revoke reverts NoPendingRoot", async () => {
    const { rewards } = await networkHelpers.loadFixture(liveFixture);
    await rewards.write.setGuardian([guardian.account.address], { account: owner.account });
    await expectRevert(rewards.write.revoke({ account: guardian.account }), "NoPendingRoot");
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    await expectRevert(rewards.write.revoke({ account: alice.account }), "NotOwnerOrGuardian", [alice.account.address]);
    await rewards.write.setGuardian([zeroAddress], { account: owner.account });
    await expectRevert(rewards.write.revoke({ account: guardian.account }), "NotOwnerOrGuardian", [guardian.account.address]);
    expect((await pendingOf(rewards)).root).toBe(second.root);
  });

  it("setGuardian: only the owner (alice gets OwnableUnauthorizedAccount(alice))", async () => {
    const { rewards } = await networkHelpers.loadFixture(emptyFixture);
    await expectRevert(rewards.write.setGuardian([alice.account.address], { account: alice.account }), "OwnableUnauthorizedAccount", [alice.account.address]);
  });
});

describe("SPEC 8.3: claim pays the cumulative amount minus what was claimed, to the account", () => {
  it("alice claims 100 SOGNI: +100 to alice, Claimed(alice, 100, 100), claimed(alice) = totalClaimed = 100; the same claim again reverts NothingToClaim(alice, 100, 100)", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    const receipt = await claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address));
    expect(eventsOf(rewards.abi, receipt, "Claimed")).toEqual([
      { account: getAddress(alice.account.address), amount: parseEther("100"), cumulative: parseEther("100") },
    ]);
    expect(await token.read.balanceOf([alice.account.address])).toBe(parseEther("100"));
    expect(await token.read.balanceOf([rewards.address])).toBe(parseEther("253.5"));
    expect(await rewards.read.claimed([alice.account.address])).toBe(parseEther("100"));
    expect(await rewards.read.totalClaimed()).toBe(parseEther("100"));
    await expectRevert(
      claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address)),
      "NothingToClaim",
      [alice.account.address, parseEther("100"), parseEther("100")],
    );
  });

  it("across two publications: alice 100 then +60, bob 250.5 once (nothing more in 2), carol 10 at once, dave 7: everyone ends with exactly its cumulative amount", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address));
    await token.write.mint([rewards.address, parseEther("74")]); // 427.5 - 353.5
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    await networkHelpers.time.increase(TIMELOCK);
    await rewards.write.accept({ account: carol.account });

    const again = await claim(rewards, alice, alice.account.address, parseEther("160"), second.proof(alice.account.address));
    expect(eventsOf(rewards.abi, again, "Claimed")).toEqual([
      { account: getAddress(alice.account.address), amount: parseEther("60"), cumulative: parseEther("160") },
    ]);
    await claim(rewards, bob, bob.account.address, parseEther("250.5"), second.proof(bob.account.address));
    await expectRevert(
      claim(rewards, bob, bob.account.address, parseEther("250.5"), second.proof(bob.account.address)),
      "NothingToClaim",
      [bob.account.address, parseEther("250.5"), parseEther("250.5")],
    );
    await claim(rewards, carol, carol.account.address, parseEther("10"), second.proof(carol.account.address));
    await claim(rewards, carol, dave, parseEther("7"), second.proof(dave));

    expect(await token.read.balanceOf([alice.account.address])).toBe(parseEther("160"));
    expect(await token.read.balanceOf([bob.account.address])).toBe(parseEther("250.5"));
    expect(await token.read.balanceOf([carol.account.address])).toBe(parseEther("10"));
    expect(await token.read.balanceOf([dave])).toBe(parseEther("7"));
    expect(await rewards.read.totalClaimed()).toBe(parseEther("427.5"));
    expect(await token.read.balanceOf([rewards.address])).toBe(0n);
  });

  it("carol submits dave's claim (7 SOGNI): the tokens go to dave, carol gets nothing", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await token.write.mint([rewards.address, parseEther("74")]);
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    await networkHelpers.time.increase(TIMELOCK);
    await rewards.write.accept({ account: carol.account });
    const receipt = await claim(rewards, carol, dave, parseEther("7"), second.proof(dave));
    expect(getAddress(receipt.from)).toBe(getAddress(carol.account.address));
    expect(await token.read.balanceOf([dave])).toBe(parseEther("7"));
    expect(await token.read.balanceOf([carol.account.address])).toBe(0n);
  });

  it("before any root is live, a claim reverts NoLiveRoot (even with publication 1 proposed and funded)", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(emptyFixture);
    await expectRevert(claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address)), "NoLiveRoot");
    await rewards.write.propose([first.root, DATA_1, first.total], { account: owner.account });
    await token.write.mint([rewards.address, first.total]);
    await expectRevert(claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address)), "NoLiveRoot");
  });

  it("a pending root does not pay before it is accepted: alice's 160 SOGNI proof from publication 2 reverts InvalidProof while 1 is live", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await token.write.mint([rewards.address, parseEther("74")]);
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    await networkHelpers.time.increase(TIMELOCK);
    await expectRevert(claim(rewards, alice, alice.account.address, parseEther("160"), second.proof(alice.account.address)), "InvalidProof");
  });

  it("wrong leaves revert InvalidProof: 100 SOGNI + 1 wei, 99 SOGNI, bob claiming alice's leaf, a flipped proof bit, a missing sibling", async () => {
    const { rewards } = await networkHelpers.loadFixture(liveFixture);
    const proof = first.proof(alice.account.address);
    const a = alice.account.address;
    await expectRevert(claim(rewards, alice, a, parseEther("100") + 1n, proof), "InvalidProof");
    await expectRevert(claim(rewards, alice, a, parseEther("99"), proof), "InvalidProof");
    await expectRevert(claim(rewards, bob, bob.account.address, parseEther("100"), proof), "InvalidProof");
    await expectRevert(claim(rewards, alice, a, parseEther("100"), [flipBit(proof[0]!, 0), ...proof.slice(1)]), "InvalidProof");
    await expectRevert(claim(rewards, alice, a, parseEther("100"), proof.slice(0, -1)), "InvalidProof");
    expect(await rewards.read.claimed([a])).toBe(0n);
  });

  it("once publication 2 is live, publication 1's proofs no longer verify: alice's 100 SOGNI leaf reverts InvalidProof", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await token.write.mint([rewards.address, parseEther("74")]);
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    await networkHelpers.time.increase(TIMELOCK);
    await rewards.write.accept({ account: carol.account });
    await expectRevert(claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address)), "InvalidProof");
  });

  it("a root whose leaves add up to more than its total (alice 100 + bob 250.5 declared as 120 SOGNI) pays alice 100, then bob reverts ClaimExceedsTotal(250.5, 20)", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(emptyFixture);
    await rewards.write.propose([first.root, DATA_1, parseEther("120")], { account: owner.account });
    await token.write.mint([rewards.address, parseEther("1000")]);
    await networkHelpers.time.increase(TIMELOCK);
    await rewards.write.accept({ account: carol.account });
    await claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address));
    await expectRevert(
      claim(rewards, bob, bob.account.address, parseEther("250.5"), first.proof(bob.account.address)),
      "ClaimExceedsTotal",
      [parseEther("250.5"), parseEther("20")],
    );
    expect(await rewards.read.totalClaimed()).toBe(parseEther("100"));
  });

  it("a root that lowers an account below what it claimed (alice 100 claimed, then a root with alice at 40) pays her nothing: NothingToClaim(alice, 40, 100)", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address));
    const lowered = cumulativeTree([
      { account: alice.account.address, cumulative: parseEther("40") },
      { account: bob.account.address, cumulative: parseEther("400") },
    ]);
    await token.write.mint([rewards.address, parseEther("100")]);
    await rewards.write.propose([lowered.root, DATA_2, parseEther("440")], { account: owner.account });
    await networkHelpers.time.increase(TIMELOCK);
    await rewards.write.accept({ account: carol.account });
    await expectRevert(
      claim(rewards, alice, alice.account.address, parseEther("40"), lowered.proof(alice.account.address)),
      "NothingToClaim",
      [alice.account.address, parseEther("40"), parseEther("100")],
    );
  });
});

describe("SPEC 8.3: withdrawSurplus takes only what is held above total - totalClaimed", () => {
  it("before any root, the whole balance (5 SOGNI) is surplus: the owner takes it, SurplusWithdrawn(treasury, 5)", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(emptyFixture);
    await token.write.mint([rewards.address, parseEther("5")]);
    const receipt = await receiptOf(rewards.write.withdrawSurplus([treasury.account.address, parseEther("5")], { account: owner.account }));
    expect(eventsOf(rewards.abi, receipt, "SurplusWithdrawn")).toEqual([{ to: getAddress(treasury.account.address), amount: parseEther("5") }]);
    expect(await token.read.balanceOf([treasury.account.address])).toBe(parseEther("5"));
  });

  it("publication 1 live (353.5 owed) and 360 SOGNI held: 6.5 + 1 wei reverts InsufficientSurplus(6.5 + 1 wei, 6.5); 6.5 goes through and leaves exactly 353.5", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await token.write.mint([rewards.address, parseEther("6.5")]);
    await expectRevert(
      rewards.write.withdrawSurplus([treasury.account.address, parseEther("6.5") + 1n], { account: owner.account }),
      "InsufficientSurplus",
      [parseEther("6.5") + 1n, parseEther("6.5")],
    );
    await rewards.write.withdrawSurplus([treasury.account.address, parseEther("6.5")], { account: owner.account });
    expect(await token.read.balanceOf([rewards.address])).toBe(parseEther("353.5"));
    await expectRevert(rewards.write.withdrawSurplus([treasury.account.address, 1n], { account: owner.account }), "InsufficientSurplus", [1n, 0n]);
  });

  it("claims shrink what is owed and the balance alike: after alice's 100, 253.5 is held and owed, the surplus stays 0", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await claim(rewards, alice, alice.account.address, parseEther("100"), first.proof(alice.account.address));
    expect(await token.read.balanceOf([rewards.address])).toBe(parseEther("253.5"));
    await expectRevert(rewards.write.withdrawSurplus([treasury.account.address, 1n], { account: owner.account }), "InsufficientSurplus", [1n, 0n]);
  });

  it("only the live root is owed: a funded pending root can be drained, and then it is refused at accept (NotFunded(427.5, 353.5))", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(liveFixture);
    await token.write.mint([rewards.address, parseEther("74")]);
    await rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account });
    await rewards.write.withdrawSurplus([treasury.account.address, parseEther("74")], { account: owner.account });
    await networkHelpers.time.increase(TIMELOCK);
    await expectRevert(rewards.write.accept({ account: carol.account }), "NotFunded", [parseEther("427.5"), parseEther("353.5")]);
  });

  it("only the owner (alice gets OwnableUnauthorizedAccount(alice)); to the zero address reverts ZeroAddress", async () => {
    const { token, rewards } = await networkHelpers.loadFixture(emptyFixture);
    await token.write.mint([rewards.address, parseEther("5")]);
    await expectRevert(rewards.write.withdrawSurplus([alice.account.address, 1n], { account: alice.account }), "OwnableUnauthorizedAccount", [alice.account.address]);
    await expectRevert(rewards.write.withdrawSurplus([zeroAddress, 1n], { account: owner.account }), "ZeroAddress");
  });
});

describe("SPEC 8.3: ownership moves in two steps (Ownable2Step) and cannot be renounced", () => {
  it("after transferOwnership(treasury) and the treasury's acceptOwnership, the treasury proposes and the old owner gets NotOwnerOrProposer", async () => {
    const { rewards } = await networkHelpers.loadFixture(emptyFixture);
    await rewards.write.transferOwnership([treasury.account.address], { account: owner.account });
    expect(getAddress(await rewards.read.owner())).toBe(getAddress(owner.account.address));
    await expectRevert(rewards.write.acceptOwnership({ account: alice.account }), "OwnableUnauthorizedAccount", [alice.account.address]);
    await rewards.write.acceptOwnership({ account: treasury.account });
    await rewards.write.propose([first.root, DATA_1, first.total], { account: treasury.account });
    await expectRevert(rewards.write.propose([second.root, DATA_2, second.total], { account: owner.account }), "NotOwnerOrProposer", [owner.account.address]);
  });

  it("renounceOwnership (pure: it only reverts) reverts RenounceOwnershipDisabled, sent by the owner or by alice; the owner stays", async () => {
    const { rewards } = await networkHelpers.loadFixture(emptyFixture);
    const data = encodeFunctionData({ abi: rewards.abi, functionName: "renounceOwnership" });
    for (const caller of [owner, alice]) {
      await expectRevert(caller.sendTransaction({ to: rewards.address, data }), "RenounceOwnershipDisabled");
    }
    expect(getAddress(await rewards.read.owner())).toBe(getAddress(owner.account.address));
  });
});
