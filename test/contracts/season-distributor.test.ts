/**
 * SPEC sections 5 and 7: SeasonDistributor on Hardhat's in-process chain, with
 * trees built by the reference builder (merkletreejs + keccak256).
 */
import { describe, expect, it } from "vitest";
import { network } from "hardhat";
import { encodeFunctionData, getAddress, parseEther, zeroAddress, type Address, type Hex } from "viem";
import { eventsOf, expectRevert, flipBit, referenceTree, testAddress, type Allocation } from "./helpers.js";

const { viem, networkHelpers } = await network.connect();
const publicClient = await viem.getPublicClient();
const [owner, alice, bob, carol, treasury] = await viem.getWalletClients();
if (!owner || !alice || !bob || !carol || !treasury) throw new Error("Hardhat must provide 5 accounts");

const DAY = 86_400n;

/** Five leaves (an odd count, so one node is carried up): 100, 250.5, 0.000…001, 7, 3 SOGNI. */
const allocations: Allocation[] = [
  { account: alice.account.address, amount: parseEther("100") },
  { account: bob.account.address, amount: parseEther("250.5") },
  { account: testAddress(0xa), amount: 1n },
  { account: testAddress(0xb), amount: parseEther("7") },
  { account: carol.account.address, amount: parseEther("3") },
];
const total = allocations.reduce((sum, a) => sum + a.amount, 0n); // 360.5 SOGNI + 1 wei
const tree = referenceTree(allocations);

async function deployDistributor(leaves: readonly Allocation[], deadline: bigint, funding: bigint) {
  const built = referenceTree(leaves);
  const token = await viem.deployContract("SogniToken");
  const distributor = await viem.deployContract("SeasonDistributor", [
    token.address,
    built.root,
    deadline,
    owner!.account.address,
  ]);
  await token.write.mint([distributor.address, funding]);
  return { token, distributor, tree: built };
}

async function seasonFixture() {
  const now = BigInt(await networkHelpers.time.latest());
  const deadline = now + 30n * DAY;
  return { ...(await deployDistributor(allocations, deadline, total)), deadline };
}

async function noDeadlineFixture() {
  return deployDistributor(allocations, 0n, total);
}

async function claimAs(
  client: typeof alice,
  distributor: Awaited<ReturnType<typeof seasonFixture>>["distributor"],
  index: number,
  account: Address,
  amount: bigint,
  proof: Hex[],
) {
  const hash = await distributor.write.claim([BigInt(index), account, amount, proof], { account: client!.account });
  return publicClient.waitForTransactionReceipt({ hash });
}

