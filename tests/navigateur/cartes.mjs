// The maps in a real browser (Debian's Chromium driven by playwright-core): each map page at
// desktop and phone width — the overview, a région, a partenariat, an action and an
// intervention — is drawn (the SVG has a size, its zones are there), fits the
// screen, passes axe-core, and a zone is a link that leads to its collectivité. Screenshots go
// to $CAPTURES for a human to look at.
//
// Usage: node cartes.mjs BASE_URL
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [base] = process.argv.slice(2);
const axe = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const captures = process.env.CAPTURES ?? '/tmp/benkan-cartes';
fs.mkdirSync(captures, { recursive: true });
const navigateur = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// [name, path, the least number of zones drawn, the least number of points marked]
const pages = [
  ['accueil', '/', 10, 0],
  ['apercu-regions', '/apercu', 10, 0],
  ['apercu-communes', '/apercu?niveau=commune&mesure=actions', 701, 0],
  ['region-kayes', process.env.PAGE_KAYES, 10 + 7, 0],
  // a record's places: the régions, and its own units shaded on top
  // the commune of Kayes is a few kilometres wide: a marker shows it
  ['partenariat', process.env.PAGE_PARTENARIAT, 10 + 1, 1],
  ['action', process.env.PAGE_ACTION, 10 + 1, 1],
  ['intervention', process.env.PAGE_INTERVENTION, 10 + 1, 1],
];

for (const largeur of [1366, 390]) {
  // The page's own CSP forbids injected scripts; axe is injected for the audit only.
  const contexte = await navigateur.newContext({ viewport: { width: largeur, height: 900 }, bypassCSP: true });
  const page = await contexte.newPage();
  for (const [nom, chemin, zones, points] of pages) {
    const reponse = await page.goto(base + chemin);
    assert.equal(reponse.status(), 200, `${chemin} : statut ${reponse.status()}`);
    const carte = page.locator('figure.carte > svg').first();
    const cadre = await carte.boundingBox();
    assert.ok(cadre && cadre.width > 200 && cadre.height > 200, `${nom} (${largeur}) : carte non dessinée ${JSON.stringify(cadre)}`);
    assert.ok(cadre.x + cadre.width <= largeur + 1, `${nom} (${largeur}) : la carte déborde de l'écran`);
    const dessinees = await page.locator('figure.carte > svg path[d] title').count();
    assert.ok(dessinees >= zones, `${nom} (${largeur}) : ${dessinees} zones au lieu d'au moins ${zones}`);
    const marques = await page.locator('figure.carte > svg circle').count();
    assert.ok(marques >= points, `${nom} (${largeur}) : ${marques} points au lieu d'au moins ${points}`);
    assert.ok(await page.getByText('Limites administratives : DNCT Mali / OCHA, COD-AB 2015').first().isVisible(),
      `${nom} : crédit absent`);
    await page.screenshot({ path: path.join(captures, `${nom}-${largeur}.png`), fullPage: true });
    await page.addScriptTag({ content: axe });
    const violations = await page.evaluate(async () =>
      (await window.axe.run()).violations.map((v) => `${v.id} (${v.nodes.length})`));
    assert.deepEqual(violations, [], `${nom} (${largeur}) : axe-core`);
  }
  // A zone is a link: the région of Kayes on the national map leads to its page.
  await page.goto(base + '/apercu');
  const kayes = page.locator('figure.carte a', { has: page.locator('title', { hasText: /^Kayes \(région\)/ }) }).first();
  await Promise.all([page.waitForURL(/\/collectivites\/\d+$/), kayes.click({ force: true })]);
  assert.match(await page.locator('h1').innerText(), /Kayes/);
  await contexte.close();
}
await navigateur.close();
console.log('cartes navigateur : réussi');
