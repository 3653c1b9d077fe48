// The pages about the registry in a real browser (issue 12, point 13): at desktop and phone
// width each page fits the screen (no horizontal scrolling), passes axe-core, and its footer
// links the others. Screenshots go to $CAPTURES for a human to look at.
//
// Usage: node pages_publiques.mjs BASE_URL
import assert from 'node:assert/strict';
import path from 'node:path';
import { dossierCaptures, lancer, violations } from './commun.mjs';

const [base] = process.argv.slice(2);
const captures = dossierCaptures('/tmp/benkan-pages-publiques');
const navigateur = await lancer();

const pages = [
  ['a-propos', '/a-propos'],
  ['glossaire', '/glossaire#zone-blanche'],
  ['mentions-legales', '/mentions-legales'],
  ['confidentialite', '/confidentialite'],
  ['demander-un-compte', '/demander-un-compte'],
  ['api', '/api'],
  ['donnees', '/donnees'],
  ['connexion', '/connexion'],
  ['partenariats', '/partenariats'],
  ['partenariats-recherche', '/partenariats?q=kayes&etape=non_renseignee&tri=-montant'],
  ['partenariat', '/partenariats/1'],
];

for (const largeur of [1366, 390]) {
  const contexte = await navigateur.newContext({ viewport: { width: largeur, height: 900 }, bypassCSP: true });
  const page = await contexte.newPage();
  for (const [nom, chemin] of pages) {
    const reponse = await page.goto(base + chemin);
    assert.equal(reponse.status(), 200, `${chemin} : statut ${reponse.status()}`);
    const debord = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(debord <= 0, `${nom} (${largeur}) : défilement horizontal de ${debord} px`);
    for (const lien of ['/a-propos', '/glossaire', '/mentions-legales', '/confidentialite', '/demander-un-compte', '/api']) {
      assert.equal(await page.locator(`footer a[href="${lien}"]`).count(), 1, `${nom} : pied sans ${lien}`);
    }
    await page.screenshot({ path: path.join(captures, `${nom}-${largeur}.png`), fullPage: true });
    assert.deepEqual(await violations(page), [], `${nom} (${largeur}) : axe-core`);
  }
  await contexte.close();
}
await navigateur.close();
console.log('pages publiques navigateur : réussi');