describe("SPEC 5: a merkletreejs proof verifies on-chain", () => {
  it("the distributor stores the merkletreejs root of the 5 leaves", async () => {
    const { distributor } = await networkHelpers.loadFixture(seasonFixture);
    expect(await distributor.read.merkleRoot()).toBe(tree.root);
  });

  it("bob's proof (index 1, 250.5 SOGNI) from merkletreejs pays 250.5 SOGNI", async () => {
    const { distributor, token } = await networkHelpers.loadFixture(seasonFixture);
    await claimAs(bob, distributor, 1, bob.account.address, parseEther("250.5"), tree.proof(1));
    expect(await token.read.balanceOf([bob.account.address])).toBe(parseEther("250.5"));
  });

  it("the same proof with one flipped bit (bit 0 of the first sibling, then bit 255 of the last) is rejected", async () => {
    const { distributor } = await networkHelpers.loadFixture(seasonFixture);
    const proof = tree.proof(1);
    expect(proof.length).toBe(3); // 5 leaves: depth 3
    const firstFlipped = [flipBit(proof[0]!, 0), ...proof.slice(1)];
    const lastFlipped = [...proof.slice(0, -1), flipBit(proof[proof.length - 1]!, 255)];
    await expectRevert(claimAs(bob, distributor, 1, bob.account.address, parseEther("250.5"), firstFlipped), "InvalidProof");
    await expectRevert(claimAs(bob, distributor, 1, bob.account.address, parseEther("250.5"), lastFlipped), "InvalidProof");
    expect(await distributor.read.isClaimed([1n])).toBe(false);
  });

  it("a proof missing its last sibling, or with a sibling too many, is rejected", async () => {
    const { distributor } = await networkHelpers.loadFixture(seasonFixture);
    const proof = tree.proof(0);
    await expectRevert(claimAs(alice, distributor, 0, alice.account.address, parseEther("100"), proof.slice(0, -1)), "InvalidProof");
    await expectRevert(
      claimAs(alice, distributor, 0, alice.account.address, parseEther("100"), [...proof, tree.root]),
      "InvalidProof",
    );
  });

  it("every leaf of trees of 1, 2, 3, 7 and 300 leaves claims (odd nodes carried up; bitmap words 0 and 1)", async () => {
    for (const size of [1, 2, 3, 7, 300]) {
      const leaves = Array.from({ length: size }, (_, i) => ({ account: testAddress(i + 1), amount: BigInt(i + 1) * 1000n }));
      const funding = leaves.reduce((sum, a) => sum + a.amount, 0n);
      const { distributor, token, tree: built } = await deployDistributor(leaves, 0n, funding);
      // 300 leaves: claim the bitmap edges only (indices 0, 255, 256, 299); small trees: all.
      const indices = size === 300 ? [0, 255, 256, 299] : leaves.map((_, i) => i);
      for (const i of indices) {
        await claimAs(carol, distributor, i, leaves[i]!.account, leaves[i]!.amount, built.proof(i));
        expect(await token.read.balanceOf([leaves[i]!.account])).toBe(BigInt(i + 1) * 1000n);
      }
      const paid = indices.reduce((sum, i) => sum + leaves[i]!.amount, 0n);
      expect(await token.read.balanceOf([distributor.address])).toBe(funding - paid);
      if (size === 300) {
        expect(await distributor.read.isClaimed([254n])).toBe(false);
        expect(await distributor.read.isClaimed([257n])).toBe(false);
        expect(await distributor.read.isClaimed([256n])).toBe(true);
      }
    }
  });
});

