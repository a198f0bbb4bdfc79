// Drives the playground in headless Chromium as a visitor would, and fails on anything
// wrong: `node browser.mjs URL SCREENSHOT`. playground/test.sh runs it against the built
// site on a local server.
//
// It checks that the page loads without a page or console error (a failed request counts),
// starts from the tutorial's 100 points, trains the default 2 → 16 → 2 sigmoid network for
// STEPS steps through the page (the stop field set from the address, then a click on Train)
// and reaches the accuracy it must on the default data, paints the regions the network
// learned (red round the red clusters' centres, blue round the blue ones), draws a loss
// curve, adds a point where the plane is clicked (shift: the other colour), and trains
// every other network on offer without an error. A screenshot of the trained page is saved.

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) throw new Error("usage: node browser.mjs URL SCREENSHOT");
const STEPS = 200;
// The accuracy the default network must show after STEPS steps: all 100 points, as
// examples/mlp.rs reaches on the same data. EXPECT_ACCURACY overrides it, to see the test
// fail.
const EXPECTED_ACCURACY = process.env.EXPECT_ACCURACY ?? "100.0%";
const TIMEOUT = 60_000;

const failures = [];
let passed = 0;
function check(condition, message) {
  if (condition) passed++;
  else failures.push(message);
  console.log(`${condition ? "ok  " : "FAIL"} ${message}`);
}

// A profile of its own, made empty for this run and removed after: nothing from an earlier
// run (a cached module, a stored form value) can make the page pass.
const profile = mkdtempSync(join(tmpdir(), "playground-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1040, height: 860 },
  // No sandbox: CI runs as root, where Chromium's sandbox refuses to start. The rest keep
  // the browser from reaching out to the network or doing work of its own during the test.
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

try {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console error: ${message.text()}`);
  });
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const text = (selector) => page.locator(selector).textContent();

  await page.goto(`${url}?stop=${STEPS}`);
  // The page marks itself ready once the module is loaded and the first frame drawn.
  await page.waitForSelector("body[data-ready=true]", { timeout: TIMEOUT });
  check((await text("#points")) === "100", `starts with the tutorial's 100 points (${await text("#points")})`);
  check((await text("#steps")) === "0", "starts at step 0");

  await page.click("#train");
  await page.waitForFunction(
    (steps) => document.querySelector("#steps").textContent === String(steps),
    STEPS,
    { timeout: TIMEOUT },
  );
  const accuracy = await text("#accuracy");
  const loss = parseFloat(await text("#loss"));
  check(accuracy === EXPECTED_ACCURACY, `accuracy after ${STEPS} steps: ${accuracy}, must be ${EXPECTED_ACCURACY}`);
  check(loss < 0.05, `loss after ${STEPS} steps: ${loss}, under 0.05`);
  check((await text("#train")) === "Train", "training stopped at the step asked for");

  // The regions: the pixel colour at each cluster's centre, from the canvas itself.
  const colours = await page.evaluate(() => {
    const canvas = document.querySelector("#plane");
    const context = canvas.getContext("2d");
    // The plane is [-0.75, 1.75]² with y upwards.
    const at = (x, y) => {
      const px = ((x + 0.75) / 2.5) * canvas.width;
      const py = (1 - (y + 0.75) / 2.5) * canvas.height;
      // Beside the centre, between the points drawn there, at an offset of 0.3.
      return Array.from(context.getImageData(px + 0.12 * canvas.width, py, 1, 1).data);
    };
    return { red: [at(0, 0), at(1, 1)], blue: [at(0, 1), at(1, 0)] };
  });
  const reddish = ([r, , b]) => r > b + 30;
  const bluish = ([r, , b]) => b > r + 30;
  check(colours.red.every(reddish), `red regions round (0, 0) and (1, 1): ${JSON.stringify(colours.red)}`);
  check(colours.blue.every(bluish), `blue regions round (0, 1) and (1, 0): ${JSON.stringify(colours.blue)}`);

  // The loss curve: some dark pixels (the line) on the white canvas.
  const dark = await page.evaluate(() => {
    const canvas = document.querySelector("#loss-curve");
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) count += data[i] < 80 && data[i + 2] < 80 ? 1 : 0;
    return count;
  });
  check(dark > 200, `a loss curve is drawn (${dark} dark pixels)`);

  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);

  // A click on the plane adds a point; a shift-click another.
  const plane = await page.locator("#plane").boundingBox();
  const before = Number(await text("#points"));
  await page.mouse.click(plane.x + plane.width * 0.5, plane.y + plane.height * 0.3);
  check(Number(await text("#points")) === before + 1, `a click adds a point (${before} → ${await text("#points")})`);
  await page.keyboard.down("Shift");
  await page.mouse.click(plane.x + plane.width * 0.3, plane.y + plane.height * 0.5);
  await page.keyboard.up("Shift");
  check(Number(await text("#points")) === before + 2, "a shift-click adds another");

  // Every other network on offer: chosen in the form, trained 20 steps, no error.
  await page.fill("#stop-at", "20");
  for (const activation of ["sigmoid", "tanh", "relu"]) {
    for (const width of ["2", "4", "8", "16"]) {
      await page.selectOption("#activation", { label: activation });
      await page.selectOption("#width", width);
      const steps = await text("#steps");
      await page.click("#train");
      await page.waitForFunction(
        () => document.querySelector("#steps").textContent === "20",
        null,
        { timeout: TIMEOUT },
      );
      check(steps === "0" && Number.isFinite(parseFloat(await text("#loss"))),
        `${activation} at width ${width}: new network at step 0, trains to step 20`);
    }
  }

  check(errors.length === 0, `no page or console errors${errors.length ? `: ${errors.join("; ")}` : ""}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

// The plain closing line a CI log reader counts.
console.log(`\nbrowser: ${passed} passed, ${failures.length} failed`);
if (failures.length) process.exit(1);
