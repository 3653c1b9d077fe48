// The bourse aux partenariats in a real browser, one match from demande to partenariat: the
// commune of Kayes asks for a partner, the commune of Lyon offers one (it knows the région of
// Kayes), an administrator validates both, the public pages list them and give the reasons of
// the match, each side says its interest from the other's page, and Kayes declares the
// partenariat. Every page axe-core clean and without sideways scrolling at 390 and 1366 px.
//
// Usage: node bourse.mjs BASE_URL PASSWORD   (the accounts are created by tests/navigateur.rs)
import assert from 'node:assert/strict';
import { connecter as connecterAvec, dossierCaptures, lancer, voir as voirAvec } from './commun.mjs';

const [base, motDePasse] = process.argv.slice(2);
const captures = dossierCaptures('/tmp/benkan-bourse');
const navigateur = await lancer();

const voir = (page, nom) => voirAvec(page, nom, (largeur) => `${captures}/${nom}-${largeur}.png`);
const connecter = (page, email) => connecterAvec(page, base, email, motDePasse);
const chemin = (page) => new URL(page.url()).pathname;
// A date `jours` days from today, as the date field takes it (AAAA-MM-JJ).
const dans = (jours) => new Date(Date.now() + jours * 86_400_000).toISOString().slice(0, 10);

const demande = 'Eau potable pour trois villages (navigateur)';
const offre = "Appui à la gestion de l'eau (navigateur)";

