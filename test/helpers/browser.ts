import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestServer } from './server.js';

/** Debian's Chromium; the networking flags stop it stalling on this offline network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.FLY_TEST_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser profile (no cookies, no storage) that may use the clipboard on the test server. */
export async function newContext(browser: Browser, server: TestServer, viewport = DESKTOP): Promise<BrowserContext> {
  // UTC, so dates picked in the page and dates stored by the server compare directly.
  const context = await browser.newContext({ viewport, baseURL: server.url, timezoneId: 'UTC', locale: 'en-GB' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  return context;
}

export async function logInThroughPage(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: /^Account menu for / }).waitFor();
}

/** A fresh profile with the first admin logged in through the login page; `sessionCookie` is the secret it holds. */
export async function adminPage(browser: Browser, server: TestServer): Promise<{ context: BrowserContext; page: Page; sessionCookie: string }> {
  const context = await newContext(browser, server);
  const page = await context.newPage();
  await logInThroughPage(page, server.admin.username, server.admin.password);
  return { context, page, sessionCookie: (await sessionCookie(context))?.value ?? 'missing' };
}

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/**
 * Saves the page at desktop and phone sizes and prints where, so CI keeps the paths in its log. Also
 * checks the layout does not overflow sideways at either size.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} overflows sideways at ${size.width}×${size.height}`).toBeLessThanOrEqual(0);
    const file = join(SCREENSHOT_DIR, `${name}-${size.width}x${size.height}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
  }
  await page.setViewportSize(original);
}

/** Everything the page could have persisted: local and session storage, IndexedDB, readable cookies. */
export async function browserStorage(page: Page): Promise<{ localStorage: string; sessionStorage: string; indexedDb: string[]; cookies: string }> {
  return page.evaluate(async () => {
    const dump = (storage: Storage) =>
      JSON.stringify(Array.from({ length: storage.length }, (_, i) => storage.key(i)).map((key) => [key, key && storage.getItem(key)]));
    const databases = await indexedDB.databases();
    return {
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      indexedDb: databases.map((db) => db.name ?? ''),
      cookies: document.cookie,
    };
  });
}

/**
 * Asserts no secret is kept in browser storage: every store is empty, scripts cannot read the session
 * cookie, and none of the given secrets (token, session) appears anywhere.
 */
export async function expectNoSecretsInStorage(page: Page, secrets: string[] = []): Promise<void> {
  const storage = await browserStorage(page);
  expect(storage).toEqual({ localStorage: '[]', sessionStorage: '[]', indexedDb: [], cookies: '' });
  const everything = JSON.stringify(storage);
  for (const secret of secrets) expect(everything).not.toContain(secret);
  // Nothing shaped like a registry token, session or invitation secret, whoever it belongs to.
  expect(everything).not.toMatch(/fly[rsi]_[A-Za-z0-9]{20,}/);
}

/** Reads the HttpOnly session cookie from the browser profile (the test acts as an outside observer). */
export async function sessionCookie(context: BrowserContext): Promise<{ value: string; httpOnly: boolean; sameSite: string } | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === 'fly_session');
}
