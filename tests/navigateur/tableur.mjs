// Working offline in a real browser: an authority downloads its records from /espace,
// sends back a sheet with a new action, reads the preview, confirms, and sees the message;
// axe-core on each page at phone and desktop width, screenshots for a human.
//
// Usage: node tableur.mjs BASE_URL PASSWORD   (env: PARTENARIAT, the reference of the
// authority's partenariat; CAPTURES, the screenshots' folder)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { dossierCaptures, lancer, violations } from './commun.mjs';

const [base, motDePasse] = process.argv.slice(2);
const partenariat = process.env.PARTENARIAT;
const captures = dossierCaptures('/tmp/benkan-tableur');
const navigateur = await lancer();

// No axe-core violation and no sideways scrolling at either width; a screenshot of each.
async function verifier(page, nom, cible) {
  for (const largeur of [390, 1366]) {
    await page.setViewportSize({ width: largeur, height: 900 });
    const v = await violations(page);
    assert.deepEqual(v, [], `${nom} (${largeur} px) : ${v.join(', ')}`);
    const deborde = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(deborde, false, `${nom} (${largeur} px) défile de côté`);
    const chemin = `${captures}/${nom}-${largeur}.png`;
    if (cible) {
      await page.locator(cible).screenshot({ path: chemin });
    } else {
      await page.screenshot({ path: chemin, fullPage: true });
    }
  }
}

try {
  const page = await (await navigateur.newContext({ acceptDownloads: true, bypassCSP: true })).newPage();
  await page.goto(`${base}/connexion`);
  await page.fill('#email', 'maire@kayes.ml');
  await page.fill('#mot_de_passe', motDePasse);
  await page.click('button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/espace');
  await verifier(page, 'espace-hors-ligne', '#section-hors-ligne');

  // the download: one zip of the Excel-FR files
  const [telechargement] = await Promise.all([
    page.waitForEvent('download'),
    page.click('text=Télécharger mes données'),
  ]);
  assert.match(telechargement.suggestedFilename(), /^benkan-mes-donnees-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = fs.readFileSync(await telechargement.path());
  assert.equal(zip.subarray(0, 2).toString(), 'PK');

  // offline, a new action typed in Excel, saved as « CSV (séparateur : point-virgule) »
  const actions = '\uFEFFidentifiant;partenariat;titre;axe;domaine;nature;statut;debut\r\n' +
    `;${partenariat};Forage du navigateur;services_sociaux_de_base;eau_assainissement;physique;en_cours;15/01/2025\r\n`;
  await page.setInputFiles('#fichiers', {
    name: 'actions.csv', mimeType: 'text/csv', buffer: Buffer.from(actions, 'utf8'),
  });
  await page.click('text=Voir l\'aperçu');
  assert.equal(new URL(page.url()).pathname, '/espace/tableur');
  assert.equal(await page.locator('h1').textContent(), 'Aperçu de l\'import du tableur');
  const ligne = await page.locator('.decomptes li', { hasText: 'actions.csv' }).textContent();
  assert.match(ligne, /Actions \(actions\.csv\) : à créer : 1, à modifier : 0, inchangés : 0/);
  await verifier(page, 'apercu');

  // a mistake first: the preview lists it, nothing to confirm
  await page.goto(`${base}/espace`);
  await page.setInputFiles('#fichiers', {
    name: 'actions.csv', mimeType: 'text/csv', buffer: Buffer.from(actions.replace('en_cours', 'bientot'), 'utf8'),
  });
  await page.click('text=Voir l\'aperçu');
  assert.ok(await page.locator('text=rien n\'a été enregistré').count() > 0);
  assert.equal(await page.locator('text=Confirmer l\'import').count(), 0);
  assert.match(await page.locator('.erreurs-import li').first().textContent(),
    /actions\.csv, ligne 2, colonne « statut » : valeur « bientot » ; attendu : une de ces valeurs/);
  await verifier(page, 'apercu-erreurs');

  // then the good file, confirmed
  await page.goto(`${base}/espace`);
  await page.setInputFiles('#fichiers', {
    name: 'actions.csv', mimeType: 'text/csv', buffer: Buffer.from(actions, 'utf8'),
  });
  await page.click('text=Voir l\'aperçu');
  await page.click('text=Confirmer l\'import');
  assert.equal(new URL(page.url()).pathname, '/espace');
  const message = await page.locator('.succes').textContent();
  assert.match(message, /Votre tableur est importé : 1 enregistrement/);
  assert.ok(await page.locator('td', { hasText: 'Forage du navigateur' }).count() > 0,
    'the new action is listed in /espace');
  await verifier(page, 'espace-apres-import');
  console.log('tableur navigateur : réussi');
} finally {
  await navigateur.close();
}
