/**
 * Where the treasury's (or a claimant's) key comes from. Never from a
 * command-line argument: arguments end up in shell history and in `ps`.
 *
 * Two sources, in this order:
 *   1. `SEASON_PRIVATE_KEY` — a 0x-prefixed 32-byte hex key in the environment;
 *   2. an encrypted keystore file (Web3 Secret Storage v3: scrypt + aes-128-ctr,
 *      the format geth, MetaMask exports and Foundry's `cast wallet` use),
 *      named by `--keystore <file>` or `SEASON_KEYSTORE`; its password comes
 *      from `SEASON_KEYSTORE_PASSWORD` or, on a terminal, a hidden prompt.
 *
 * @example
 * const account = await loadSigner({ keystore: "treasury.json" });
 * console.log(account.address);
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID, scryptSync, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { scrypt as nobleScrypt } from "@noble/hashes/scrypt.js";
import { bytesToHex, hexToBytes, keccak256, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

/** A key problem the user can fix: the message says how. */
export class WalletError extends Error {
  override name = "WalletError";
}

/** Web3 Secret Storage v3, the fields we write and read. */
export interface KeystoreV3 {
  version: 3;
  id: string;
  address: string;
  crypto: {
    cipher: "aes-128-ctr";
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: "scrypt";
    kdfparams: { dklen: number; n: number; r: number; p: number; salt: string };
    mac: string;
  };
}

export interface KeystoreOptions {
  /** scrypt cost (power of two). Default 2^18 as geth; tests use less. */
  scryptN?: number;
}

function strip0x(hex: string): string {
  return hex.startsWith("0x") ? hex.slice(2) : hex;
}

function deriveKey(password: string, params: KeystoreV3["crypto"]["kdfparams"]): Buffer {
  const { n, r, p, dklen, salt } = params;
  const secret = password.normalize("NFKC");
  const saltBytes = Buffer.from(strip0x(salt), "hex");
  try {
    // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is too low for geth's N = 2^18.
    return scryptSync(secret, saltBytes, dklen, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  } catch (error) {
    // OpenSSL insists on N < 2^(16·r), which some keystores (r = 1) break; the pure-JS scrypt accepts them.
    if ((error as { code?: string }).code !== "ERR_CRYPTO_INVALID_SCRYPT_PARAMS") throw error;
    return Buffer.from(nobleScrypt(secret, saltBytes, { N: n, r, p, dkLen: dklen, maxmem: 2 ** 32 }));
  }
}

function keystoreMac(derivedKey: Buffer, ciphertext: Buffer): string {
  return strip0x(keccak256(new Uint8Array(Buffer.concat([derivedKey.subarray(16, 32), ciphertext]))));
}

/**
 * Encrypts a private key into a v3 keystore.
 *
 * @example const json = encryptKeystore("0x59c6…", "correct horse", { scryptN: 1 << 12 });
 */
export function encryptKeystore(privateKey: Hex, password: string, options: KeystoreOptions = {}): KeystoreV3 {
  const account = privateKeyToAccount(privateKey);
  const kdfparams = { dklen: 32, n: options.scryptN ?? 1 << 18, r: 8, p: 1, salt: randomBytes(32).toString("hex") };
  const derivedKey = deriveKey(password, kdfparams);
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-128-ctr", derivedKey.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(hexToBytes(privateKey))), cipher.final()]);
  return {
    version: 3,
    id: randomUUID(),
    address: strip0x(account.address.toLowerCase()),
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: iv.toString("hex") },
      ciphertext: ciphertext.toString("hex"),
      kdf: "scrypt",
      kdfparams,
      mac: keystoreMac(derivedKey, ciphertext),
    },
  };
}

/**
 * Decrypts a v3 keystore (scrypt + aes-128-ctr). A wrong password fails the
 * MAC check and says so; the key is never returned half-decrypted.
 *
 * @example const key = decryptKeystore(JSON.parse(text), process.env.SEASON_KEYSTORE_PASSWORD!);
 */
export function decryptKeystore(keystore: unknown, password: string): Hex {
  const store = keystore as Partial<KeystoreV3>;
  const crypto = store?.crypto ?? (store as { Crypto?: KeystoreV3["crypto"] })?.Crypto;
  if (store?.version !== 3 || crypto === undefined) {
    throw new WalletError("not a version 3 keystore (expected Web3 Secret Storage JSON with a `crypto` section)");
  }
  if (crypto.kdf !== "scrypt" || crypto.cipher !== "aes-128-ctr") {
    throw new WalletError(`unsupported keystore: kdf ${crypto.kdf}, cipher ${crypto.cipher} (supported: scrypt, aes-128-ctr)`);
  }
  const derivedKey = deriveKey(password, crypto.kdfparams);
  const ciphertext = Buffer.from(strip0x(crypto.ciphertext), "hex");
  const expected = Buffer.from(strip0x(crypto.mac).toLowerCase(), "hex");
  const actual = Buffer.from(keystoreMac(derivedKey, ciphertext), "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new WalletError("wrong keystore password (MAC mismatch)");
  }
  const decipher = createDecipheriv("aes-128-ctr", derivedKey.subarray(0, 16), Buffer.from(strip0x(crypto.cipherparams.iv), "hex"));
  const key = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return bytesToHex(new Uint8Array(key));
}

/** Reads a password from the terminal without echoing it. */
export async function promptPassword(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    throw new WalletError("no SEASON_KEYSTORE_PASSWORD set and stdin is not a terminal: set the variable to use the keystore non-interactively");
  }
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let password = "";
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") {
          finish();
          resolve(password);
          return;
        }
        if (char === "\u0003") {
          finish();
          reject(new WalletError("cancelled"));
          return;
        }
        if (char === "\u007f" || char === "\b") password = password.slice(0, -1);
        else password += char;
      }
    };
    const finish = (): void => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      process.stderr.write("\n");
    };
    input.on("data", onData);
  });
}

export interface SignerSource {
  /** Path of a v3 keystore file; falls back to env SEASON_KEYSTORE. */
  keystore?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Password prompt for an interactive terminal (replaceable in tests). */
  prompt?: (question: string) => Promise<string>;
}

/**
 * The signing account: SEASON_PRIVATE_KEY, else the keystore. Throws a
 * WalletError naming both options when neither is configured.
 *
 * @example const account = await loadSigner({}); // SEASON_PRIVATE_KEY=0x… in the environment
 */
export async function loadSigner(source: SignerSource = {}): Promise<PrivateKeyAccount> {
  const env = source.env ?? process.env;
  const rawKey = env.SEASON_PRIVATE_KEY?.trim();
  if (rawKey) {
    const key = rawKey.startsWith("0x") ? rawKey : `0x${rawKey}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) {
      throw new WalletError("SEASON_PRIVATE_KEY is not a 32-byte hex key (expected 0x and 64 hex digits)");
    }
    return privateKeyToAccount(key as Hex);
  }
  const path = source.keystore ?? env.SEASON_KEYSTORE;
  if (!path) {
    throw new WalletError(
      "no signing key: set SEASON_PRIVATE_KEY, or give an encrypted keystore with --keystore <file> (or SEASON_KEYSTORE) and its password in SEASON_KEYSTORE_PASSWORD",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new WalletError(`cannot read keystore ${path}: ${(error as Error).message}`);
  }
  const password = env.SEASON_KEYSTORE_PASSWORD ?? (await (source.prompt ?? promptPassword)(`password for ${path}: `));
  return privateKeyToAccount(decryptKeystore(json, password));
}
