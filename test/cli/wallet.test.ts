/**
 * Keys for `season deploy` and `season claim`: Web3 Secret Storage v3
 * keystores through @ethereumjs/wallet, read the way the hand-written code
 * before it read them, and SEASON_PRIVATE_KEY.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "@ethereumjs/wallet";
import { hexToBytes, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, describe, expect, it } from "vitest";
import { decryptKeystore, encryptKeystore, loadSigner, WalletError, type KeystoreV3 } from "../../scripts/keys/wallet.js";

/** Written by the hand-written encryptKeystore (scrypt n = 2^10, r = 8, p = 1) before the switch to @ethereumjs/wallet. */
const oldKeystore = JSON.parse(readFileSync(new URL("../fixtures/keystore-v3.json", import.meta.url), "utf8")) as KeystoreV3;
const oldPassword = "old code's password";
const oldKey: Hex = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const oldAddress = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";

const work = mkdtempSync(join(tmpdir(), "season-wallet-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Small scrypt cost: the tests check the format, not the hardness. */
const fast = { scryptN: 1 << 10 };

describe("a keystore written before @ethereumjs/wallet still opens", () => {
  it("decrypts test/fixtures/keystore-v3.json to the key of 0x2c7536E3…5c23", async () => {
    expect(oldKeystore.crypto.kdfparams).toMatchObject({ n: 1024, r: 8, p: 1, dklen: 32 });
    const key = await decryptKeystore(oldKeystore, oldPassword);
    expect(key).toBe(oldKey);
    expect(privateKeyToAccount(key).address).toBe(oldAddress);
  });

  it("accepts what geth accepts: a `Crypto` section, 0x-prefixed and upper-case hex", async () => {
    const { crypto, ...rest } = oldKeystore;
    const gethStyle = {
      ...rest,
      Crypto: { ...crypto, mac: `0x${crypto.mac.toUpperCase()}`, ciphertext: `0x${crypto.ciphertext}`, kdfparams: { ...crypto.kdfparams, salt: `0x${crypto.kdfparams.salt}` } },
    };
    expect(await decryptKeystore(gethStyle, oldPassword)).toBe(oldKey);
  });

  it("refuses a wrong password with a WalletError that says so", async () => {
    const attempt = decryptKeystore(oldKeystore, "old code's password!");
    await expect(attempt).rejects.toBeInstanceOf(WalletError);
    await expect(attempt).rejects.toThrow("wrong keystore password (MAC mismatch)");
  });
});

describe("a keystore the new code writes", () => {
  it("round-trips to the same key, and viem derives the address the file names", async () => {
    const key = generatePrivateKey();
    const store = await encryptKeystore(key, "pw", fast);
    expect(store).toMatchObject({ version: 3, crypto: { cipher: "aes-128-ctr", kdf: "scrypt", kdfparams: { n: 1024, r: 8, p: 1, dklen: 32 } } });
    expect(store.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.stringify(store)).not.toContain(key.slice(2));
    const decrypted = await decryptKeystore(store, "pw");
    expect(decrypted).toBe(key);
    expect(`0x${store.address}`).toBe(privateKeyToAccount(decrypted).address.toLowerCase());
    expect((await Wallet.fromV3(store, "pw")).getChecksumAddressString()).toBe(privateKeyToAccount(key).address);
  });

  it("uses a fresh salt, iv and id each time", async () => {
    const key = generatePrivateKey();
    const [a, b] = await Promise.all([encryptKeystore(key, "pw", fast), encryptKeystore(key, "pw", fast)]);
    expect(a.crypto.kdfparams.salt).not.toBe(b.crypto.kdfparams.salt);
    expect(a.crypto.cipherparams.iv).not.toBe(b.crypto.cipherparams.iv);
    expect(a.id).not.toBe(b.id);
  });

  it("hashes the NFKC form of the password, as the old code did: a composed é opens what a decomposed é locked", async () => {
    const key = generatePrivateKey();
    const store = await encryptKeystore(key, "caf\u0065\u0301", fast);
    expect(await decryptKeystore(store, "caf\u00e9")).toBe(key);
  });

  it("refuses a key that is not 32 hex bytes, or not on the curve", async () => {
    await expect(encryptKeystore("0x1234", "pw", fast)).rejects.toThrow("not a 32-byte hex key");
    await expect(encryptKeystore(`0x${"00".repeat(32)}`, "pw", fast)).rejects.toThrow("not a valid secp256k1 private key");
    await expect(encryptKeystore(generatePrivateKey(), "pw", { scryptN: 1000 })).rejects.toThrow("not a power of two");
  });
});

describe("a file that is not a keystore we can read gets a WalletError saying what to do", () => {
  it("not version 3", async () => {
    await expect(decryptKeystore({ version: 1, Crypto: {} }, "pw")).rejects.toThrow("not a version 3 keystore");
    await expect(decryptKeystore("treasury.json", "pw")).rejects.toThrow("not a version 3 keystore");
  });

  it("an unsupported kdf or cipher", async () => {
    const argon = { ...oldKeystore, crypto: { ...oldKeystore.crypto, kdf: "argon2id" } };
    await expect(decryptKeystore(argon, oldPassword)).rejects.toThrow("unsupported keystore: kdf argon2id, cipher aes-128-ctr (supported: kdf scrypt or pbkdf2");
    const cbc = { ...oldKeystore, crypto: { ...oldKeystore.crypto, cipher: "aes-128-cbc" } };
    await expect(decryptKeystore(cbc, oldPassword)).rejects.toThrow("cipher aes-128-cbc");
  });

  it("a damaged field", async () => {
    const damaged = { ...oldKeystore, crypto: { ...oldKeystore.crypto, ciphertext: "not hex" } };
    await expect(decryptKeystore(damaged, oldPassword)).rejects.toThrow("malformed keystore: crypto.ciphertext is not hex bytes");
    const noCost = { ...oldKeystore, crypto: { ...oldKeystore.crypto, kdfparams: { ...oldKeystore.crypto.kdfparams, n: undefined } } };
    await expect(decryptKeystore(noCost, oldPassword)).rejects.toThrow("crypto.kdfparams.n is not a positive integer");
  });

  it("reads a pbkdf2 (hmac-sha256) keystore too, as some older tools write", async () => {
    const key = generatePrivateKey();
    const store = await Wallet.fromPrivateKey(hexToBytes(key)).toV3("pw", { kdf: "pbkdf2", c: 1024 });
    expect(await decryptKeystore(store, "pw")).toBe(key);
  });
});

describe("loadSigner: SEASON_PRIVATE_KEY first, else the keystore and its password", () => {
  const keystorePath = join(work, "signer.json");
  writeFileSync(keystorePath, JSON.stringify(oldKeystore));

  it("takes SEASON_PRIVATE_KEY, with or without 0x", async () => {
    expect((await loadSigner({ env: { SEASON_PRIVATE_KEY: oldKey } })).address).toBe(oldAddress);
    expect((await loadSigner({ env: { SEASON_PRIVATE_KEY: oldKey.slice(2) } })).address).toBe(oldAddress);
    await expect(loadSigner({ env: { SEASON_PRIVATE_KEY: "0x12" } })).rejects.toThrow("SEASON_PRIVATE_KEY is not a 32-byte hex key");
  });

  it("opens the keystore with SEASON_KEYSTORE_PASSWORD, else asks the prompt", async () => {
    expect((await loadSigner({ keystore: keystorePath, env: { SEASON_KEYSTORE_PASSWORD: oldPassword } })).address).toBe(oldAddress);
    const questions: string[] = [];
    const prompt = async (question: string): Promise<string> => (questions.push(question), oldPassword);
    expect((await loadSigner({ env: { SEASON_KEYSTORE: keystorePath }, prompt })).address).toBe(oldAddress);
    expect(questions).toEqual([`password for ${keystorePath}: `]);
    await expect(loadSigner({ keystore: keystorePath, env: { SEASON_KEYSTORE_PASSWORD: "guess" } })).rejects.toThrow("wrong keystore password");
  });

  it("names both options when neither is given, and the file when it cannot be read", async () => {
    await expect(loadSigner({ env: {} })).rejects.toThrow("no signing key: set SEASON_PRIVATE_KEY, or give an encrypted keystore with --keystore <file>");
    await expect(loadSigner({ keystore: join(work, "missing.json"), env: {} })).rejects.toThrow(`cannot read keystore ${join(work, "missing.json")}`);
  });
});
