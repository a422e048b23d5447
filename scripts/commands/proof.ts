/**
 * `season proof <season dir> <address>`: what an address gets, from which
 * pools, and the Merkle proof to claim it, checked against the root.
 *
 * @example season proof out/season-7 0x70997970c51812dc3a010c7d01b50e0d17dc79c8
 */
import { AddressError, normalizeAddress } from "../../season/address.js";
import { formatDecimal } from "../../season/decimal.js";
import { leafHash } from "../../season/leaf.js";
import { verifyProof } from "../../season/tree.js";
import { POOL_KEYS, type Hex } from "../../season/types.js";
import { EXIT, formatTable, parseCommandArgs, printJson, reportError, UsageError } from "../cli/cli.js";
import { findProof, loadManifest, recipientRow } from "../../season-io/season-dir.js";

export const PROOF_HELP = `sogni-season proof <season dir> <address> [--json]

Prints the address's index, amount (wei and SOGNI), the amount from each
pool, and its Merkle proof, verified against the manifest's root: everything
a claim needs.

Options
  --json       print { season, address, index, amount, pools, proof, merkleRoot, verified } as JSON
  -h, --help   this help

Exit codes
  0  found and the proof verifies   1  not in the season, or the proof fails   2  bad usage
`;

/** Runs `season proof`; resolves to the exit code. */
export async function proofCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { name: "proof", help: PROOF_HELP, positionals: 2, options: { json: { type: "boolean" } } });
  if (args.kind === "exit") return args.exitCode;
  const [seasonDir, addressText] = args.positionals as [string, string];
  try {
    let address: string;
    try {
      address = normalizeAddress(addressText);
    } catch (error) {
      if (error instanceof AddressError) throw new UsageError(error.message);
      throw error;
    }
    const manifest = loadManifest(seasonDir);
    const entry = findProof(seasonDir, address);
    if (entry === undefined) {
      if (args.values.json) printJson({ season: manifest.season, address, found: false });
      process.stderr.write(`${address} is not a recipient of season ${manifest.season} (${manifest.recipients} recipients): nothing to claim\n`);
      return EXIT.failure;
    }
    const row = recipientRow(seasonDir, entry.index);
    const root = manifest.merkleRoot as Hex;
    const verified = verifyProof(leafHash(entry.index, address as Hex, entry.amount), entry.proof, root);
    const rowMatches = row !== undefined && row.address === address && row.amount === entry.amount;
    if (args.values.json) {
      printJson({
        season: manifest.season,
        address,
        found: true,
        index: entry.index,
        amount: entry.amount.toString(),
        amountSogni: formatDecimal(entry.amount, manifest.decimals),
        pools: row?.pools ?? null,
        proof: entry.proof,
        merkleRoot: root,
        verified: verified && rowMatches,
      });
    } else {
      const sogni = (wei: bigint): string => formatDecimal(wei, manifest.decimals);
      const lines = [
        `season ${manifest.season}: ${address}`,
        `  index        ${entry.index}`,
        `  amount       ${sogni(entry.amount)} SOGNI (${entry.amount} wei)`,
        "",
        formatTable(
          ["pool", "SOGNI", "wei"],
          POOL_KEYS.map((key) => [key, sogni(row?.pools[key] ?? 0n), String(row?.pools[key] ?? 0n)]),
          new Set([1, 2]),
        ),
        `proof (${entry.proof.length} hashes) ${verified ? "verifies" : "DOES NOT verify"} against the root ${root}:`,
        ...entry.proof.map((hash) => `  ${hash}`),
        "",
      ];
      if (!rowMatches) lines.push(`warning: recipients.csv row ${entry.index} does not match the proof entry: run \`sogni-season verify ${seasonDir}\``, "");
      process.stdout.write(lines.join("\n"));
    }
    if (!verified || !rowMatches) {
      process.stderr.write(`the proof for ${address} does not check out against ${seasonDir}: run \`sogni-season verify ${seasonDir}\`\n`);
      return EXIT.failure;
    }
    return EXIT.ok;
  } catch (error) {
    return reportError("proof", error);
  }
}
