// The VMware non-airgap upgrade rehearsal written for Playwright, the peer of the shipped
// scenario in the end-to-end benchmark: the same click path on the built-in console, the same
// work (read the installed and offered versions, back up four layers, carry the same values from
// Current configuration into the incoming values of four layers (by the keys the harness finds;
// Playwright is given them), confirm, wait through the lock, log in again, check the version and
// the kept values, check the Summary), and the same four screenshots, with Playwright's own settling for
// screenshots (animations disabled, caret hidden). Same Debian Chromium, same flags, same
// viewport as webdriver/chromium.json.
// Usage: node playwright-upgrade.mjs CONSOLE_URL OUTPUT_DIR
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const [url, out] = process.argv.slice(2);
const username = process.env.PALETTE_USERNAME || "admin";
const password = process.env.PALETTE_PASSWORD || "admin";
const KEPT = { OS: [], Kubernetes: ["podCIDR", "serviceClusterIpRange"], CNI: ["CALICO_IPV4POOL_CIDR"], CSI: ["storagePolicyName"] };
// The Palette versions a page names, as the harness's `read installed version` reads them.
const versionsOn = async (page) => [...(await page.locator("body").innerText()).matchAll(/\b4\.\d+\.\d+\b/g)].map((match) => match[0]);
fs.mkdirSync(out, { recursive: true });

// Each action's time, by the kind the harness reports (click, select, back up, ...), written to
// OUTPUT_DIR/timings.json for the side-by-side table.
const timings = [];
async function timed(kind, action) {
  const started = performance.now();
  const result = await action();
  timings.push({ kind, ms: performance.now() - started });
  return result;
}

// The same carry-over as the scenario's merges, for keys on lines of their own.
function carry(incoming, current, keys) {
  let merged = incoming;
  for (const key of keys) {
    const line = new RegExp(`^(\\s*${key}:\\s*)(.*)$`, "m");
    const kept = current.match(line);
    if (kept) merged = merged.replace(line, `$1${kept[2]}`);
  }
  return merged;
}

function valueOf(text, key) {
  const found = text.match(new RegExp(`^\\s*${key}:\\s*(.*)$`, "m"));
  return found ? found[1] : null;
}

const logIn = (page) => timed("log in", async () => {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Login" }).click();
  await page.getByRole("navigation", { name: "Main Menu" }).waitFor();
});

const click = (locator) => timed("click", () => locator.click());

async function openProfile(page) {
  await click(page.getByRole("link", { name: "Enterprise Cluster" }));
  await click(page.getByRole("tab", { name: "Profile" }));
}

// Selects a layer and reads its editor once the console shows the layer as selected (the
// Profile tab fetches the layer before it renders it).
const layerValues = (page, layer, kind) => timed(kind, async () => {
  await page.getByRole("option", { name: layer }).first().click();
  await page.getByRole("option", { name: layer, selected: true }).first().waitFor();
  return page.getByRole("textbox").inputValue();
});

const shot = (page, name) => timed("screenshot", () => page.screenshot({ path: path.join(out, `${name}.png`), animations: "disabled", caret: "hide" }));

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--force-color-profile=srgb", "--font-render-hinting=none"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await logIn(page);
  const installed = await timed("read", async () => (await versionsOn(page)).sort()[0]);

  await openProfile(page);
  const backups = {};
  for (const layer of ["OS", "CSI", "CNI", "Kubernetes"]) {
    backups[layer] = await layerValues(page, layer, "back up");
    fs.writeFileSync(path.join(out, `${layer.toLowerCase()}.yaml`), backups[layer]);
  }
  await shot(page, "copy_configurations");

  await click(page.getByRole("link", { name: "Update Management" }));
  await timed("expect", () => page.getByRole("button", { name: "Update", exact: true }).waitFor());
  const target = await timed("check", async () => (await versionsOn(page)).filter((version) => version !== installed)[0]);
  await shot(page, "update");
  await click(page.getByRole("button", { name: "Update", exact: true }));

  const dialog = page.getByRole("dialog", { name: "Palette version update" });
  await timed("expect", () => dialog.waitFor());
  for (const layer of ["OS", "Kubernetes", "CNI", "CSI"]) {
    await timed("select", async () => {
      await dialog.getByRole("option", { name: layer }).first().click();
      await dialog.getByRole("option", { name: layer, selected: true }).first().waitFor();
    });
    await timed("merge", async () => {
      const incoming = await dialog.getByRole("textbox", { name: "Incoming changes" }).inputValue();
      const current = dialog.getByRole("textbox", { name: "Current configuration" });
      await current.fill(carry(incoming, await current.inputValue(), KEPT[layer]));
    });
    if (layer === "Kubernetes") await shot(page, "upgrade-preview");
  }
  await click(dialog.getByRole("button", { name: "Confirm" }));

  await timed("wait until unlocked", async () => {
    await page.getByRole("alertdialog").waitFor();
    await page.getByRole("alertdialog").waitFor({ state: "hidden", timeout: 15 * 60 * 1000 });
  });
  await logIn(page);
  await timed("expect", async () => {
    if ((await versionsOn(page)).sort()[0] !== target) throw new Error(`not on ${target}`);
  });

  await openProfile(page);
  for (const [layer, keys] of Object.entries(KEPT)) {
    const now = await layerValues(page, layer, "check");
    for (const key of keys) {
      if (valueOf(now, key) !== valueOf(backups[layer], key)) throw new Error(`${layer} lost ${key}`);
    }
  }

  await click(page.getByRole("link", { name: "Summary" }));
  await timed("expect", () => page.getByText("You are using the latest version of Palette").waitFor());
  await timed("expect", () => page.getByText("On-prem system console is healthy").waitFor());
  await shot(page, "upgraded");
} finally {
  await browser.close();
}
fs.writeFileSync(path.join(out, "timings.json"), JSON.stringify(timings));
