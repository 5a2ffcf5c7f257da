// pixelmatch as a whole process, like the other two tools: decode both PNGs, compare, write the
// diff PNG, print the differing pixel count. Usage: node pixelmatch-cli.mjs A B DIFF [include-aa]
import fs from "node:fs";
import { PNG } from "pngjs";
import pixelmatch from "pixelmatch";

const [a, b, output, mode] = process.argv.slice(2);
const left = PNG.sync.read(fs.readFileSync(a));
const right = PNG.sync.read(fs.readFileSync(b));
const diff = new PNG({ width: left.width, height: left.height });
const count = pixelmatch(left.data, right.data, diff.data, left.width, left.height, { threshold: 0.1, includeAA: mode === "include-aa" });
fs.writeFileSync(output, PNG.sync.write(diff));
console.log(count);