describe("SPEC 7: claim pays the leaf's amount to its account, once", () => {
  it("alice claims index 0: +100 SOGNI to alice, -100 from the distributor, Claimed(0, alice, 100e18)", async () => {
    const { distributor, token } = await networkHelpers.loadFixture(seasonFixture);
    expect(await distributor.read.isClaimed([0n])).toBe(false);
    const receipt = await claimAs(alice, distributor, 0, alice.account.address, parseEther("100"), tree.proof(0));
    expect(await token.read.balanceOf([alice.account.address])).toBe(parseEther("100"));
    expect(await token.read.balanceOf([distributor.address])).toBe(total - parseEther("100"));
    expect(await distributor.read.isClaimed([0n])).toBe(true);
    expect(await distributor.read.isClaimed([1n])).toBe(false);
    expect(eventsOf(distributor.abi, receipt, "Claimed")).toEqual([
      { index: 0n, account: getAddress(alice.account.address), amount: parseEther("100") },
    ]);
  });

  it("a second claim of index 0 reverts AlreadyClaimed(0) and pays nothing more", async () => {
    const { distributor, token } = await networkHelpers.loadFixture(seasonFixture);
    await claimAs(alice, distributor, 0, alice.account.address, parseEther("100"), tree.proof(0));
    await expectRevert(
      claimAs(alice, distributor, 0, alice.account.address, parseEther("100"), tree.proof(0)),
      "AlreadyClaimed",
      [0n],
    );
    expect(await token.read.balanceOf([alice.account.address])).toBe(parseEther("100"));
  });

  it("a wrong amount (100 SOGNI + 1 wei, or 99 SOGNI) for alice's leaf reverts InvalidProof", async () => {
    const { distributor } = await networkHelpers.loadFixture(seasonFixture);
    await expectRevert(
      claimAs(alice, distributor, 0, alice.account.address, parseEther("100") + 1n, tree.proof(0)),
      "InvalidProof",
    );
    await expectRevert(claimAs(alice, distributor, 0, alice.account.address, parseEther("99"), tree.proof(0)), "InvalidProof");
  });

  it("a wrong index (alice's leaf and proof claimed as index 1 or 5) reverts InvalidProof", async () => {
    const { distributor } = await networkHelpers.loadFixture(seasonFixture);
    await expectRevert(claimAs(alice, distributor, 1, alice.account.address, parseEther("100"), tree.proof(0)), "InvalidProof");
    await expectRevert(claimAs(alice, distributor, 5, alice.account.address, parseEther("100"), tree.proof(0)), "InvalidProof");
    expect(await distributor.read.isClaimed([1n])).toBe(false);
  });

  it("a wrong account (bob claiming alice's 100 SOGNI leaf to himself) reverts InvalidProof", async () => {
    const { distributor } = await networkHelpers.loadFixture(seasonFixture);
    await expectRevert(claimAs(bob, distributor, 0, bob.account.address, parseEther("100"), tree.proof(0)), "InvalidProof");
  });

  it("carol submits bob's claim: bob gets 250.5 SOGNI, carol's balance stays 0", async () => {
    const { distributor, token } = await networkHelpers.loadFixture(seasonFixture);
    const receipt = await claimAs(carol, distributor, 1, bob.account.address, parseEther("250.5"), tree.proof(1));
    expect(receipt.from.toLowerCase()).toBe(carol.account.address.toLowerCase());
    expect(await token.read.balanceOf([bob.account.address])).toBe(parseEther("250.5"));
    expect(await token.read.balanceOf([carol.account.address])).toBe(0n);
    expect(eventsOf(distributor.abi, receipt, "Claimed")).toEqual([
      { index: 1n, account: getAddress(bob.account.address), amount: parseEther("250.5") },
    ]);
  });

  it("claiming all 5 leaves in reverse order pays exactly the funded 360.5 SOGNI + 1 wei and empties the distributor", async () => {
    const { distributor, token } = await networkHelpers.loadFixture(seasonFixture);
    for (let i = allocations.length - 1; i >= 0; i--) {
      await claimAs(carol, distributor, i, allocations[i]!.account, allocations[i]!.amount, tree.proof(i));
    }
    for (const a of allocations) expect(await token.read.balanceOf([a.account])).toBe(a.amount);
    expect(total).toBe(parseEther("360.5") + 1n);
    expect(await token.read.balanceOf([distributor.address])).toBe(0n);
  });

  it("an underfunded distributor (funded 1 SOGNI) reverts alice's 100 SOGNI claim and leaves index 0 unclaimed", async () => {
    const { distributor } = await deployDistributor(allocations, 0n, parseEther("1"));
    await expectRevert(
      claimAs(alice, distributor, 0, alice.account.address, parseEther("100"), tree.proof(0)),
      "ERC20InsufficientBalance",
    );
    expect(await distributor.read.isClaimed([0n])).toBe(false);
  });
});

