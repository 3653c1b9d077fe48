// What the browser scripts share: Debian's Chromium launched quietly, axe-core's source to
// inject, and the folder where screenshots go for a human to look at.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
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

/// At phone and desktop width: a screenshot at `capture(largeur)` for a human to look at, no
/// axe-core violation and no sideways scrolling.
export async function voir(page, nom, capture) {
  for (const largeur of [390, 1366]) {
    await page.setViewportSize({ width: largeur, height: 900 });
    await page.screenshot({ path: capture(largeur), fullPage: true });
    assert.deepEqual(await violations(page), [], `axe-core, ${nom} à ${largeur} px`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
      `${nom} à ${largeur} px défile de côté`);
  }
}

/// Signs `email` in through the form; the page lands on /espace.
export async function connecter(page, base, email, motDePasse) {
  await page.goto(`${base}/connexion`);
  await page.fill('#email', email);
  await page.fill('#mot_de_passe', motDePasse);
  await page.click('button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/espace', `${email} is not signed in`);
}

// The id of the focused element once the page has put the focus on `id` (or after 5 s):
// `autofocus` acts when the page is next drawn, which may come after the load event.
export async function focusSur(page, id) {
  await page.waitForFunction((attendu) => document.activeElement?.id === attendu, id, { timeout: 5000 })
    .catch(() => {});
  return page.evaluate(() => document.activeElement?.id);
}
