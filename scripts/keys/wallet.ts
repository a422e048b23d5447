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
 * The keystore cryptography is `@ethereumjs/wallet`'s; this module checks the
 * file's shape first so that a bad file or password gets a WalletError that
 * says what to do.
 *
 * @example
 * const account = await loadSigner({ keystore: "treasury.json" });
 * console.log(account.address);
 */
import { readFileSync } from "node:fs";
import { Wallet } from "@ethereumjs/wallet";
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

/** A key problem the user can fix: the message says how. */
export class WalletError extends Error {
  override name = "WalletError";
}

/** Web3 Secret Storage v3, the fields we write. */
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

/** The key derivations `decryptKeystore` reads: geth writes scrypt, some older tools pbkdf2. */
const SUPPORTED_KDFS = ["scrypt", "pbkdf2"];

/** `@ethereumjs/wallet` 10.0.0's message for a MAC mismatch; it throws no error code. */
const LIBRARY_WRONG_PASSWORD = "possibly wrong passphrase";

/** Keystores written before @ethereumjs/wallet hashed the NFKC form of the password; keep doing so. */
function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

function isKey(value: string): value is Hex {
  return /^0x[0-9a-fA-F]{64}$/.test(value);
}

/**
 * Encrypts a private key into a v3 keystore (scrypt, r = 8, p = 1; aes-128-ctr).
 *
 * @example const json = await encryptKeystore("0x59c6…", "correct horse", { scryptN: 1 << 12 });
 */
export async function encryptKeystore(privateKey: Hex, password: string, options: KeystoreOptions = {}): Promise<KeystoreV3> {
  if (!isKey(privateKey)) throw new WalletError("not a 32-byte hex key (expected 0x and 64 hex digits)");
  const n = options.scryptN ?? 1 << 18;
  if (!Number.isSafeInteger(n) || n < 2 || (n & (n - 1)) !== 0) {
    throw new WalletError(`scrypt cost ${n} is not a power of two of at least 2 (geth uses 2^18 = 262144)`);
  }
  let wallet: Wallet;
  try {
    wallet = Wallet.fromPrivateKey(hexToBytes(privateKey));
  } catch {
    throw new WalletError("not a valid secp256k1 private key (it must be non-zero and below the curve order)");
  }
  const written = await wallet.toV3(normalizePassword(password), { kdf: "scrypt", cipher: "aes-128-ctr", n, r: 8, p: 1, dklen: 32 });
  const kdfparams = written.crypto.kdfparams;
  if (!("n" in kdfparams)) throw new Error("@ethereumjs/wallet wrote a keystore without scrypt parameters");
  return {
    version: 3,
    id: written.id,
    address: privateKeyToAccount(privateKey).address.slice(2).toLowerCase(),
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: written.crypto.cipherparams.iv },
      ciphertext: written.crypto.ciphertext,
      kdf: "scrypt",
      kdfparams: { dklen: kdfparams.dklen, n: kdfparams.n, r: kdfparams.r, p: kdfparams.p, salt: kdfparams.salt },
      mac: written.crypto.mac,
    },
  };
}

/** A hex field of the keystore, unprefixed and lower case as @ethereumjs/wallet compares it. */
function hexField(value: unknown, field: string): string {
  const hex = typeof value === "string" ? value.replace(/^0x/i, "").toLowerCase() : "";
  if (!/^([0-9a-f]{2})+$/.test(hex)) {
    throw new WalletError(`malformed keystore: crypto.${field} is not hex bytes; the file is damaged or not a keystore, export it again`);
  }
  return hex;
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new WalletError(`malformed keystore: crypto.kdfparams.${field} is not a positive integer; the file is damaged, export it again`);
  }
  return value;
}

type KdfParams = { dklen: number; salt: string } & ({ n: number; r: number; p: number } | { c: number; prf: string });

/**
 * The keystore as @ethereumjs/wallet reads it, or a WalletError saying what is
 * wrong with the file. Accepts what geth accepts and the library does not:
 * a `Crypto` section, 0x-prefixed or upper-case hex.
 */
function readableKeystore(keystore: unknown) {
  const store = (typeof keystore === "object" && keystore !== null ? keystore : {}) as { version?: unknown; id?: unknown; crypto?: unknown; Crypto?: unknown };
  const crypto = (store.crypto ?? store.Crypto) as Record<string, unknown> | undefined;
  if (store.version !== 3 || typeof crypto !== "object" || crypto === null) {
    throw new WalletError("not a version 3 keystore (expected Web3 Secret Storage JSON with `\"version\": 3` and a `crypto` section): give the keystore file itself, as geth or `cast wallet` writes it");
  }
  const { kdf, cipher } = crypto;
  if (typeof kdf !== "string" || !SUPPORTED_KDFS.includes(kdf) || cipher !== "aes-128-ctr") {
    throw new WalletError(
      `unsupported keystore: kdf ${String(kdf)}, cipher ${String(cipher)} (supported: kdf scrypt or pbkdf2, cipher aes-128-ctr); re-export the key as a standard v3 keystore, e.g. with \`cast wallet import\``,
    );
  }
  const raw = (crypto.kdfparams ?? {}) as Record<string, unknown>;
  const dklen = positiveInteger(raw.dklen, "dklen");
  if (dklen < 32) throw new WalletError(`malformed keystore: crypto.kdfparams.dklen is ${dklen}, a v3 keystore needs at least 32`);
  const salt = hexField(raw.salt, "kdfparams.salt");
  let kdfparams: KdfParams;
  if (kdf === "scrypt") {
    kdfparams = { dklen, salt, n: positiveInteger(raw.n, "n"), r: positiveInteger(raw.r, "r"), p: positiveInteger(raw.p, "p") };
  } else {
    if (raw.prf !== "hmac-sha256") {
      throw new WalletError(`unsupported keystore: pbkdf2 with prf ${String(raw.prf)} (supported: hmac-sha256); re-export the key as a standard v3 keystore`);
    }
    kdfparams = { dklen, salt, c: positiveInteger(raw.c, "c"), prf: "hmac-sha256" };
  }
  const cipherparams = (crypto.cipherparams ?? {}) as { iv?: unknown };
  return {
    version: 3,
    id: typeof store.id === "string" ? store.id : "",
    crypto: {
      cipher,
      cipherparams: { iv: hexField(cipherparams.iv, "cipherparams.iv") },
      ciphertext: hexField(crypto.ciphertext, "ciphertext"),
      kdf,
      kdfparams,
      mac: hexField(crypto.mac, "mac"),
    },
  };
}

/**
 * Decrypts a v3 keystore (scrypt or pbkdf2, aes-128-ctr). A wrong password
 * fails the MAC check and says so; the key is never returned half-decrypted.
 *
 * @example const key = await decryptKeystore(JSON.parse(text), process.env.SEASON_KEYSTORE_PASSWORD!);
 */
export async function decryptKeystore(keystore: unknown, password: string): Promise<Hex> {
  const readable = readableKeystore(keystore);
  let wallet: Wallet;
  try {
    wallet = await Wallet.fromV3(readable, normalizePassword(password));
  } catch (error) {
    const message = (error as Error).message;
    if (message.includes(LIBRARY_WRONG_PASSWORD)) {
      throw new WalletError("wrong keystore password (MAC mismatch): give the password the keystore was created with");
    }
    throw new WalletError(`cannot decrypt the keystore: ${message}`);
  }
  return bytesToHex(wallet.getPrivateKey());
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
  return privateKeyToAccount(await decryptKeystore(json, password));
}
