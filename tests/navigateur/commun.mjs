// What the browser scripts share: Debian's Chromium launched quietly, axe-core's source to
// inject, and the folder where screenshots go for a human to look at.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { createRequire } from 'node:module';

/// axe-core, injected into a page (the page's own CSP forbids it: contexts bypass it).
export const axe = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/// $CAPTURES, or `defaut`, created.
export function dossierCaptures(defaut) {
  const captures = process.env.CAPTURES ?? defaut;
  fs.mkdirSync(captures, { recursive: true });
  return captures;
}

/// Chromium ($CHROMIUM, or Debian's), headless and without background traffic.
export function lancer() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/// The ids of axe-core's violations on the page, with how many nodes each.
export async function violations(page) {
  await page.addScriptTag({ content: axe });
  return page.evaluate(async () =>
    (await window.axe.run()).violations.map((v) => `${v.id} (${v.nodes.length})`));
}
