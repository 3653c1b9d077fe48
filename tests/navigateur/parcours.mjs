// The contributors' journey in a real browser (Debian's Chromium driven by playwright-core):
// an authority signs in, declares a partenariat with an action and a financement, an
// administrator validates both, and the public page shows them.
//
// Usage: node parcours.mjs BASE_URL PASSWORD   (the accounts are created by tests/navigateur.rs)
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const [base, motDePasse] = process.argv.slice(2);
const navigateur = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const titre = 'Kayes – Angers (parcours navigateur)';

async function connecter(page, email) {
  await page.goto(`${base}/connexion`);
  await page.fill('#email', email);
  await page.fill('#mot_de_passe', motDePasse);
  await page.click('button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/espace', `${email} is not signed in`);
}

try {
  const maire = await navigateur.newPage();
  await connecter(maire, 'maire@kayes.ml');

  // Declare the partenariat: search the partner, pick it, submit.
  await maire.click('text=Déclarer un partenariat');
  await maire.fill('#titre', titre);
  await maire.fill('#partenaire', 'Angers');
  await maire.click('button[value=chercher]');
  await maire.check('input[name=partenaire_id] >> nth=0');
  await maire.click('button[value=declarer]');
  assert.equal(new URL(maire.url()).pathname, '/espace');
  const ligne = maire.locator('tr', { hasText: titre });
  await ligne.getByText('Soumis à validation').waitFor();

  // Add an action with its financement.
  await ligne.getByRole('link', { name: 'Ajouter une action' }).click();
  await maire.fill('#titre', 'Forage du quartier Plateau');
  await maire.selectOption('#axe', 'services_sociaux_de_base');
  await maire.selectOption('#domaine', 'eau_assainissement');
  await maire.selectOption('#nature', 'physique');
  await maire.check('input[name=lieu] >> nth=0');
  await maire.fill('#montant', '25 000 000');
  await maire.fill('#source', "Commune d'Angers");
  await maire.click('text=Déclarer l\'action');
  assert.equal(new URL(maire.url()).pathname, '/espace');

  // Nothing public yet.
  const public_ = await navigateur.newPage();
  await public_.goto(`${base}/partenariats`);
  assert.equal(await public_.getByText(titre).count(), 0, 'public before validation');

  // The administrator validates the partenariat, then the action.
  const admin = await navigateur.newPage();
  await connecter(admin, 'admin@mdat.ml');
  await admin.goto(`${base}/espace/validation`);
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
  assert.ok(texte.includes('25\u202F000\u202F000\u00A0XOF'), 'the money is shown');
  await public_.screenshot({ path: process.env.CAPTURE ?? '/tmp/benkan-parcours.png', fullPage: true });
  console.log('parcours navigateur : réussi');
} finally {
  await navigateur.close();
}
