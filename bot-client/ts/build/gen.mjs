// Generates the TypeScript protocol types (src/gen/) from protocol/src/main/proto with protoc
// (the binary Maven already fetched for the Java build) and protoc-gen-es. The output is
// committed; build/check-fresh.mjs fails when it is stale. Only the public wire contract is
// generated: every proto of tickroom/v1. The server's internal protos (tickroom/internal/...:
// node calls, membership changes, what nodes store) are not exposed to clients, and a public
// proto that imports one fails the generation.
//   node build/gen.mjs [outDir]
import { execFileSync } from "node:child_process";
import { copyFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, "..");
const repo = resolve(pkg, "../..");
const protoDir = join(repo, "protocol/src/main/proto");
const out = resolve(process.argv[2] ?? join(pkg, "src/gen"));
const PUBLIC_DIR = "tickroom/v1";

/** The public protos (tickroom/v1/*.proto, sorted); fails if one imports a proto outside tickroom/v1. */
export function publicProtos() {
  const protos = readdirSync(join(protoDir, PUBLIC_DIR)).filter((f) => f.endsWith(".proto")).sort()
    .map((f) => `${PUBLIC_DIR}/${f}`);
  for (const p of protos) {
    for (const [, imported] of readFileSync(join(protoDir, p), "utf8").matchAll(/^\s*import\s+(?:public\s+)?"([^"]+)"/gm)) {
      if (!imported.startsWith(`${PUBLIC_DIR}/`) && !imported.startsWith("google/protobuf/")) {
        throw new Error(`${p} imports ${imported}: the public wire contract must not depend on internal protos`);
      }
    }
  }
  return protos;
}

export function protoc() {
  if (process.env.PROTOC) {
    return process.env.PROTOC;
  }
  const version = /<protobuf\.version>([^<]+)<\/protobuf\.version>/.exec(readFileSync(join(repo, "pom.xml"), "utf8"))[1];
  const arch = { x64: "x86_64", arm64: "aarch_64" }[process.arch] ?? process.arch;
  const os = { linux: "linux", darwin: "osx", win32: "windows" }[process.platform] ?? process.platform;
  const m2 = join(process.env.MAVEN_REPO ?? join(homedir(), ".m2/repository"), "com/google/protobuf/protoc", version,
    `protoc-${version}-${os}-${arch}.exe`);
  if (!existsSync(m2)) {
    throw new Error(`protoc ${version} not found at ${m2}: build the protocol module once (./mvnw -B -q -pl protocol compile) or set PROTOC`);
  }
  // Maven keeps it without the executable bit: run a private copy
  const cache = join(pkg, "node_modules/.cache/tickroom");
  mkdirSync(cache, { recursive: true });
  const bin = join(cache, `protoc-${version}`);
  if (!existsSync(bin)) {
    copyFileSync(m2, bin);
    chmodSync(bin, 0o755);
  }
  return bin;
}

export function generate(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const plugin = join(pkg, "node_modules/.bin/protoc-gen-es");
  execFileSync(protoc(), [
    `--plugin=protoc-gen-es=${plugin}`,
    `--es_out=${outDir}`,
    "--es_opt=target=ts,import_extension=js",
    `--proto_path=${protoDir}`,
    ...publicProtos(),
  ], { stdio: "inherit" });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  generate(out);
  console.log(`gen: ${publicProtos().join(", ")} -> ${out}`);
}
