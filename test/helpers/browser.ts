/**
 * A real browser for page tests: the system's Chromium (Debian's `chromium`
 * package; `.ci/run` installs it when missing) driven by playwright-core.
 * Playwright's own browser downloads cannot reach the internet here, so the
 * executable is the system one: `CHROMIUM_PATH`, else the first of the usual
 * paths that exists.
 *
 *   const browser = await launchBrowser();
 *   const page = await browser.newPage();
 *   ...
 *   await saveScreenshot(page, 'video-page');   // test/output/video-page.png
 *   await browser.close();
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Screenshots and other artefacts a reader of the test run may want to look at (ignored by git). */
export const TEST_OUTPUT = fileURLToPath(new URL('../output', import.meta.url));

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `no Chromium found (looked at ${CANDIDATES.join(', ')}); install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // Containers run as root without user namespaces; the sandbox cannot start there.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'],
  });
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const path = join(TEST_OUTPUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core (served from node_modules, injected as a script: no network)
 * on the page and returns its serious and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Injected through the DevTools protocol, so a strict Content-Security-Policy on the page does not block it.
  await page.evaluate(source);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
