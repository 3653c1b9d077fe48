// The contributors' journey in a real browser (Debian's Chromium driven by playwright-core):
// an authority signs in, declares a partenariat (with its étape and date, by the keyboard)
// with an action and a financement, an administrator validates both, and the public page
// shows them.
//
// Usage: node parcours.mjs BASE_URL PASSWORD   (the accounts are created by tests/navigateur.rs)
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { connecter as connecterAvec, focusSur, violations, voir as voirAvec } from './commun.mjs';

const [base, motDePasse] = process.argv.slice(2);
const navigateur = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const titre = 'Kayes – Angers (parcours navigateur)';

// The contrast ratio of two CSS colours « rgb(r, g, b) » (WCAG 2).
function contraste(a, b) {
  const luminance = (c) => {
    const [r, g, v] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((x) => {
      const s = x / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * v;
  };
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

// Each checkbox keeps a box's size and sits on the line of its label, just before it.
async function cases_a_cote(page, largeur) {
  await page.setViewportSize({ width: largeur, height: 900 });
  for (const boite of await page.locator('input[type=checkbox], input[type=radio]').all()) {
    const id = await boite.getAttribute('id');
    const c = await boite.boundingBox();
    const l = await page.locator(`label[for="${id}"]`).boundingBox();
    assert.ok(c.width < 30, `${id} (${largeur} px) : case de ${c.width} px de large`);
    assert.ok(l.x - (c.x + c.width) < 20 && l.x > c.x, `${id} (${largeur} px) : étiquette loin de sa case`);
    assert.ok(Math.abs((c.y + c.height / 2) - (l.y + Math.min(l.height, 30) / 2)) < 14,
      `${id} (${largeur} px) : case pas sur la ligne de son étiquette`);
  }
  const capture = (process.env.CAPTURE ?? '/tmp/benkan-parcours.png').replace(/\.png$/, `-formulaire-${largeur}.png`);
  await page.screenshot({ path: capture, fullPage: true });
}

// A screenshot at both widths for a human to look at, and no axe-core violation.
const voir = (page, nom) => voirAvec(page, nom, (largeur) =>
  (process.env.CAPTURE ?? '/tmp/benkan-parcours.png').replace(/\.png$/, `-${nom}-${largeur}.png`));
const connecter = (page, email) => connecterAvec(page, base, email, motDePasse);

try {
  const maire = await navigateur.newPage({ bypassCSP: true });
  await connecter(maire, 'maire@kayes.ml');

  // Declare the partenariat by the keyboard: its étape and date, then Enter in the search
  // box searches and puts the focus on the results; a result chosen, Enter declares.
  await maire.click('text=Déclarer un partenariat');
  await voir(maire, 'declaration');
  await maire.fill('#titre', titre);
  await maire.selectOption('#etape', 'jumelage_cooperation');
  await maire.fill('#depuis', '1988-06-12');
  await maire.focus('#partenaire');
  await maire.keyboard.type('Angers');
  await Promise.all([maire.waitForNavigation(), maire.keyboard.press('Enter')]);
  assert.equal(await maire.evaluate(() => document.activeElement.id), 'resultats', 'focus on the results after a search');
  assert.equal(await maire.inputValue('#etape'), 'jumelage_cooperation', 'the étape is kept');
  await voir(maire, 'declaration-resultats');
  await maire.keyboard.press('Tab');
  assert.equal(await maire.evaluate(() => document.activeElement.name), 'partenaire_id');
  await maire.keyboard.press('Space');
  const choisi = await maire.evaluate(() => document.activeElement.value);
  await Promise.all([maire.waitForNavigation(), maire.keyboard.press('Enter')]);
  assert.equal(new URL(maire.url()).pathname, '/espace', 'Enter after choosing declares');
  const ligne = maire.locator('tr', { hasText: titre });
  await ligne.getByText('Soumis à validation').waitFor();
  // It says so, once.
  await maire.getByRole('status').filter({ hasText: `Le partenariat « ${titre} » est enregistré` }).waitFor();
  assert.ok(choisi, 'a partner was chosen');
  // On a phone the rows are cards: no horizontal scrolling, the row's actions on screen.
  await voir(maire, 'espace');
  await maire.setViewportSize({ width: 390, height: 900 });
  for (const nom of ['Historique', 'Ajouter une action', `Confirmer « ${titre} »`]) {
    const cible = ligne.getByRole(nom.startsWith('Confirmer') ? 'button' : 'link', { name: nom });
    await cible.scrollIntoViewIfNeeded();
    const boite = await cible.boundingBox();
    assert.ok(boite && boite.x >= 0 && boite.x + boite.width <= 390, `${nom} hors de l'écran à 390 px`);
  }
  await maire.setViewportSize({ width: 1366, height: 900 });

  // Add an action with its financement.
  await ligne.getByRole('link', { name: 'Ajouter une action' }).click();
  await cases_a_cote(maire, 390);
  await cases_a_cote(maire, 1366);
  // The focus ring is seen (at least 3:1 against the page), the description not in a
  // typewriter font.
  await maire.focus('#titre');
  await maire.keyboard.press('Shift+Tab');
  await maire.keyboard.press('Tab');
  const [anneau, fond] = await maire.evaluate(() => [
    getComputedStyle(document.activeElement).outlineColor,
    getComputedStyle(document.body).backgroundColor,
  ]);
  assert.ok(contraste(anneau, fond) >= 3, `anneau de focus ${anneau} sur ${fond} : ${contraste(anneau, fond).toFixed(1)}:1`);
  const police = await maire.evaluate(() => getComputedStyle(document.querySelector('textarea')).fontFamily);
  assert.ok(!/mono/i.test(police), `zone de texte en ${police}`);
  // Sent half-filled: the summary at the top takes the focus, lists each message with a link
  // to its field, and the page has no accessibility violation at either width.
  await maire.fill('#titre', 'Forage du quartier Plateau');
  await maire.check('input[name=lieu] >> nth=0');
  await maire.fill('#montant', '25,000');
  await maire.click('text=Déclarer l\'action');
  // the click does not wait for the answer: the refused form must be there first
  await maire.getByRole('heading', { name: 'Le formulaire contient 5 erreurs' }).waitFor();
  assert.equal(await focusSur(maire, 'resume-erreurs'), 'resume-erreurs',
    'focus on the summary of the refused form');
  const liens = await maire.locator('#resume-erreurs a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(liens, ['#axe', '#domaine', '#nature', '#montant', '#source']);
  assert.equal(await maire.getAttribute('#domaine', 'aria-describedby'), 'err-domaine');
  assert.equal(await maire.textContent('#err-domaine'), 'Choisissez un domaine.');
  for (const largeur of [390, 1366]) {
    await maire.setViewportSize({ width: largeur, height: 900 });
    const trouvees = await violations(maire);
    assert.deepEqual(trouvees, [], `axe-core, formulaire refusé à ${largeur} px : ${trouvees}`);
    await maire.screenshot({ path: (process.env.CAPTURE ?? '/tmp/benkan-parcours.png').replace(/\.png$/, `-erreurs-${largeur}.png`), fullPage: true });
  }
  await maire.click('#resume-erreurs a[href="#domaine"]');
  assert.equal(await maire.evaluate(() => location.hash), '#domaine');
  await maire.fill('#montant', '25 000 000');
  await maire.selectOption('#axe', 'services_sociaux_de_base');
  await maire.selectOption('#domaine', 'eau_assainissement');
  await maire.selectOption('#nature', 'physique');
  await maire.fill('#source', "Commune d'Angers");
  await maire.click('text=Déclarer l\'action');
  assert.equal(new URL(maire.url()).pathname, '/espace');
  await maire.getByRole('status').filter({ hasText: 'L\'action « Forage du quartier Plateau » est enregistrée' }).waitFor();
  await maire.locator('tr', { hasText: 'Forage du quartier Plateau' }).getByText('Soumis à validation').waitFor();
  await maire.reload();
  assert.equal(await maire.getByRole('status').count(), 0, 'the message is said once');

  // Nothing public yet.
  const public_ = await navigateur.newPage({ bypassCSP: true });
  await public_.goto(`${base}/partenariats`);
  assert.equal(await public_.getByText(titre).count(), 0, 'public before validation');

  // The administrator validates the partenariat, then the action.
  const admin = await navigateur.newPage({ bypassCSP: true });
  await connecter(admin, 'admin@mdat.ml');
  await admin.goto(`${base}/espace/validation`);
  // The administrator sees the whole record: who submitted it, when, the money and its source.
  const fiche = await admin.locator('section', { hasText: 'Action : Forage du quartier Plateau' }).textContent();
  for (const attendu of ['Nouvelle déclaration, soumise par maire@kayes.ml le', 'Eau et assainissement',
    '25\u202F000\u202F000', "source : Commune d'Angers"]) {
    assert.ok(fiche.includes(attendu), `la file de validation ne montre pas « ${attendu} » : ${fiche}`);
  }
  const [valider, renvoyer] = await Promise.all(['valider', 'renvoyer'].map((v) => admin.locator(`button[value=${v}]`).first()
    .evaluate((b) => getComputedStyle(b).backgroundColor)));
  assert.notEqual(valider, renvoyer, 'valider et renvoyer se ressemblent');
  await voir(admin, 'validation');
  // Partenariats come first in the queue, then actions (whose heading names their partenariat).
  await admin.locator('section', { hasText: titre }).first().getByRole('button', { name: 'Valider et publier' }).click();
  await admin.locator('section', { hasText: 'Action : Forage du quartier Plateau' }).getByRole('button', { name: 'Valider et publier' }).click();
  await admin.getByText('Aucune déclaration n\'attend de validation.').waitFor();

  // The public sees them, money included.
  await public_.goto(`${base}/partenariats`);
  await public_.getByRole('link', { name: titre }).click();
  await public_.getByRole('heading', { name: titre }).waitFor();
  await public_.getByRole('link', { name: 'Forage du quartier Plateau' }).waitFor();
  const texte = await public_.textContent('main');
  assert.ok(texte.includes('25\u202F000\u202F000\u00A0FCFA'), 'the money is shown');
  await public_.screenshot({ path: process.env.CAPTURE ?? '/tmp/benkan-parcours.png', fullPage: true });

  // The history reads as sentences: who, when, what changed — no field names nor ids.
  await maire.goto(`${base}/espace`);
  await maire.locator('tr', { hasText: titre }).first().getByRole('link', { name: 'Historique' }).click();
  const historique = await maire.textContent('ol.historique');
  for (const phrase of ['Déclaration par maire@kayes.ml', 'Partie ajoutée : Angers (commune, France)',
    'Étape ajoutée : jumelage-coopération depuis le 12 juin 1988',
    'Validation et publication par admin@mdat.ml']) {
    assert.ok(historique.includes(phrase), `historique sans « ${phrase} » : ${historique}`);
  }
  for (const brut of ['parties :', 'archive', 'etapes :', 'null']) {
    assert.ok(!historique.includes(brut), `historique brut (« ${brut} ») : ${historique}`);
  }
  await maire.screenshot({ path: (process.env.CAPTURE ?? '/tmp/benkan-parcours.png').replace(/\.png$/, '-historique.png'), fullPage: true });

  // A change to the published record: the administrator sees both versions side by side.
  await maire.fill('#titre', `${titre}, jumelage`);
  await maire.click('form[action$="/champs"] button[type=submit]');
  await admin.goto(`${base}/espace/validation`);
  const changement = admin.locator('section', { hasText: `${titre}, jumelage` });
  await changement.getByText('Modification d\'une fiche publiée').waitFor();
  const ligneTitre = await changement.locator('table.comparaison tr', { hasText: 'Titre' }).textContent();
  assert.ok(ligneTitre.includes(`« ${titre} »`) && ligneTitre.includes(`« ${titre}, jumelage »`),
    `avant/après du titre : ${ligneTitre}`);
  await voir(admin, 'validation-modification');
  console.log('parcours navigateur : réussi');
} finally {
  await navigateur.close();
}
