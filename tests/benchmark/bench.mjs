// Times `palette-harness diff --antialiasing` against odiff (`--aa`) and pixelmatch (default,
// anti-aliasing detection on) as whole processes (decode both PNGs, compare, write the diff PNG),
// side by side in one run, and checks that palette-harness's counts agree with pixelmatch's.
// Usage (from run.sh): node bench.mjs HARNESS_BINARY ODIFF_BINARY FIXTURES_DIR [RUNS]
import { spawnSync } from "node:child_process";
import path from "node:path";
import os from "node:os";

const [harness, odiff, fixtures, runsText = "5"] = process.argv.slice(2);
const runs = Number(runsText);
const scratch = os.tmpdir();
const sizes = ["1280x800", "1920x1080", "3840x2160", "1280x8000"];
const cases = ["identical", "small", "antialiasing", "large"];

function run(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8" });
  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error) throw result.error;
  return { milliseconds, stdout: result.stdout, status: result.status };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const tools = {
  harness: (a, b) => run(harness, ["diff", a, b, "--antialiasing", "--output", path.join(scratch, "bench-harness.png")]),
  odiff: (a, b) => run(odiff, [a, b, path.join(scratch, "bench-odiff.png"), "--aa", "--parsable-stdout"]),
  pixelmatch: (a, b) => run(process.execPath, [path.join(path.dirname(new URL(import.meta.url).pathname), "pixelmatch-cli.mjs"), a, b, path.join(scratch, "bench-pixelmatch.png")]),
};

function count(tool, stdout) {
  if (tool === "odiff") return stdout.trim() === "" ? 0 : Number(stdout.trim().split(";")[0]);
  return Number(stdout.trim().split(/\s+/)[0]);
}

console.log(`| size | case | palette-harness ms | odiff ms | pixelmatch ms | palette-harness pixels | pixelmatch pixels | odiff pixels | agreement |`);
console.log(`| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |`);
let failures = 0;
for (const size of sizes) {
  for (const kind of cases) {
    const a = path.join(fixtures, `${size}-base.png`);
    const b = path.join(fixtures, `${size}-${kind}.png`);
    const times = { harness: [], odiff: [], pixelmatch: [] };
    const counts = {};
    for (let round = 0; round < runs; round++) {
      // Interleaved, so load on the machine hits every tool alike.
      for (const tool of Object.keys(tools)) {
        if (tool === "pixelmatch" && round >= Math.min(runs, 3)) continue;
        const result = tools[tool](a, b);
        times[tool].push(result.milliseconds);
        counts[tool] = count(tool, result.stdout);
      }
    }
    const agree = counts.pixelmatch === 0 ? counts.harness === 0 : Math.abs(counts.harness - counts.pixelmatch) / counts.pixelmatch <= 0.01;
    const faster = median(times.harness) < median(times.odiff);
    if (!agree || !faster) failures++;
    console.log(`| ${size} | ${kind} | ${median(times.harness).toFixed(0)} | ${median(times.odiff).toFixed(0)} | ${median(times.pixelmatch).toFixed(0)} | ${counts.harness} | ${counts.pixelmatch} | ${counts.odiff} | ${agree ? "within 1%" : "DISAGREES"}${faster ? "" : ", slower than odiff"} |`);
  }
}
console.log(`\n${runs} runs per tool (pixelmatch: ${Math.min(runs, 3)}), median wall time of the whole process; ${os.cpus().length} cores.`);
process.exit(failures === 0 ? 0 : 1);
