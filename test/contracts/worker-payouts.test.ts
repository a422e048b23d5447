/**
 * SPEC sections 4 and 7: WorkerPayouts pays a batch once, pulling the batch
 * total from the payer; every payment is a WorkerPaid event the season engine
 * cross-checks jobs against.
 */
import { describe, expect, it } from "vitest";
import { network } from "hardhat";
import { getAddress, maxUint256, parseEther, zeroAddress } from "viem";
import { eventsOf, expectRevert, testAddress } from "./helpers.js";

const { viem, networkHelpers } = await network.connect();
const publicClient = await viem.getPublicClient();
const [sogniOps, outsider, secondPayer] = await viem.getWalletClients();
if (!sogniOps || !outsider || !secondPayer) throw new Error("Hardhat must provide 3 accounts");

const worker1 = testAddress(0x101);
const worker2 = testAddress(0x102);
const worker3 = testAddress(0x103);

async function payoutsFixture() {
  const token = await viem.deployContract("SogniToken");
  const payouts = await viem.deployContract("WorkerPayouts", [token.address]);
  await token.write.mint([sogniOps!.account.address, parseEther("1000")]);
  await token.write.approve([payouts.address, parseEther("1000")]);
  return { token, payouts };
}

type Fixture = Awaited<ReturnType<typeof payoutsFixture>>;

async function pay(f: Fixture, batchId: bigint, workers: `0x${string}`[], amounts: bigint[], from = sogniOps) {
  const hash = await f.payouts.write.payWorkers([batchId, workers, amounts], { account: from!.account });
  return publicClient.waitForTransactionReceipt({ hash });
}

describe("SPEC 7: payWorkers pays each worker from the payer's balance", () => {
  it("batch 3 pays 9, 2.5 and 0.000001 SOGNI: the payer loses 11.500001, the contract keeps nothing", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    const amounts = [parseEther("9"), parseEther("2.5"), parseEther("0.000001")];
    const receipt = await pay(f, 3n, [worker1, worker2, worker3], amounts);
    expect(await f.token.read.balanceOf([worker1])).toBe(parseEther("9"));
    expect(await f.token.read.balanceOf([worker2])).toBe(parseEther("2.5"));
    expect(await f.token.read.balanceOf([worker3])).toBe(parseEther("0.000001"));
    expect(await f.token.read.balanceOf([sogniOps.account.address])).toBe(parseEther("1000") - parseEther("11.500001"));
    expect(await f.token.read.balanceOf([f.payouts.address])).toBe(0n);
    expect(await f.payouts.read.batchPaid([3n])).toBe(true);
    expect(eventsOf(f.payouts.abi, receipt, "WorkerPaid")).toEqual([
      { batchId: 3n, worker: getAddress(worker1), amount: parseEther("9") },
      { batchId: 3n, worker: getAddress(worker2), amount: parseEther("2.5") },
      { batchId: 3n, worker: getAddress(worker3), amount: parseEther("0.000001") },
    ]);
    expect(eventsOf(f.payouts.abi, receipt, "BatchPaid")).toEqual([
      { batchId: 3n, payer: getAddress(sogniOps.account.address), workers: 3n, total: parseEther("11.500001") },
    ]);
  });

  it("a worker listed twice in batch 4 (1 + 2 SOGNI) gets 3 SOGNI and two WorkerPaid events", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    const receipt = await pay(f, 4n, [worker1, worker1], [parseEther("1"), parseEther("2")]);
    expect(await f.token.read.balanceOf([worker1])).toBe(parseEther("3"));
    expect(eventsOf(f.payouts.abi, receipt, "WorkerPaid")).toHaveLength(2);
  });
});

