// Every contributor's form refused in a real browser: the focus lands on the error summary,
// axe-core finds nothing and the page does not scroll sideways, at 390 and 1366 px. The
// administrator's « Renvoyer » without a comment is refused the same way.
//
// Usage: node formulaires.mjs BASE_URL PASSWORD   (accounts created by tests/navigateur.rs)
import assert from 'node:assert/strict';
import { dossierCaptures, focusSur, lancer, violations } from './commun.mjs';

const [base, motDePasse] = process.argv.slice(2);
const captures = dossierCaptures('/tmp/benkan-formulaires');
const navigateur = await lancer();

// The summary has the focus, names its errors, and the page passes at both widths.
async function refuse(page, nom) {
  assert.equal(await focusSur(page, 'resume-erreurs'), 'resume-erreurs', `${nom} : focus hors du résumé`);
  const liens = await page.locator('#resume-erreurs a').count();
  assert.ok(liens > 0, `${nom} : résumé sans lien vers les champs`);
  for (const largeur of [390, 1366]) {
    await page.setViewportSize({ width: largeur, height: 900 });
    await page.screenshot({ path: `${captures}/${nom}-${largeur}.png`, fullPage: true });
    assert.deepEqual(await violations(page), [], `${nom} à ${largeur} px : axe-core`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${nom} à ${largeur} px défile de côté`);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

// Sends a form as a person would, the browser's own checks set aside so the server answers.
async function envoyer(page, bouton) {
  await page.evaluate(() => document.querySelectorAll('form').forEach((f) => { f.noValidate = true; }));
  await Promise.all([page.waitForNavigation(), page.click(bouton)]);
}

async function connecter(page, email, mot) {
  await page.goto(`${base}/connexion`);
  await page.fill('#email', email);
  await page.fill('#mot_de_passe', mot);
  await envoyer(page, 'button[type=submit]');
}

try {
  const maire = await navigateur.newPage({ bypassCSP: true });
  await connecter(maire, 'maire@kayes.ml', 'pas le bon');
  await refuse(maire, 'connexion');
  await connecter(maire, 'maire@kayes.ml', motDePasse);

  const nouvelle = await maire.locator('a', { hasText: 'Ajouter une action' }).first().getAttribute('href');
  await maire.goto(base + nouvelle);
  await maire.fill('#titre', 'Forage');
  await maire.fill('#montant', '12.500');
  await maire.selectOption('#devise', 'EUR');
  await envoyer(maire, 'button[type=submit]');
  await refuse(maire, 'action');

  await maire.goto(`${base}/espace/partenariats/nouveau`);
  await envoyer(maire, 'button[value=declarer]');
  await refuse(maire, 'partenariat');

  const suivi = base + nouvelle.replace(/actions\/nouvelle$/, 'historique');
  await maire.goto(suivi);
  await maire.fill('#nom_contact', 'Awa');
  await maire.fill('#email', 'awa.kayes');
  await envoyer(maire, 'form[action$="/contacts"] button[type=submit]');
  await refuse(maire, 'contact');
  await maire.goto(suivi);
  await maire.fill('#intitule', '');
  await envoyer(maire, 'form[action$="/conventions"] button[type=submit]');
  await refuse(maire, 'convention');

  await maire.goto(`${base}/espace/mot-de-passe`);
  await maire.fill('#actuel', motDePasse);
  await maire.fill('#nouveau', 'court');
  await maire.fill('#confirmation', 'autre');
  await envoyer(maire, 'button[type=submit]');
  await refuse(maire, 'mot-de-passe');
  await maire.goto(`${base}/espace/jetons`);
  await envoyer(maire, 'form[action="/espace/jetons"] button[type=submit]');
  await refuse(maire, 'jetons');

  // The authority declares a partenariat the administrator will send back.
  const admin = await navigateur.newPage({ bypassCSP: true });
  await connecter(admin, 'admin@mdat.ml', motDePasse);
  await admin.goto(`${base}/espace/comptes`);
  await admin.fill('#email', 'agent');
  await admin.fill('#mot_de_passe', 'court');
  await admin.selectOption('#role', 'collectivite');
  await envoyer(admin, 'form[action="/espace/comptes"] button[type=submit]');
  await refuse(admin, 'comptes');

  await maire.goto(`${base}/espace/partenariats/nouveau`);
  await maire.fill('#titre', 'Kayes – Angers (formulaires)');
  await maire.fill('#partenaire', 'Angers');
  await envoyer(maire, 'button[value=chercher]');
  await maire.check('input[name=partenaire_id] >> nth=0');
  await envoyer(maire, 'button[value=declarer]');
  await admin.goto(`${base}/espace/validation`);
  await envoyer(admin, 'section:has-text("Kayes – Angers (formulaires)") button[value=renvoyer]');
  await refuse(admin, 'validation-sans-commentaire');
  const boite = admin.locator('section:has-text("Kayes – Angers (formulaires)") textarea');
  assert.equal(await boite.getAttribute('aria-invalid'), 'true', 'la boîte de commentaire est signalée');
  console.log('formulaires navigateur : réussi');
} finally {
  await navigateur.close();
}
