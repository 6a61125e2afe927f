import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium: the browser suite drives it (playwright-core never downloads a browser of its own). */
export const CHROMIUM = "/usr/bin/chromium";

const ARGUMENTS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Throw, saying how to install it, unless Chromium is there (vitest.browser.config.ts calls it: the suite fails, never skips). */
export function requireChromium(): void {
  if (existsSync(CHROMIUM)) return;
  throw new Error(
    `npm run test:browser drives Debian's Chromium at ${CHROMIUM}, which is not installed: run \`apt-get install -y chromium\` (as root; .ci/run does). npm test needs no browser.`,
  );
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (its own --user-data-dir, removed on close), a 1280×900 viewport. */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  const profile = await mkdtemp(join(tmpdir(), "agentsynth-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGUMENTS, viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A new page that records console errors, uncaught exceptions and failed requests. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? "?"})`));
  return { page, errors };
}
