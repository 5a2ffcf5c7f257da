// Generates screenshot-like PNG pairs for the diff benchmark: a console page (dark sidebar, top
// bar, cards with lines of anti-aliased "glyphs") at several sizes, and for each size four
// pairs: identical, a small change, anti-aliasing shifts, a large change. Deterministic.
// Usage: node generate.mjs OUT_DIR
import fs from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";

const out = process.argv[2];
if (!out) { console.error("usage: node generate.mjs OUT_DIR"); process.exit(2); }
fs.mkdirSync(out, { recursive: true });

function random(seed) {
  let state = seed >>> 0;
  return () => { state = (state * 1664525 + 1013904223) >>> 0; return state / 4294967296; };
}

class Canvas {
  constructor(width, height) { this.width = width; this.height = height; this.data = Buffer.alloc(width * height * 4, 255); }
  blend(x, y, [r, g, b], coverage) {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || coverage <= 0) return;
    const i = (y * this.width + x) * 4, a = Math.min(1, coverage);
    this.data[i] = Math.round(this.data[i] * (1 - a) + r * a);
    this.data[i + 1] = Math.round(this.data[i + 1] * (1 - a) + g * a);
    this.data[i + 2] = Math.round(this.data[i + 2] * (1 - a) + b * a);
    this.data[i + 3] = 255;
  }
  rect(x, y, w, h, color) {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++)
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) this.blend(xx, yy, color, 1);
  }
  // A rectangle with fractional left/right edges: partial coverage at the edges, like text.
  softRect(x, y, w, h, color) {
    const x0 = Math.floor(x), x1 = Math.floor(x + w);
    for (let yy = y; yy < y + h; yy++) {
      for (let xx = x0; xx <= x1; xx++) {
        const coverage = Math.min(xx + 1, x + w) - Math.max(xx, x);
        this.blend(xx, yy, color, coverage);
      }
    }
  }
  text(x, y, width, seed, color, shift = 0) {
    const next = random(seed);
    let cursor = x + shift;
    while (cursor < x + width - 10) {
      const glyph = 4 + Math.floor(next() * 5);
      if (next() < 0.16) { cursor += 4; continue; }
      this.softRect(cursor, y + 2, 1.3, 9, color);
      if (next() < 0.6) this.softRect(cursor, y + 2 + Math.floor(next() * 7), glyph - 1.5, 1.2 + 0.3 * next(), color);
      if (next() < 0.5) this.softRect(cursor + glyph - 2.3, y + 4, 1.3, 7, color);
      cursor += glyph + 1.4;
    }
  }
  save(file) {
    const png = new PNG({ width: this.width, height: this.height });
    this.data.copy(png.data);
    fs.writeFileSync(file, PNG.sync.write(png));
  }
}

function page(width, height, variant) {
  const canvas = new Canvas(width, height);
  const { shift = 0, changedCard = -1, large = false } = variant;
  canvas.rect(0, 0, width, height, [243, 245, 250]);
  const sidebar = Math.round(width * 0.18);
  canvas.rect(0, 0, sidebar, height, [18, 24, 58]);
  for (let i = 0; i < 8; i++) canvas.text(24, 100 + i * 40, sidebar - 48, 100 + i, [201, 208, 234], shift);
  canvas.rect(sidebar, 0, width - sidebar, 60, [255, 255, 255]);
  canvas.text(sidebar + 28, 24, 260, 7, [27, 35, 54], shift);
  const columns = width >= 1800 ? 3 : 2;
  const cardWidth = Math.floor((width - sidebar - 56 - (columns - 1) * 18) / columns);
  let card = 0;
  for (let top = 84; top + 180 < height; top += 200) {
    for (let column = 0; column < columns; column++, card++) {
      const x = sidebar + 28 + column * (cardWidth + 18);
      const inLargeArea = large && top < height * 0.75;
      canvas.rect(x, top, cardWidth, 180, inLargeArea ? [30, 34, 52] : [226, 230, 240]);
      canvas.rect(x + 1, top + 1, cardWidth - 2, 178, inLargeArea ? [40, 46, 70] : [255, 255, 255]);
      const seed = card === changedCard ? 99991 : 1000 + card;
      for (let line = 0; line < 6; line++) {
        const color = inLargeArea ? [220, 225, 245] : (line === 0 ? [27, 35, 54] : [85, 96, 124]);
        canvas.text(x + 22, top + 20 + line * 24, cardWidth - 60, seed * 7 + line, color, shift);
      }
    }
  }
  return canvas;
}

const sizes = [[1280, 800], [1920, 1080], [3840, 2160], [1280, 8000]];
for (const [width, height] of sizes) {
  const name = `${width}x${height}`;
  const base = page(width, height, {});
  base.save(path.join(out, `${name}-base.png`));
  base.save(path.join(out, `${name}-identical.png`));
  page(width, height, { changedCard: 1 }).save(path.join(out, `${name}-small.png`));
  page(width, height, { shift: 0.35 }).save(path.join(out, `${name}-antialiasing.png`));
  page(width, height, { large: true }).save(path.join(out, `${name}-large.png`));
  console.log(`generated ${name}`);
}
