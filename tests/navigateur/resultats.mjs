// Results in a real browser: an authority declares a result of its action (an indicator of
// the catalogue with its target) and a measured value, an administrator validates, and the
// public page shows the progress bar; the commune's page and the overview add it up, and the
// overview's line leads to the action. Every page axe-core
// clean and without sideways scrolling at 390 and 1366 px.
//
// Usage: node resultats.mjs BASE_URL PASSWORD ACTION_ID COMMUNE_ID
import assert from 'node:assert/strict';
import { connecter as connecterAvec, dossierCaptures, lancer, voir as voirAvec } from './commun.mjs';

const [base, motDePasse, action, commune] = process.argv.slice(2);
const captures = dossierCaptures('/tmp/benkan-resultats');
const navigateur = await lancer();

const voir = (page, nom) => voirAvec(page, nom, (largeur) => `${captures}/${nom}-${largeur}.png`);
const connecter = (page, email) => connecterAvec(page, base, email, motDePasse);

try {
  const maire = await navigateur.newPage({ bypassCSP: true });
  await connecter(maire, 'maire@kayes.ml');
  // from the action's form to its results
  await maire.goto(`${base}/espace/actions/${action}`);
  await maire.click('text=Résultats de l\'action');
  assert.equal(new URL(maire.url()).pathname, `/espace/actions/${action}/resultats`);
  await voir(maire, 'resultats-vide');

  // a result: the catalogue's indicators of the action's domaine come first
  const premiere = await maire.locator('#indicateur optgroup').first().getAttribute('label');
  assert.ok(premiere.includes('Gouvernance locale'), `premier groupe : ${premiere}`);
  await maire.selectOption('#indicateur', 'GOU-01');
  await maire.fill('#base', '0');
  await maire.fill('#base_date', '2023-01-01');
  await maire.fill('#cible', '40');
  await maire.click('text=Ajouter le résultat');
  await maire.getByText('Résultat ajouté.').waitFor();

  // a refused measure keeps what was typed and opens its form on the summary
  await maire.click('summary:has-text("Ajouter une valeur mesurée")');
  await maire.fill('#debut-0', '2024-01-01');
  await maire.fill('#fin-0', '2024-12-31');
  await maire.fill('#valeur-0', '30');
  await maire.fill('#femmes-0', '20');
  await maire.fill('#hommes-0', '18');
  await maire.click('text=Enregistrer la mesure');
  await maire.getByText('ensemble dépassent la valeur mesurée').first().waitFor();
  assert.equal(await maire.inputValue('#valeur'), '30', 'the value typed is kept');
  await voir(maire, 'resultats-refus');
  await maire.fill('#femmes', '12');
  await maire.click('text=Enregistrer la mesure');
  await maire.getByText('Mesure enregistrée.').waitFor();
  await voir(maire, 'resultats');

  // the administrator validates the action, changed by its authority
  const admin = await navigateur.newPage({ bypassCSP: true });
  await connecter(admin, 'admin@mdat.ml');
  await admin.goto(`${base}/espace/validation`);
  await admin.locator('section', { hasText: 'Action : Formation des élus' }).getByRole('button', { name: 'Valider et publier' }).click();
  await admin.getByText('Aucune déclaration n\'attend de validation.').waitFor();

  // the public page: the table and its progress bar
  const public_ = await navigateur.newPage({ bypassCSP: true });
  await public_.goto(`${base}/actions/${action}`);
  const jauge = public_.locator('table.resultats meter');
  assert.equal(await jauge.getAttribute('value'), '750');
  const ligne = await public_.locator('table.resultats tbody tr').first().innerText();
  for (const attendu of ['Élus et agents formés', '40 personnes', '30 personnes', '75 %']) {
    assert.ok(ligne.replace(/\u202f/g, ' ').includes(attendu), `« ${attendu} » absent de : ${ligne}`);
  }
  assert.ok((await jauge.boundingBox()).width > 40, 'the bar is drawn');
  await voir(public_, 'action');

  // the commune adds it up
  await public_.goto(`${base}/collectivites/${commune}#realisations`);
  const total = await public_.locator('#realisations + p + table').innerText();
  assert.ok(total.replace(/\u202f/g, ' ').includes('30 personnes (dont 12 femmes, 18 hommes)'), total);

  // the overview adds it to the country's total, and leads to the actions behind it
  await public_.goto(`${base}/apercu`);
  const prose = (await public_.locator('section.prose').innerText()).replace(/\u202f/g, ' ');
  assert.ok(prose.includes('30 élus et agents formés (dont 40 % de femmes)'), prose);
  await public_.click('summary:has-text("Ce que les actions ont réalisé")');
  const realise = (await public_.locator('#realisations tbody tr', { hasText: 'GOU-01' }).innerText())
    .replace(/\u202f/g, ' ');
  for (const attendu of ['30 personnes', '40 %', '75 %']) {
    assert.ok(realise.includes(attendu), `« ${attendu} » absent de : ${realise}`);
  }
  await voir(public_, 'apercu-realisations');
  await public_.click('#realisations a:has-text("Élus et agents formés")');
  assert.equal(new URL(public_.url()).search, '?indicateur=GOU-01');
  await public_.locator(`main a[href="/actions/${action}"]`).waitFor();
  await voir(public_, 'actions-indicateur');
  console.log('résultats navigateur : réussi');
} finally {
  await navigateur.close();
}