describe("SPEC 7: the claim deadline, and sweep after it", () => {
  it("views: token, merkleRoot, claimDeadline (now + 30 days), owner", async () => {
    const { distributor, token, deadline } = await networkHelpers.loadFixture(seasonFixture);
    expect((await distributor.read.token()).toLowerCase()).toBe(token.address.toLowerCase());
    expect(await distributor.read.merkleRoot()).toBe(tree.root);
    expect(await distributor.read.claimDeadline()).toBe(deadline);
    expect((await distributor.read.owner()).toLowerCase()).toBe(owner.account.address.toLowerCase());
  });

  it("a claim in the deadline's own second succeeds; one second later reverts ClaimWindowClosed(deadline)", async () => {
    const { distributor, token, deadline } = await networkHelpers.loadFixture(seasonFixture);
    await networkHelpers.time.setNextBlockTimestamp(deadline);
    await claimAs(alice, distributor, 0, alice.account.address, parseEther("100"), tree.proof(0));
    expect(await token.read.balanceOf([alice.account.address])).toBe(parseEther("100"));
    await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
    await expectRevert(
      claimAs(bob, distributor, 1, bob.account.address, parseEther("250.5"), tree.proof(1)),
      "ClaimWindowClosed",
      [deadline],
    );
  });

  it("sweep at the deadline second reverts SweepNotYetAllowed(deadline)", async () => {
    const { distributor, deadline } = await networkHelpers.loadFixture(seasonFixture);
    await networkHelpers.time.setNextBlockTimestamp(deadline);
    await expectRevert(
      distributor.write.sweep([treasury.account.address], { account: owner.account }),
      "SweepNotYetAllowed",
      [deadline],
    );
  });

  it("after the deadline the owner sweeps the unclaimed 260.5 SOGNI + 1 wei to the treasury (alice claimed 100)", async () => {
    const { distributor, token, deadline } = await networkHelpers.loadFixture(seasonFixture);
    await claimAs(alice, distributor, 0, alice.account.address, parseEther("100"), tree.proof(0));
    await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
    const hash = await distributor.write.sweep([treasury.account.address], { account: owner.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(await token.read.balanceOf([treasury.account.address])).toBe(parseEther("260.5") + 1n);
    expect(await token.read.balanceOf([distributor.address])).toBe(0n);
    expect(eventsOf(distributor.abi, receipt, "Swept")).toEqual([
      { to: getAddress(treasury.account.address), amount: parseEther("260.5") + 1n },
    ]);
  });

  it("a non-owner (alice) cannot sweep after the deadline: OwnableUnauthorizedAccount(alice)", async () => {
    const { distributor, deadline } = await networkHelpers.loadFixture(seasonFixture);
    await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
    await expectRevert(
      distributor.write.sweep([alice.account.address], { account: alice.account }),
      "OwnableUnauthorizedAccount",
      [alice.account.address],
    );
  });

  it("sweep to the zero address reverts ZeroAddress", async () => {
    const { distributor, deadline } = await networkHelpers.loadFixture(seasonFixture);
    await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
    await expectRevert(distributor.write.sweep([zeroAddress], { account: owner.account }), "ZeroAddress");
  });

  it("claimDeadline 0 means no deadline: a claim 10 years later succeeds and sweep reverts SweepNotYetAllowed(0)", async () => {
    const { distributor, token } = await networkHelpers.loadFixture(noDeadlineFixture);
    await networkHelpers.time.increase(3650 * 86_400);
    await claimAs(alice, distributor, 0, alice.account.address, parseEther("100"), tree.proof(0));
    expect(await token.read.balanceOf([alice.account.address])).toBe(parseEther("100"));
    await expectRevert(distributor.write.sweep([treasury.account.address], { account: owner.account }), "SweepNotYetAllowed", [0n]);
  });

  it("a distributor for the zero token address cannot be deployed (ZeroAddress)", async () => {
    await expectRevert(viem.deployContract("SeasonDistributor", [zeroAddress, tree.root, 0n, owner.account.address]), "ZeroAddress");
  });

  it("a distributor owned by the zero address cannot be deployed (OwnableInvalidOwner(0x0))", async () => {
    const { token } = await networkHelpers.loadFixture(seasonFixture);
    await expectRevert(
      viem.deployContract("SeasonDistributor", [token.address, tree.root, 0n, zeroAddress]),
      "OwnableInvalidOwner",
      [zeroAddress],
    );
  });

  it("a deadline equal to the deploy block's timestamp, or one second before it, reverts DeadlineInPast(deadline, now)", async () => {
    const { token } = await networkHelpers.loadFixture(seasonFixture);
    const now = BigInt(await networkHelpers.time.latest()) + 100n;
    for (const deadline of [now, now - 1n]) {
      await networkHelpers.time.setNextBlockTimestamp(now);
      await expectRevert(
        viem.deployContract("SeasonDistributor", [token.address, tree.root, deadline, owner.account.address]),
        "DeadlineInPast",
        [deadline, now],
      );
    }
  });

  it("a deadline one second after the deploy block's timestamp deploys and keeps that deadline; 0 (no deadline) deploys too", async () => {
    const { token } = await networkHelpers.loadFixture(seasonFixture);
    const now = BigInt(await networkHelpers.time.latest()) + 100n;
    await networkHelpers.time.setNextBlockTimestamp(now);
    const distributor = await viem.deployContract("SeasonDistributor", [token.address, tree.root, now + 1n, owner.account.address]);
    expect(await distributor.read.claimDeadline()).toBe(now + 1n);
    const open = await viem.deployContract("SeasonDistributor", [token.address, tree.root, 0n, owner.account.address]);
    expect(await open.read.claimDeadline()).toBe(0n);
  });
});

describe("SPEC 7: ownership moves in two steps (Ownable2Step) and cannot be renounced", () => {
  it("transferOwnership(treasury) only names a pending owner: the owner still sweeps until the treasury accepts", async () => {
    const { distributor, deadline } = await networkHelpers.loadFixture(seasonFixture);
    await distributor.write.transferOwnership([treasury.account.address], { account: owner.account });
    expect(getAddress(await distributor.read.owner())).toBe(getAddress(owner.account.address));
    expect(getAddress(await distributor.read.pendingOwner())).toBe(getAddress(treasury.account.address));
    await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
    await distributor.write.sweep([owner.account.address], { account: owner.account });
  });

  it("after the treasury accepts, only the treasury sweeps the 360.5 SOGNI + 1 wei", async () => {
    const { distributor, token, deadline } = await networkHelpers.loadFixture(seasonFixture);
    await distributor.write.transferOwnership([treasury.account.address], { account: owner.account });
    await distributor.write.acceptOwnership({ account: treasury.account });
    expect(getAddress(await distributor.read.owner())).toBe(getAddress(treasury.account.address));
    expect(await distributor.read.pendingOwner()).toBe(zeroAddress);
    await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
    await expectRevert(
      distributor.write.sweep([owner.account.address], { account: owner.account }),
      "OwnableUnauthorizedAccount",
      [owner.account.address],
    );
    await distributor.write.sweep([treasury.account.address], { account: treasury.account });
    expect(await token.read.balanceOf([treasury.account.address])).toBe(total);
  });

  it("only the pending owner may accept: alice's acceptOwnership reverts OwnableUnauthorizedAccount(alice)", async () => {
    const { distributor } = await networkHelpers.loadFixture(seasonFixture);
    await distributor.write.transferOwnership([treasury.account.address], { account: owner.account });
    await expectRevert(distributor.write.acceptOwnership({ account: alice.account }), "OwnableUnauthorizedAccount", [alice.account.address]);
    expect(getAddress(await distributor.read.owner())).toBe(getAddress(owner.account.address));
  });

  it("renounceOwnership (declared pure: it changes nothing) reverts RenounceOwnershipDisabled, sent by the owner or by alice; the owner stays", async () => {
    const { distributor } = await networkHelpers.loadFixture(seasonFixture);
    const data = encodeFunctionData({ abi: distributor.abi, functionName: "renounceOwnership" });
    for (const caller of [owner, alice]) {
      await expectRevert(caller.sendTransaction({ to: distributor.address, data }), "RenounceOwnershipDisabled");
    }
    await expectRevert(distributor.read.renounceOwnership(), "RenounceOwnershipDisabled");
    expect(getAddress(await distributor.read.owner())).toBe(getAddress(owner.account.address));
  });
});
