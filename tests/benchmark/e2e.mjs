// The end-to-end benchmark's driver (run by e2e.sh): the shipped VMware scenario without its
// `snapshot` actions against the same rehearsal written for Playwright, alternated, RUNS times
// each, every run against a fresh built-in console (`palette-harness console`, 2 s lock), timed
// as whole processes (browser start included). A third arm runs the whole shipped scenario, to
// time its snapshots. Prints both medians, their ratio, and the median time per action kind of
// both (the harness's from its report.json, Playwright's from the script's timings.json).
// Usage: node e2e.mjs HARNESS_BINARY SCENARIO WORK_DIR [RUNS]
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

const [harness, scenario, work, runsText = "5"] = process.argv.slice(2);
const runs = Number(runsText);
const here = path.dirname(new URL(import.meta.url).pathname);
const env = { ...process.env, PALETTE_USERNAME: "admin", PALETTE_PASSWORD: "admin-Benchmark-2026" };
delete env.CI;

// The shipped scenario without its snapshot actions, beside the work folder.
const withoutSnapshots = path.join(work, "upgrade-vmware-non-airgap.toml");
fs.writeFileSync(withoutSnapshots, fs.readFileSync(scenario, "utf8")
  .replace(/,\s*'snapshot "[^"]*"'/g, "")
  .replace(/'snapshot "[^"]*"',?\s*/g, ""));

// A fresh built-in console in its own process group; resolves to its URL and a stop function.
function startConsole() {
  const child = spawn(harness, ["console", "--port", "0", "--lock-seconds", "2"], { env, detached: true, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      const url = line.split(/\s+/).find((word) => word.startsWith("http://"));
      if (!url) reject(new Error(`no URL in ${line}`));
      resolve({ url, stop: () => { try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ } } });
    });
    child.once("error", reject);
  });
}

function timed(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return seconds;
}

const median = (values) => { const sorted = [...values].sort((a, b) => a - b); const middle = Math.floor(sorted.length / 2); return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2; };

function kindOf(action) {
  for (const kind of ["click", "select", "expect", "back up", "merge", "check", "screenshot", "snapshot", "log in", "read", "wait until unlocked"]) if (action.startsWith(kind)) return kind;
  return "other";
}

const arms = {
  harness: async (out) => {
    const console = await startConsole();
    try { return timed(harness, ["run", withoutSnapshots, "--console", console.url, "--apply", "--out", out, "--snapshots", path.join(out, "store")]); }
    finally { console.stop(); }
  },
  playwright: async (out) => {
    const console = await startConsole();
    try { return timed(process.execPath, [path.join(here, "playwright-upgrade.mjs"), console.url, out]); }
    finally { console.stop(); }
  },
  "harness with snapshots": async (out) => {
    const console = await startConsole();
    try { return timed(harness, ["run", scenario, "--console", console.url, "--apply", "--out", out, "--snapshots", path.join(out, "store"), "--update-snapshots", "missing"]); }
    finally { console.stop(); }
  },
};

const seconds = Object.fromEntries(Object.keys(arms).map((arm) => [arm, []]));
const perKind = {};
const playwrightPerKind = {};
for (let run = 0; run < runs; run++) {
  // Alternate who goes first, so neither always runs on a warmer machine.
  const order = run % 2 ? ["playwright", "harness", "harness with snapshots"] : ["harness", "playwright", "harness with snapshots"];
  for (const arm of order) {
    const out = path.join(work, `${arm.replace(/ /g, "-")}-${run}`);
    fs.rmSync(out, { recursive: true, force: true });
    seconds[arm].push(await arms[arm](out));
    if (arm === "playwright") {
      for (const { kind, ms } of JSON.parse(fs.readFileSync(path.join(out, "timings.json"), "utf8"))) (playwrightPerKind[kind] ||= []).push(ms);
    } else {
      const report = JSON.parse(fs.readFileSync(path.join(out, "upgrade-vmware-non-airgap", "report.json"), "utf8"));
      for (const step of report.steps) for (const action of step.actions) {
        const kind = kindOf(action.action);
        if (arm === "harness" || kind === "snapshot") (perKind[kind] ||= []).push(action.seconds * 1000);
      }
    }
  }
  process.stderr.write(`run ${run + 1}/${runs}: ${Object.entries(seconds).map(([arm, values]) => `${arm} ${values.at(-1).toFixed(2)} s`).join(", ")}\n`);
}

const harnessMedian = median(seconds.harness);
const playwrightMedian = median(seconds.playwright);
console.log(`| arm | median s | runs (s) |`);
console.log(`| --- | ---: | --- |`);
for (const [arm, values] of Object.entries(seconds)) console.log(`| ${arm} | ${median(values).toFixed(2)} | ${values.map((value) => value.toFixed(2)).join(", ")} |`);
console.log(`\nharness / playwright (without snapshots): ${(harnessMedian / playwrightMedian).toFixed(2)}x\n`);
console.log(`| action kind | harness median ms | playwright median ms | actions timed (harness) |`);
console.log(`| --- | ---: | ---: | ---: |`);
for (const [kind, values] of Object.entries(perKind)) {
  const peer = playwrightPerKind[kind];
  console.log(`| ${kind} | ${median(values).toFixed(0)} | ${peer ? median(peer).toFixed(0) : "-"} | ${values.length} |`);
}