describe("SPEC 7: one batch id is paid once", () => {
  it("paying batch 3 again reverts BatchAlreadyPaid(3); worker1 keeps the first 9 SOGNI only", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await pay(f, 3n, [worker1], [parseEther("9")]);
    await expectRevert(pay(f, 3n, [worker1], [parseEther("9")]), "BatchAlreadyPaid", [3n]);
    expect(await f.token.read.balanceOf([worker1])).toBe(parseEther("9"));
  });

  it("batch 3 then batch 4 both pay (distinct ids)", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await pay(f, 3n, [worker1], [parseEther("9")]);
    await pay(f, 4n, [worker1], [parseEther("1")]);
    expect(await f.token.read.balanceOf([worker1])).toBe(parseEther("10"));
  });

  it("a batch that fails (allowance 1000, batch of 1001 SOGNI) is not marked paid", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await f.token.write.mint([sogniOps.account.address, parseEther("1")]);
    await expectRevert(pay(f, 5n, [worker1], [parseEther("1001")]), "ERC20InsufficientAllowance");
    expect(await f.payouts.read.batchPaid([5n])).toBe(false);
  });
});

describe("SPEC 7: workers and amounts must match", () => {
  it("2 workers and 3 amounts revert LengthMismatch(2, 3)", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await expectRevert(pay(f, 1n, [worker1, worker2], [1n, 2n, 3n]), "LengthMismatch", [2n, 3n]);
  });

  it("an empty batch reverts EmptyBatch", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await expectRevert(pay(f, 1n, [], []), "EmptyBatch");
  });

  it("a zero amount at position 1 reverts ZeroAmount(1); the zero address at position 0 reverts ZeroAddress(0)", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await expectRevert(pay(f, 1n, [worker1, worker2], [5n, 0n]), "ZeroAmount", [1n]);
    await expectRevert(pay(f, 1n, [zeroAddress, worker2], [5n, 6n]), "ZeroAddress", [0n]);
  });
});

describe("A batch total that does not fit in a uint256 fails with BatchTotalOverflow(position), not a 0x11 panic", () => {
  it("[2^256 - 1, 1] reverts BatchTotalOverflow(1); [5, 2^256 - 6, 1] reverts BatchTotalOverflow(2); batch 1 stays unpaid", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await expectRevert(pay(f, 1n, [worker1, worker2], [maxUint256, 1n]), "BatchTotalOverflow", [1n]);
    await expectRevert(pay(f, 1n, [worker1, worker2, worker3], [5n, maxUint256 - 5n, 1n]), "BatchTotalOverflow", [2n]);
    expect(await f.payouts.read.batchPaid([1n])).toBe(false);
  });

  it("a total of exactly 2^256 - 1 ([2^256 - 2, 1]) does not overflow: it gets past the sum and fails only in the token (ERC20InsufficientAllowance)", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await expectRevert(pay(f, 1n, [worker1, worker2], [maxUint256 - 1n, 1n]), "ERC20InsufficientAllowance");
  });
});

describe("Payer role: only payers set by the owner may pay (the deployer is the first)", () => {
  it("an outsider with tokens and allowance reverts NotPayer(outsider)", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await f.token.write.mint([outsider.account.address, parseEther("10")]);
    await f.token.write.approve([f.payouts.address, parseEther("10")], { account: outsider.account });
    await expectRevert(pay(f, 1n, [worker1], [parseEther("1")], outsider), "NotPayer", [outsider.account.address]);
  });

  it("the owner allows a second payer, who pays batch 8 (2 SOGNI); revoked, it reverts NotPayer", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await f.token.write.mint([secondPayer.account.address, parseEther("10")]);
    await f.token.write.approve([f.payouts.address, parseEther("10")], { account: secondPayer.account });
    await f.payouts.write.setPayer([secondPayer.account.address, true]);
    expect(await f.payouts.read.isPayer([secondPayer.account.address])).toBe(true);
    await pay(f, 8n, [worker2], [parseEther("2")], secondPayer);
    expect(await f.token.read.balanceOf([secondPayer.account.address])).toBe(parseEther("8"));
    await f.payouts.write.setPayer([secondPayer.account.address, false]);
    await expectRevert(pay(f, 9n, [worker2], [parseEther("2")], secondPayer), "NotPayer", [secondPayer.account.address]);
  });

  it("a non-owner cannot set payers: OwnableUnauthorizedAccount(outsider)", async () => {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    await expectRevert(
      f.payouts.write.setPayer([outsider.account.address, true], { account: outsider.account }),
      "OwnableUnauthorizedAccount",
      [outsider.account.address],
    );
  });
});