// Publishes an annonce from /espace/bourse: follows `lien`, fills the form, and checks that the
// space says it is submitted for validation; returns the path of its public page.
async function publier(page, lien, { titre, description, domaines, regions = [], capacites = [] }, nom) {
  await page.goto(`${base}/espace/bourse`);
  await page.getByRole('link', { name: lien }).click();
  await page.locator('#titre').waitFor();
  if (nom) await voir(page, nom);
  await page.fill('#titre', titre);
  await page.fill('#description', description);
  for (const d of domaines) await page.check(`#domaine-${d}`);
  for (const c of capacites) await page.check(`#capacite-${c}`);
  for (const r of regions) {
    await page.locator('#regions').getByLabel(r, { exact: true }).check();
  }
  assert.ok(await page.isChecked('#langue-fr'), 'le français est coché d\'avance');
  await page.fill('#ouverte_jusqu_au', dans(180));
  await page.getByRole('button', { name: /^Publier (la demande|l'offre)$/ }).click();
  await page.waitForURL((url) => url.pathname === '/espace/bourse');
  await page.getByRole('status')
    .filter({ hasText: `« ${titre} » est enregistrée et soumise à validation` }).waitFor();
  const ligne = page.locator('tr', { hasText: titre });
  await ligne.getByText('Soumis à validation').waitFor();
  return ligne.getByRole('link', { name: titre }).getAttribute('href');
}

try {
  // 1. Kayes asks for a partner.
  const kayes = await navigateur.newPage({ bypassCSP: true });
  await connecter(kayes, 'maire@kayes.ml');
  const pageDemande = await publier(kayes, 'Demander un partenaire — Commune de Kayes', {
    titre: demande,
    description: 'Deux forages et un comité de gestion formé pour trois villages.',
    domaines: ['eau_assainissement', 'sante'],
  }, 'demande-formulaire');
  assert.match(pageDemande, /^\/bourse\/demandes\/\d+$/);
  await voir(kayes, 'espace-kayes');

  // 2. Lyon offers one, and knows the région of Kayes.
  const lyon = await navigateur.newPage({ bypassCSP: true });
  await connecter(lyon, 'mairie@lyon.fr');
  const pageOffre = await publier(lyon, 'Proposer un partenariat — Lyon (commune)', {
    titre: offre,
    description: 'Nos techniciens de l\'eau forment des comités de gestion.',
    domaines: ['eau_assainissement'],
    capacites: ['appui_technique'],
    regions: ['Kayes'],
  }, 'offre-formulaire');
  assert.match(pageOffre, /^\/bourse\/offres\/\d+$/);

  // Nothing public yet.
  const public_ = await navigateur.newPage({ bypassCSP: true });
  await public_.goto(`${base}/bourse`);
  assert.equal(await public_.getByText(demande).count(), 0, 'demande publique avant validation');
  assert.equal((await public_.goto(`${base}${pageDemande}`)).status(), 404);

  // 3. The administrator validates both from the space's review.
  const admin = await navigateur.newPage({ bypassCSP: true });
  await connecter(admin, 'admin@mdat.ml');
  await admin.goto(`${base}/espace/bourse`);
  await admin.getByRole('heading', { name: 'À valider (2)' }).waitFor();
  await voir(admin, 'espace-revue');
  for (const titre of [demande, offre]) {
    await admin.getByRole('button', { name: `Valider « ${titre} »` }).click();
    await admin.waitForURL((url) => url.pathname === '/espace/bourse');
    await admin.getByRole('button', { name: `Valider « ${titre} »` }).waitFor({ state: 'detached' });
  }
  await admin.getByText('Aucune annonce n\'attend de validation.').waitFor();

  // 4. The public list has both; the demande's page proposes the offre with its reasons.
  await public_.goto(`${base}/bourse`);
  await public_.getByRole('link', { name: demande }).waitFor();
  await public_.getByRole('link', { name: offre }).waitFor();
  await voir(public_, 'bourse');
  await public_.getByRole('link', { name: demande }).click();
  await public_.waitForURL((url) => url.pathname === pageDemande);
  const proposition = public_.locator('ol.propositions > li', { hasText: offre });
  const raisons = await proposition.locator('ul.raisons').textContent();
  for (const raison of ['même domaine : eau et assainissement', 'connaît déjà la région de Kayes']) {
    assert.ok(raisons.includes(raison), `raisons sans « ${raison} » : ${raisons}`);
  }
  assert.equal(await public_.getByRole('button', { name: /Exprimer l'intérêt/ }).count(), 0,
    'un visiteur anonyme ne fait que lire');
  await voir(public_, 'demande');
  await public_.goto(`${base}${pageOffre}`);
  await public_.locator('ol.propositions > li', { hasText: demande }).waitFor();
  await voir(public_, 'offre');
  await public_.goto(`${base}/bourse/comment-nous-rapprochons`);
  await voir(public_, 'comment-nous-rapprochons');

  // 5. Lyon says its interest from the demande's page...
  await lyon.goto(`${base}/bourse`);
  await lyon.getByRole('link', { name: demande }).click();
  await lyon.waitForURL((url) => url.pathname === pageDemande);
  await voir(lyon, 'demande-lyon');
  await lyon.getByRole('button', { name: `Exprimer l'intérêt de « ${offre} »` }).click();
  await lyon.getByText('Vous avez exprimé votre intérêt ; l\'autre côté n\'a pas encore répondu.').waitFor();
  assert.equal(chemin(lyon), pageDemande);
  assert.equal(await lyon.getByRole('button', { name: 'Déclarer le partenariat' }).count(), 0,
    'pas de déclaration avant l\'intérêt des deux côtés');

  // ... Kayes from the offre's page, then declares the partenariat.
  await kayes.goto(`${base}/bourse`);
  await kayes.getByRole('link', { name: offre }).click();
  await kayes.waitForURL((url) => url.pathname === pageOffre);
  await voir(kayes, 'offre-kayes');
  await kayes.getByRole('button', { name: `Exprimer l'intérêt de « ${demande} »` }).click();
  await kayes.getByText('Vous avez exprimé votre intérêt ; l\'autre côté aussi.').waitFor();
  await voir(kayes, 'offre-reciproque');
  // Both sides see the other's interest in their space; the public pages show no address.
  await lyon.goto(`${base}/espace/bourse`);
  await lyon.getByRole('region', { name: 'Intérêts exprimés' }).getByRole('link', { name: 'maire@kayes.ml' }).waitFor();
  await kayes.goto(`${base}/espace/bourse`);
  await kayes.getByRole('region', { name: 'Intérêts exprimés' }).getByRole('link', { name: 'mairie@lyon.fr' }).waitFor();
  for (const page of [pageDemande, pageOffre]) {
    await public_.goto(`${base}${page}`);
    const texte = await public_.textContent('main');
    assert.ok(!texte.includes('@'), `adresse publique sur ${page}`);
  }
  await kayes.goto(`${base}${pageOffre}`);
  await kayes.getByRole('button', { name: 'Déclarer le partenariat' }).click();
  await kayes.waitForURL((url) => /^\/espace\/partenariats\/\d+\/historique$/.test(url.pathname));
  await kayes.getByRole('status').waitFor();
  const titre = await kayes.getByRole('heading', { level: 1 }).textContent();
  assert.ok(titre.includes('Kayes') && titre.includes('Lyon'), `titre du partenariat : ${titre}`);
  const parties = await kayes.locator('section', { has: kayes.getByRole('heading', { name: 'Parties' }) })
    .locator('ul > li').allTextContents();
  assert.equal(parties.length, 2, `parties : ${parties}`);
  assert.ok(parties.some((p) => p.startsWith('Kayes') && p.includes('Mali')), `parties : ${parties}`);
  assert.ok(parties.some((p) => p.startsWith('Lyon') && p.includes('France')), `parties : ${parties}`);
  const historique = await kayes.textContent('ol.historique');
  for (const phrase of ['Déclaration par maire@kayes.ml', 'Partie ajoutée : Kayes (commune, Mali)',
    'Partie ajoutée : Lyon (commune, France)', 'Étape ajoutée : amitié', 'Validation : Soumis à validation']) {
    assert.ok(historique.includes(phrase), `historique sans « ${phrase} » : ${historique}`);
  }
  await voir(kayes, 'historique');

  // Both annonces are fulfilled: out of the list, and the administrator sees both interests
  // and the partenariat born of them.
  await public_.goto(`${base}/bourse`);
  assert.equal(await public_.getByRole('link', { name: demande }).count(), 0, 'demande pourvue encore listée');
  assert.equal(await public_.getByRole('link', { name: offre }).count(), 0, 'offre pourvue encore listée');
  await admin.goto(`${base}/espace/bourse`);
  const interets = admin.getByRole('region', { name: 'Intérêts exprimés' });
  for (const email of ['maire@kayes.ml', 'mairie@lyon.fr']) {
    await interets.getByRole('link', { name: email }).waitFor();
  }
  await interets.getByRole('link', { name: 'partenariat déclaré' }).first().waitFor();
  await voir(admin, 'espace-interets');
  console.log('bourse navigateur : réussi');
} finally {
  await navigateur.close();
}
