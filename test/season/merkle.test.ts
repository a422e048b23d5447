/// <reference path="../../artifacts/contracts/harness/MerkleProofHarness.sol/artifacts.d.ts" />
/**
 * SPEC section 5, season/tree.ts and season/leaf.ts against the references the spec names:
 * merkletreejs (`sortPairs: true`) for the root and proofs, viem's
 * encodeAbiParameters + keccak256 for the leaf, and OpenZeppelin 5's
 * `MerkleProof` on Hardhat's in-process chain for verification.
 */
import fc from "fast-check";
import keccak256 from "keccak256";
import { MerkleTree as ReferenceTree } from "merkletreejs";
import { network } from "hardhat";
import { encodeAbiParameters, keccak256 as viemKeccak256, type Address, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { leafBytes, leafHash, writeLeaf } from "../../season/leaf.js";
import { buildTree, buildTreeFromBytes, verifyProof } from "../../season/tree.js";

const ZERO_ROOT = `0x${"00".repeat(32)}`;

/** The leaf the way SPEC 5 writes it, with viem. */
function viemLeaf(index: number, account: Address, amount: bigint): Hex {
  const encoded = encodeAbiParameters([{ type: "uint256" }, { type: "address" }, { type: "uint256" }], [BigInt(index), account, amount]);
  return viemKeccak256(viemKeccak256(encoded));
}

/** A deterministic address for recipient `i` (lower case, like the engine's). */
function addressOf(i: number): Address {
  return `0x${viemKeccak256(`0x${i.toString(16).padStart(8, "0")}`).slice(26)}` as Address;
}

function leavesOf(count: number, salt = 0): Hex[] {
  return Array.from({ length: count }, (_, i) => leafHash(i, addressOf(i + salt), BigInt(i + 1) * 10n ** 18n + BigInt(salt)));
}

function reference(leaves: readonly Hex[]): ReferenceTree {
  return new ReferenceTree(leaves.map((leaf) => Buffer.from(leaf.slice(2), "hex")), keccak256, { sortPairs: true });
}

function flipBit(hex: Hex, bit: number): Hex {
  const byte = 2 + (bit >> 3) * 2 // offset of the byte's two digits after "0x"
  const value = parseInt(hex.slice(byte, byte + 2), 16) ^ (0x80 >> (bit & 7));
  return `${hex.slice(0, byte)}${value.toString(16).padStart(2, "0")}${hex.slice(byte + 2)}` as Hex;
}

describe("SPEC 5 leaf: keccak256(bytes.concat(keccak256(abi.encode(uint256 index, address account, uint256 amount))))", () => {
  it("equals viem's encodeAbiParameters + double keccak256 at the edges of each field", () => {
    const cases: [number, Address, bigint][] = [
      [0, "0x0000000000000000000000000000000000000000", 0n],
      [1, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", 10n ** 18n],
      [999_999, "0xffffffffffffffffffffffffffffffffffffffff", (1n << 256n) - 1n],
      [2 ** 32, "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", 1n << 64n],
      [Number.MAX_SAFE_INTEGER, "0x90f79bf6eb2c4f870365e785982e1f101e93b906", (1n << 128n) + 7n],
    ];
    for (const [index, account, amount] of cases) {
      expect(leafHash(index, account, amount)).toBe(viemLeaf(index, account, amount));
    }
  });

  it("a known value: leaf(0, 0x7099…79c8, 1 SOGNI)", () => {
    expect(leafHash(0, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", 10n ** 18n)).toBe(
      viemLeaf(0, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", 10n ** 18n),
    );
  });

  it("any case of the address gives the same leaf (the address bytes are what is encoded)", () => {
    const lower = "0x52908400098527886e0f7030069857d2e4169ee7";
    expect(leafHash(3, lower.toUpperCase().replace("0X", "0x"), 5n)).toBe(leafHash(3, lower, 5n));
    expect(leafHash(3, "0x52908400098527886E0F7030069857D2E4169EE7", 5n)).toBe(leafHash(3, lower, 5n));
  });

  it("equals viem for random (index, address, amount)", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
        (index, bytes, amount) => {
          const account = `0x${Buffer.from(bytes).toString("hex")}` as Address;
          expect(leafHash(index, account, amount)).toBe(viemLeaf(index, account, amount));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("leafBytes and writeLeaf are the same 32 bytes", () => {
    const account = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    const packed = new Uint8Array(64);
    writeLeaf(packed, 32, 7, account, 123n);
    expect(`0x${Buffer.from(leafBytes(7, account, 123n)).toString("hex")}`).toBe(leafHash(7, account, 123n));
    expect(`0x${Buffer.from(packed.subarray(32)).toString("hex")}`).toBe(leafHash(7, account, 123n));
    expect([...packed.subarray(0, 32)].every((b) => b === 0)).toBe(true);
  });

  it("rejects what cannot be encoded: negative or fractional index, amount outside uint256, a malformed address", () => {
    const account = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    expect(() => leafHash(-1, account, 1n)).toThrow(/index/);
    expect(() => leafHash(1.5, account, 1n)).toThrow(/index/);
    expect(() => leafHash(0, account, -1n)).toThrow(/uint256/);
    expect(() => leafHash(0, account, 1n << 256n)).toThrow(/uint256/);
    expect(() => leafHash(0, "0x90f79bf6eb2c4f870365e785982e1f101e93b9", 1n)).toThrow(/40 hex digits/);
    expect(() => leafHash(0, "0x90f79bf6eb2c4f870365e785982e1f101e93b9zz", 1n)).toThrow(/40 hex digits/);
    expect(() => leafHash(0, "90f79bf6eb2c4f870365e785982e1f101e93b90600", 1n)).toThrow(/40 hex digits/);
  });
});

describe("SPEC 5 tree: the root equals merkletreejs new MerkleTree(leaves, keccak256, { sortPairs: true })", () => {
  it("sizes 1 to 70: same root, same proof for every leaf, and every proof verifies with both", () => {
    for (let size = 1; size <= 70; size++) {
      const leaves = leavesOf(size, size);
      const ours = buildTree(leaves);
      const theirs = reference(leaves);
      expect(ours.root, `size ${size}`).toBe(theirs.getHexRoot());
      expect(ours.size).toBe(size);
      expect(ours.depth).toBe(Math.ceil(Math.log2(size)));
      for (let i = 0; i < size; i++) {
        const proof = ours.proof(i);
        expect(proof, `size ${size} leaf ${i}`).toEqual(theirs.getHexProof(Buffer.from(leaves[i]!.slice(2), "hex"), i));
        expect(verifyProof(leaves[i]!, proof, ours.root)).toBe(true);
        expect(theirs.verify(proof, leaves[i]!, theirs.getHexRoot())).toBe(true);
      }
    }
  });

  it("random sizes up to 5000 (fast-check): same root; random leaves verify with both", () => {
    fc.assert(
      fc.property(fc.integer({ min: 71, max: 5000 }), fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (size, salt, picks) => {
        const leaves = leavesOf(size, salt);
        const ours = buildTree(leaves);
        const theirs = reference(leaves);
        expect(ours.root).toBe(theirs.getHexRoot());
        for (const pick of [0, size - 1, ...picks.map((p) => p % size)]) {
          const proof = ours.proof(pick);
          expect(proof).toEqual(theirs.getHexProof(Buffer.from(leaves[pick]!.slice(2), "hex"), pick));
          expect(verifyProof(leaves[pick]!, proof, ours.root)).toBe(true);
          expect(theirs.verify(proof, leaves[pick]!, ours.root)).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("arbitrary 32-byte leaves (not only SPEC leaves), duplicates included, give the merkletreejs root", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 300 }), (raw) => {
        const leaves = raw.map((bytes) => `0x${Buffer.from(bytes).toString("hex")}` as Hex);
        const withDuplicate = [...leaves, leaves[0]!];
        expect(buildTree(withDuplicate).root).toBe(reference(withDuplicate).getHexRoot());
        expect(buildTree(raw).root).toBe(reference(leaves).getHexRoot());
      }),
      { numRuns: 100 },
    );
  });

  it("buildTreeFromBytes over packed leaves equals buildTree over hex leaves (1,000 leaves)", () => {
    const leaves = leavesOf(1000);
    const packed = new Uint8Array(32 * 1000);
    leaves.forEach((leaf, i) => packed.set(Buffer.from(leaf.slice(2), "hex"), 32 * i));
    const fromBytes = buildTreeFromBytes(packed);
    const fromHex = buildTree(leaves);
    expect(fromBytes.root).toBe(fromHex.root);
    expect(fromBytes.proof(999)).toEqual(fromHex.proof(999));
    expect(fromBytes.depth).toBe(10);
  });

  it("the worked example of docs/merkle.md: three recipients, their leaves, root and proofs", () => {
    const leaves = [
      leafHash(0, "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", 250n * 10n ** 18n),
      leafHash(1, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", 1000n * 10n ** 18n),
      leafHash(2, "0x90f79bf6eb2c4f870365e785982e1f101e93b906", 50n * 10n ** 18n),
    ];
    expect(leaves).toEqual([
      "0x979572d2af59464da3f460888942e2a3e0877dafdef91c6652f04985c653f821",
      "0xe72ed4e7844654490f0380b571c51adc2bfee1af538345e63a886c45926f9370",
      "0x2d914ad483f63756ada377fd3004bc987a406314b6347c215ffc72c7c7e2a3f1",
    ]);
    const tree = buildTree(leaves);
    expect(tree.root).toBe("0x3983618fb806032a049988ed227e47a272fb988007629139640f3dbae387c39f");
    expect(tree.proof(0)).toEqual([leaves[1], leaves[2]]);
    expect(tree.proof(2)).toEqual(["0xf506a407227de388335adc0679cde772b702904982f1126c6cc33d73b0fcd0d7"]);
    expect(reference(leaves).getHexRoot()).toBe(tree.root);
  });

  it("proofs do not depend on the order they are asked in (1,025 leaves, backwards and shuffled vs forwards)", () => {
    const leaves = leavesOf(1025);
    const forwards = buildTree(leaves);
    const expected = leaves.map((_, i) => forwards.proof(i));
    const backwards = buildTree(leaves);
    for (let i = 1024; i >= 0; i--) expect(backwards.proof(i)).toEqual(expected[i]);
    const shuffled = buildTree(leaves);
    for (let k = 0; k < 1025; k++) {
      const i = (k * 389) % 1025; // 389 is prime to 1025: every index once
      expect(shuffled.proof(i)).toEqual(expected[i]);
    }
    // Leaf 1024 is carried up alone ten times and meets the first 1,024 leaves' root at the top.
    expect(expected[1024]).toEqual([buildTree(leaves.slice(0, 1024)).root]);
  });

  it("upper-case hex or byte leaves give the same lower-case root and proofs as lower-case hex leaves", () => {
    const leaves = leavesOf(9);
    const upper = leaves.map((leaf) => `0x${leaf.slice(2).toUpperCase()}` as Hex);
    const bytes = leaves.map((leaf) => Uint8Array.from(Buffer.from(leaf.slice(2), "hex")));
    const lower = buildTree(leaves);
    for (const other of [buildTree(upper), buildTree(bytes)]) {
      expect(other.root).toBe(lower.root);
      for (let i = 0; i < 9; i++) expect(other.proof(i)).toEqual(lower.proof(i));
    }
    expect(buildTree(upper).proof(0)[0]).toBe(leaves[1]);
  });

  it("odd node carried up unchanged: in a 3-leaf tree leaf 2's proof is the one node above leaves 0 and 1", () => {
    const leaves = leavesOf(3);
    const tree = buildTree(leaves);
    expect(tree.proof(2)).toEqual([buildTree(leaves.slice(0, 2)).root]);
    expect(tree.proof(0)).toEqual([leaves[1], leaves[2]]);
  });

  it("one leaf: the root is the leaf, the proof is empty", () => {
    const [leaf] = leavesOf(1);
    const tree = buildTree([leaf!]);
    expect(tree.root).toBe(leaf);
    expect(tree.depth).toBe(0);
    expect(tree.proof(0)).toEqual([]);
    expect(verifyProof(leaf!, [], tree.root)).toBe(true);
  });

  it("no leaf: the root is 32 zero bytes and there is no proof to ask for", () => {
    const tree = buildTree([]);
    expect(tree.root).toBe(ZERO_ROOT);
    expect(tree.size).toBe(0);
    expect(tree.depth).toBe(0);
    expect(() => tree.proof(0)).toThrow(/no leaf 0 in a tree of 0 leaves/);
  });

  it("rejects malformed leaves and out-of-range proof indices", () => {
    expect(() => buildTree(["0x1234" as Hex])).toThrow(/leaf 0 is not 32 bytes/);
    expect(() => buildTree([new Uint8Array(31)])).toThrow(/leaf 0 is 31 bytes/);
    expect(() => buildTreeFromBytes(new Uint8Array(33))).toThrow(/multiple of 32/);
    const tree = buildTree(leavesOf(5));
    expect(() => tree.proof(5)).toThrow(/no leaf 5 in a tree of 5 leaves/);
    expect(() => tree.proof(-1)).toThrow(/no leaf -1/);
  });
});

describe("verifyProof: OpenZeppelin MerkleProof.verify semantics", () => {
  const leaves = leavesOf(37);
  const tree = buildTree(leaves);

  it("a flipped bit in the leaf, in any proof element or in the root fails", () => {
    const proof = tree.proof(11);
    expect(proof).toHaveLength(6);
    expect(verifyProof(leaves[11]!, proof, tree.root)).toBe(true);
    for (const bit of [0, 7, 128, 255]) {
      expect(verifyProof(flipBit(leaves[11]!, bit), proof, tree.root)).toBe(false);
      expect(verifyProof(leaves[11]!, proof, flipBit(tree.root, bit))).toBe(false);
      for (let k = 0; k < proof.length; k++) {
        const bad = proof.map((step, j) => (j === k ? flipBit(step, bit) : step));
        expect(verifyProof(leaves[11]!, bad, tree.root)).toBe(false);
      }
    }
  });

  it("another leaf's proof, a reordered or truncated proof, fails", () => {
    expect(verifyProof(leaves[11]!, tree.proof(12), tree.root)).toBe(false);
    expect(verifyProof(leaves[11]!, [...tree.proof(11)].reverse(), tree.root)).toBe(false);
    expect(verifyProof(leaves[11]!, tree.proof(11).slice(1), tree.root)).toBe(false);
  });

  it("the root is compared case-insensitively; malformed hex is false, not an exception", () => {
    expect(verifyProof(leaves[3]!, tree.proof(3), tree.root.toUpperCase().replace("0X", "0x") as Hex)).toBe(true);
    expect(verifyProof("0x12" as Hex, tree.proof(3), tree.root)).toBe(false);
    expect(verifyProof(leaves[3]!, ["0xzz" as Hex], tree.root)).toBe(false);
  });

  it("pairs are hashed commutatively: a proof element smaller or larger than the node gives the same parent", () => {
    const [a, b] = leavesOf(2);
    expect(buildTree([a!, b!]).root).toBe(buildTree([b!, a!]).root);
    expect(verifyProof(a!, [b!], buildTree([b!, a!]).root)).toBe(true);
  });
});

describe("SPEC 5 on chain: OpenZeppelin 5 MerkleProof accepts our proofs (Hardhat in-process chain)", async () => {
  const { viem } = await network.connect();
  const harness = await viem.deployContract("MerkleProofHarness");

  it("leaf() on chain equals leafHash for the same (index, account, amount)", async () => {
    const account = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    for (const [index, amount] of [[0, 1n], [41, 10n ** 24n], [2 ** 32 + 5, (1n << 256n) - 1n]] as const) {
      expect(await harness.read.leaf([BigInt(index), account, amount])).toBe(leafHash(index, account, amount));
    }
  });

  it("101 recipients: verify, verifyCalldata and verifyClaim accept every proof; a flipped bit is rejected", async () => {
    const size = 101;
    const recipients = Array.from({ length: size }, (_, i) => ({ account: addressOf(i), amount: BigInt(i) * 12_345_678_901_234_567n + 1n }));
    const tree = buildTree(recipients.map((r, i) => leafHash(i, r.account, r.amount)));
    expect(tree.depth).toBe(7);
    for (let i = 0; i < size; i++) {
      const { account, amount } = recipients[i]!;
      const leaf = leafHash(i, account, amount);
      const proof = tree.proof(i);
      expect(await harness.read.verify([proof, tree.root, leaf])).toBe(true);
      expect(await harness.read.verifyCalldata([proof, tree.root, leaf])).toBe(true);
      expect(await harness.read.verifyClaim([BigInt(i), account, amount, proof, tree.root])).toBe(true);
    }
    const proof = tree.proof(50);
    const bad = [proof[0]!, flipBit(proof[1]!, 200), ...proof.slice(2)];
    expect(await harness.read.verifyCalldata([bad, tree.root, leafHash(50, recipients[50]!.account, recipients[50]!.amount)])).toBe(false);
    expect(await harness.read.verifyClaim([50n, recipients[50]!.account, recipients[50]!.amount + 1n, proof, tree.root])).toBe(false);
    expect(await harness.read.verifyClaim([51n, recipients[50]!.account, recipients[50]!.amount, proof, tree.root])).toBe(false);
  });

  it("a 1,000,000-leaf tree (depth 20): proofs of the first, middle and last leaf verify on chain", async () => {
    const size = 1_000_000;
    const packed = new Uint8Array(32 * size);
    const accounts = Array.from({ length: 1000 }, (_, i) => addressOf(i));
    const recipient = (i: number) => ({ account: accounts[i % 1000]!, amount: BigInt(i) + 1n });
    for (let i = 0; i < size; i++) writeLeaf(packed, 32 * i, i, recipient(i).account, recipient(i).amount);
    const tree = buildTreeFromBytes(packed);
    expect(tree.depth).toBe(20);
    // The last leaf is carried up unpaired at 8 of the 20 levels, so its proof is shorter.
    for (const [i, length] of [[0, 20], [524_287, 20], [524_288, 20], [size - 1, 12]] as const) {
      const { account, amount } = recipient(i);
      const proof = tree.proof(i);
      expect(proof).toHaveLength(length);
      expect(await harness.read.verifyClaim([BigInt(i), account, amount, proof, tree.root])).toBe(true);
    }
  });
});
