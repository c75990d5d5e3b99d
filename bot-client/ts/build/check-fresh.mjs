// Fails when a committed generated file is stale, or a page does not type-check: regenerates the protocol types and rebuilds
// the page bundles into a temporary folder and compares them byte for byte with what is
// committed (src/gen/, server/src/main/resources/io/tickroom/server/web/*.js).
// Fix: node build/gen.mjs && node build/build.mjs, then commit.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { generate } from "./gen.mjs";
import { buildPages, PAGES, pkg, webResources } from "./build.mjs";

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      out.push(...files(p).map((f) => join(name, f)));
    } else {
      out.push(name);
    }
  }
  return out.sort();
}

// the pages are type-checked too (esbuild only strips types)
execFileSync(process.execPath, [join(pkg, "node_modules/typescript/bin/tsc"), "-p", join(pkg, "pages")], { stdio: "inherit" });

const tmp = mkdtempSync(join(tmpdir(), "tickroom-fresh-"));
const stale = [];
try {
  const gen = join(tmp, "gen");
  generate(gen);
  const committed = join(pkg, "src/gen");
  const want = files(gen);
  const have = files(committed);
  for (const f of new Set([...want, ...have])) {
    const a = want.includes(f) ? readFileSync(join(gen, f)) : null;
    const b = have.includes(f) ? readFileSync(join(committed, f)) : null;
    if (!a || !b || !a.equals(b)) {
      stale.push(relative(join(pkg, "../.."), join(committed, f)));
    }
  }
  const pages = join(tmp, "pages");
  await buildPages(pages);
  for (const page of PAGES) {
    const built = join(pages, `${page}.js`);
    let a;
    try {
      a = readFileSync(built);
    } catch {
      continue; // no such page source
    }
    let b = null;
    try {
      b = readFileSync(join(webResources, `${page}.js`));
    } catch {
      // missing: stale
    }
    if (!b || !a.equals(b)) {
      stale.push(relative(join(pkg, "../.."), join(webResources, `${page}.js`)));
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (stale.length > 0) {
  console.error(`check-fresh: stale generated files (run: cd bot-client/ts && node build/gen.mjs && node build/build.mjs, then commit):\n  ${stale.join("\n  ")}`);
  process.exit(1);
}
console.log("check-fresh: generated protocol types and page bundles are up to date");
