// Compiles AssetToken.sol with the pinned solc (package-lock.json) from a standard-JSON input and
// writes AssetToken.abi and AssetToken.bin. The output is a pure function of the source, the
// OpenZeppelin sources in node_modules, and the settings below, so CI can check that a rebuild
// changes nothing (check-generated.sh).
//
// Usage: npm ci && node build.mjs

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import solc from "solc";

const here = path.dirname(fileURLToPath(import.meta.url));
const SOLC_VERSION = "0.8.37";
const CONTRACT = "AssetToken";
const SOURCE = `${CONTRACT}.sol`;

if (!solc.version().startsWith(`${SOLC_VERSION}+`)) {
  throw new Error(`solc ${solc.version()} is not the pinned ${SOLC_VERSION}; run npm ci`);
}

const input = {
  language: "Solidity",
  sources: {
    [SOURCE]: { content: fs.readFileSync(path.join(here, SOURCE), "utf8") },
  },
  settings: {
    evmVersion: "cancun",
    optimizer: { enabled: true, runs: 200 },
    viaIR: false,
    // Leave the IPFS/Swarm hash out of the bytecode: the bytecode then changes only when the
    // compiled code does, not when a comment or a path does.
    metadata: { bytecodeHash: "none" },
    outputSelection: {
      [SOURCE]: { [CONTRACT]: ["abi", "evm.bytecode.object"] },
    },
  },
};

// Imports such as "@openzeppelin/contracts/..." resolve to the pinned packages in node_modules only.
function findImports(importPath) {
  const resolved = path.resolve(here, "node_modules", importPath);
  if (!resolved.startsWith(path.join(here, "node_modules") + path.sep)) {
    return { error: `import outside node_modules: ${importPath}` };
  }
  try {
    return { contents: fs.readFileSync(resolved, "utf8") };
  } catch (err) {
    return { error: `cannot read ${importPath}: ${err.message}` };
  }
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

let failed = false;
for (const e of output.errors ?? []) {
  if (e.severity === "error") failed = true;
  process.stderr.write(e.formattedMessage ?? `${e.severity}: ${e.message}\n`);
}
if (failed) process.exit(1);

const compiled = output.contracts?.[SOURCE]?.[CONTRACT];
if (!compiled?.evm?.bytecode?.object) {
  throw new Error(`no bytecode for ${CONTRACT} in the compiler output`);
}

fs.writeFileSync(path.join(here, `${CONTRACT}.abi`), JSON.stringify(compiled.abi, null, 2) + "\n");
// No trailing newline: abigen embeds the file's contents verbatim as the deploy bytecode.
fs.writeFileSync(path.join(here, `${CONTRACT}.bin`), compiled.evm.bytecode.object);
