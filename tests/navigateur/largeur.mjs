// Every public page type on a phone (issue 12, point 9): at 390 px the page itself never
// scrolls sideways (a wide table may scroll inside its `.defilement` box), the overview's
// chart labels read at 12 px or more, and axe-core finds nothing — with the overview's folded
// tables closed and open. The same pages at 1366 px for the screenshots and axe-core.
//
// Usage: node largeur.mjs BASE_URL; the record pages come from PAGE_* variables
// (PAGE_PARTENARIAT, PAGE_ACTION, PAGE_REGION, PAGE_CERCLE, PAGE_COMMUNE, PAGE_ETRANGERE,
// PAGE_INTERVENTION). Screenshots go to $CAPTURES.
import assert from 'node:assert/strict';
import path from 'node:path';
import { dossierCaptures, lancer, violations } from './commun.mjs';

const [base] = process.argv.slice(2);
const captures = dossierCaptures('/tmp/benkan-largeur');
const navigateur = await lancer();

const fiche = (variable) => {
  const chemin = process.env[variable];
  assert.ok(chemin, `${variable} manquant`);
  return chemin;
};
const pages = [
  ['accueil', '/'],
  ['apercu', '/apercu'],
  ['apercu-communes-montant', '/apercu?niveau=commune&mesure=montant'],
  ['apercu-cercles-actions', '/apercu?niveau=cercle&mesure=actions'],
  ['apercu-1990', '/apercu?date=1990-01-01'],
  ['rapport', '/apercu/rapport.html'],
  ['partenariats', '/partenariats'],
  ['partenariats-filtres', '/partenariats?pays=FR&statut=actif'],
  ['partenariat', fiche('PAGE_PARTENARIAT')],
  ['action', fiche('PAGE_ACTION')],
  ['collectivites', '/collectivites'],
  ['region', fiche('PAGE_REGION')],
  ['cercle', fiche('PAGE_CERCLE')],
  ['commune', fiche('PAGE_COMMUNE')],
  ['etrangere', fiche('PAGE_ETRANGERE')],
  ['intervention', fiche('PAGE_INTERVENTION')],
  ['donnees', '/donnees'],
  ['a-propos', '/a-propos'],
  ['glossaire', '/glossaire'],
  ['mentions-legales', '/mentions-legales'],
  ['confidentialite', '/confidentialite'],
  ['demander-un-compte', '/demander-un-compte'],
  ['api', '/api'],
  ['connexion', '/connexion'],
  ['introuvable', '/partenariats/999999'],
];

/// How far the page scrolls sideways past the window, in CSS pixels.
const debord = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/// The smallest chart label as drawn: its font size times the SVG's scale.
const plusPetitLibelle = (page) => page.evaluate(() => {
  let min = Infinity;
  for (const svg of document.querySelectorAll('.graphique svg')) {
    const echelle = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const texte of svg.querySelectorAll('text')) {
      min = Math.min(min, parseFloat(getComputedStyle(texte).fontSize) * echelle);
    }
  }
  return min;
});

for (const largeur of [390, 1366]) {
  const contexte = await navigateur.newContext({ viewport: { width: largeur, height: 844 }, bypassCSP: true });
  const page = await contexte.newPage();
  for (const [nom, chemin] of pages) {
    const reponse = await page.goto(base + chemin);
    const attendu = nom === 'introuvable' ? 404 : 200;
    assert.equal(reponse.status(), attendu, `${chemin} : statut ${reponse.status()}`);
    assert.ok(await debord(page) <= 0, `${nom} (${largeur}) : défilement horizontal de ${await debord(page)} px`);
    assert.deepEqual(await violations(page), [], `${nom} (${largeur}) : axe-core`);
    if (nom.startsWith('apercu') && nom !== 'apercu-1990') {
      const libelle = await plusPetitLibelle(page);
      assert.ok(libelle >= 12, `${nom} (${largeur}) : libellés des graphiques de ${libelle.toFixed(1)} px`);
    }
    // The whole page for those a reviewer reads through, the first screen for the others.
    const entiere = ['accueil', 'apercu', 'partenariat', 'action'].includes(nom);
    await page.screenshot({ path: path.join(captures, `${nom}-${largeur}.png`), fullPage: entiere });
    if (await page.locator('details').count() > 0) {
      // Opened, the folded tables and lists still fit: wide ones scroll inside their box.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      assert.ok(await debord(page) <= 0, `${nom} ouvert (${largeur}) : défilement horizontal de ${await debord(page)} px`);
      if (largeur === 390) {
        assert.deepEqual(await violations(page), [], `${nom} ouvert (${largeur}) : axe-core`);
      }
    }
  }
  await contexte.close();
}
await navigateur.close();
console.log('largeur navigateur : réussi');
