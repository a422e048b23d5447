/**
 * `npx tsx scripts/keystore.ts <file>`: encrypts a private key into a Web3
 * Secret Storage v3 keystore (scrypt + aes-128-ctr) for `season deploy` and
 * `season claim --keystore <file>`. The key comes from SEASON_PRIVATE_KEY or
 * a hidden prompt, the password from SEASON_KEYSTORE_PASSWORD or a hidden
 * prompt (asked twice): never from the command line.
 *
 * @example SEASON_PRIVATE_KEY=0x… SEASON_KEYSTORE_PASSWORD=… npx tsx scripts/keystore.ts treasury.json
 */
import { existsSync, writeFileSync } from "node:fs";
import type { Hex } from "viem";
import { encryptKeystore, promptPassword, WalletError } from "./keys/wallet.js";

async function main(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0] === "--help" || argv[0] === "-h") {
    process.stdout.write("usage: npx tsx scripts/keystore.ts <file>\n  key from SEASON_PRIVATE_KEY (or a prompt), password from SEASON_KEYSTORE_PASSWORD (or a prompt)\n");
    return argv.length === 1 ? 0 : 2;
  }
  const file = argv[0]!;
  if (existsSync(file)) {
    process.stderr.write(`keystore: ${file} exists; not overwriting a key file\n`);
    return 1;
  }
  try {
    const rawKey = process.env.SEASON_PRIVATE_KEY?.trim() || (await promptPassword("private key (0x…): "));
    const key = (rawKey.startsWith("0x") ? rawKey : `0x${rawKey}`) as Hex;
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new WalletError("not a 32-byte hex key (expected 0x and 64 hex digits)");
    let password = process.env.SEASON_KEYSTORE_PASSWORD;
    if (password === undefined) {
      password = await promptPassword("new keystore password: ");
      if ((await promptPassword("again: ")) !== password) throw new WalletError("the passwords differ");
    }
    const keystore = await encryptKeystore(key, password);
    writeFileSync(file, `${JSON.stringify(keystore, null, 2)}\n`, { mode: 0o600 });
    process.stdout.write(`wrote ${file} for 0x${keystore.address}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`keystore: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
