// Browser test support: headless Chromium (the system's, driven by puppeteer-core), pages whose
// state is read from `window.tickroomDemo.view()`, screenshots and seen tokens as artifacts.
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

export const BASE = process.env.TICKROOM_HTTP_URL ?? "";
export const ARTIFACTS = process.env.ARTIFACTS ?? join(process.cwd(), "../target/browser-artifacts");
const CANDIDATES = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath() {
  const found = CANDIDATES.find((p) => p && existsSync(p));
  if (!found) {
    throw new Error("Chromium not found: install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM");
  }
  return found;
}

export async function launch() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
  });
}

/** A page in its own browser context (own storage), that believes it has the focus (keys are not dropped on blur). */
export async function newPage(browser, name) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1100, height: 720 });
  const cdp = await page.createCDPSession();
  await cdp.send("Emulation.setFocusEmulationEnabled", { enabled: true });
  page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") {
      console.error(`[${name}] console: ${m.text()}`);
    }
  });
  return page;
}

/** The demo page's state. */
export const view = (page) => page.evaluate(() => window.tickroomDemo.view());

/** Waits until `pred(view)` holds in the page (evaluated there), with a timeout. */
export async function waitView(page, pred, what, timeout = 10_000, arg = null) {
  try {
    await page.waitForFunction(pred, { timeout, polling: 50 }, arg);
  } catch (e) {
    throw new Error(`timed out waiting for ${what}; page state: ${JSON.stringify(await view(page).catch(() => null)).slice(0, 1500)}`);
  }
}

export async function screenshot(page, name, fullPage = false) {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Records a token a page held, so the Java side can prove that none reached the node's log. */
export function sawToken(token) {
  if (token) {
    appendFileSync(join(ARTIFACTS, "tokens.txt"), token + "\n");
  }
}

/** Signs a player in through the dev token form and waits for the lobby browser. */
export async function signIn(page, user, name) {
  await page.goto(`${BASE}/`);
  await page.waitForSelector("#dev-form", { visible: true });
  await page.type("#dev-user", user);
  await page.type("#dev-name", name);
  await page.click("#dev-form button");
  await waitView(page, () => window.tickroomDemo.view().screen === "lobbies" && window.tickroomDemo.view().connected, `${user} signed in`);
}

export async function pageTokens(page) {
  return page.evaluate(() => {
    const s = JSON.parse(sessionStorage.getItem("tickroom.demo") ?? "null");
    return s ? [s.auth?.token, s.resume?.resumeToken] : [];
  });
}
