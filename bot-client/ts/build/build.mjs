// Builds the library (dist/: ESM + type declarations, type-checked by tsc) and the pages' bundles
// (the demo page and the operator console) into the server's resources, where the jar ships them.
// The bundles are committed so that a machine with only a JDK serves the pages;
// build/check-fresh.mjs fails when they are stale.
//   node build/build.mjs            library + pages
//   node build/build.mjs --lib      only the library (what the Node tests import)
//   node build/build.mjs --pages D  only the page bundles, into D (the freshness check)
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
export const pkg = resolve(here, "..");
export const webResources = resolve(pkg, "../../server/src/main/resources/io/tickroom/server/web");
export const PAGES = ["demo", "console"];

export async function buildLibrary() {
  execFileSync(process.execPath, [join(pkg, "node_modules/typescript/bin/tsc"), "-p", pkg], { stdio: "inherit" });
  await esbuild.build({
    entryPoints: [join(pkg, "src/index.ts")],
    outfile: join(pkg, "dist/index.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["@bufbuild/protobuf", "@bufbuild/protobuf/*"],
    logLevel: "warning",
  });
}

export async function buildPages(outDir) {
  for (const page of PAGES) {
    const entry = join(pkg, "pages", `${page}.ts`);
    if (!existsSync(entry)) {
      continue;
    }
    await esbuild.build({
      entryPoints: [entry],
      outfile: join(outDir, `${page}.js`),
      bundle: true,
      minify: true,
      format: "iife",
      platform: "browser",
      target: "es2022",
      legalComments: "none",
      charset: "utf8",
      logLevel: "warning",
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--pages");
  if (i > 0) {
    await buildPages(resolve(process.argv[i + 1]));
  } else if (process.argv.includes("--lib")) {
    await buildLibrary();
  } else {
    if (existsSync(join(pkg, "pages/tsconfig.json"))) {
      execFileSync(process.execPath, [join(pkg, "node_modules/typescript/bin/tsc"), "-p", join(pkg, "pages")], { stdio: "inherit" });
    }
    await buildLibrary();
    await buildPages(webResources);
    console.log(`build: dist/ and ${PAGES.map((p) => p + ".js").join(", ")} in ${webResources}`);
  }
}
