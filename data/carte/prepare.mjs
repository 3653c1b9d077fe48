// Prépare la carte du Mali embarquée dans benkan à partir des limites COD-AB (DNCT / OCHA,
// 2015) et de leurs localités. Voir README.md : provenance, décisions, écarts.
//
//   npm ci --prefix data/carte && node data/carte/prepare.mjs [--shared ../shared] [--verifier]
//
// Déterministe : mêmes entrées, fichiers identiques à l'octet. Le travail géométrique
// (topologie, simplification, fusion) est fait par mapshaper, qui construit les arcs
// partagés entre communes voisines et les simplifie une seule fois : deux voisines
// gardent exactement la même frontière, et les cercles et régions, fusionnés à partir des
// communes simplifiées, ont les mêmes bords que leurs communes.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mapshaper from 'mapshaper';

const ICI = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const verifier = args.includes('--verifier');
const iShared = args.indexOf('--shared');
const SHARED = iShared >= 0 ? args[iShared + 1] : path.join(ICI, '..', '..', '..', 'shared');
const COD = path.join(SHARED, 'data', 'mali', 'cod-ab');

/** Tolérance de la simplification pour le dessin, en mètres : environ une unité de la
 * carte nationale (1 600 unités pour 16,5° de longitude). */
const INTERVALLE_DESSIN = 1000;
/** Grille des coordonnées dessinées, en degrés (0,001° ≈ 110 m). */
const PRECISION = 0.001;
/** Tolérance et grille des communes qui servent à situer un point (ville, village) : une
 * commune urbaine fait quelques kilomètres, la forme dessinée serait trop grossière. */
const INTERVALLE_PRECIS = 50;
const PRECISION_PRECISE = 0.0001;
/** Décimales des coordonnées de localités (1e-5° ≈ 1 m : la source n'en dit pas plus). */
const DECIMALES_LOCALITES = 5;

// Les régions de benkan (codes ISO 3166-2:ML) à partir des P-codes adm1 de 2015. Ménaka,
// région depuis 2016, n'a pas de polygone adm1 : elle est formée de son cercle (ML0704),
// retiré de Gao. Taoudénit (ML-10) n'a ni polygone ni unité dans benkan : son territoire
// reste dans Tombouctou, comme dans la source.
const REGIONS = {
  ML01: ['ML-1', 'Kayes'],
  ML02: ['ML-2', 'Koulikoro'],
  ML03: ['ML-3', 'Sikasso'],
  ML04: ['ML-4', 'Ségou'],
  ML05: ['ML-5', 'Mopti'],
  ML06: ['ML-6', 'Tombouctou'],
  ML07: ['ML-7', 'Gao'],
  ML08: ['ML-8', 'Kidal'],
  ML09: ['ML-BKO', 'Bamako'],
};
const CERCLES_EN_REGION = { ML0704: ['ML-9', 'Ménaka'] };

function regionDe(pcodeCercle) {
  const r = CERCLES_EN_REGION[pcodeCercle] ?? REGIONS[pcodeCercle.slice(0, 4)];
  if (!r) throw new Error(`cercle ${pcodeCercle} : région inconnue`);
  return r;
}

/** L'expression mapshaper qui donne le code benkan de la région d'une commune. */
function expressionRegion() {
  const cas = Object.entries(CERCLES_EN_REGION).map(([p, [code]]) => `admin2Pcod=='${p}'?'${code}':`).join('');
  const table = Object.entries(REGIONS).map(([p, [code]]) => `${p}:'${code}'`).join(',');
  return `${cas}({${table}})[admin1Pcod]`;
}

async function couche(commandes) {
  const sorties = await mapshaper.applyCommands(commandes);
  const [nom] = Object.keys(sorties);
  const json = JSON.parse(sorties[nom]);
  // Sans attribut, mapshaper écrit une GeometryCollection plutôt que des entités.
  return json.geometries ? { features: json.geometries.map((geometry) => ({ properties: {}, geometry })) } : json;
}

function shp(dossier) {
  const d = path.join(COD, dossier);
  const f = fs.readdirSync(d).find((n) => n.endsWith('.shp'));
  if (!f) throw new Error(`${d} : pas de fichier .shp`);
  return JSON.stringify(path.join(d, f));
}

const SORTIE_GEO = `-o format=geojson precision=${PRECISION} out.json`;

/** GeoJSON à une ligne par entité, triée, pour des diffs lisibles et un octet près. */
function ecrireGeojson(features, cle) {
  features.sort((a, b) => (a.properties[cle] < b.properties[cle] ? -1 : 1));
  const lignes = features.map((f) => JSON.stringify({ type: 'Feature', properties: f.properties, geometry: f.geometry }));
  return `{"type":"FeatureCollection","features":[\n${lignes.join(',\n')}\n]}\n`;
}

function attributs(dossier, champs) {
  return couche(`-i ${shp(dossier)} -filter-fields ${champs.join(',')} -o format=json out.json`);
}

async function preparer() {
  const adm2 = await attributs('mli_admbnda_adm2_gov_ocha_itos', ['admin2Pcod', 'admin2Name', 'admin1Pcod']);
  const adm1 = await attributs('mli_admbnda_adm1_gov_ocha_itos', ['admin1Pcod', 'admin1Name']);
  const nomCercle = new Map(adm2.map((c) => [c.admin2Pcod, c.admin2Name]));
  for (const r of adm1) if (!REGIONS[r.admin1Pcod]) throw new Error(`région ${r.admin1Pcod} absente de REGIONS`);

  // Les communes, nettoyées (sommets rapprochés à moins de la tolérance de snap fusionnés,
  // chevauchements et trous réparés), simplifiées, quantifiées.
  const source = `-i ${shp('mli_admbnda_adm3_gov_ocha')} snap -clean`;
  const precises = await couche(`${source} -simplify interval=${INTERVALLE_PRECIS} keep-shapes`
    + ` -filter-fields admin3Pcod -o format=geojson precision=${PRECISION_PRECISE} out.json`);
  const base = `${source} -simplify interval=${INTERVALLE_DESSIN} keep-shapes`
    + ` -each "region=${expressionRegion()}"`;
  const communes = await couche(`${base} -filter-fields admin3Pcod,admin3Name,admin2Pcod ${SORTIE_GEO}`);
  const cercles = await couche(`${base} -dissolve admin2Pcod ${SORTIE_GEO}`);
  const regions = await couche(`${base} -dissolve region ${SORTIE_GEO}`);
  const pays = await couche(`${base} -dissolve ${SORTIE_GEO}`);

  if (communes.features.length !== 701) throw new Error(`${communes.features.length} communes au lieu de 701`);
  const pcodesCercles = new Set(cercles.features.map((f) => f.properties.admin2Pcod));
  for (const p of nomCercle.keys()) if (!pcodesCercles.has(p)) throw new Error(`cercle ${p} sans commune`);
  if (pcodesCercles.size !== nomCercle.size) throw new Error('cercles des communes ≠ cercles adm2');

  const fichiers = {};
  fichiers['communes.geojson'] = ecrireGeojson(communes.features.map((f) => ({
    properties: { pcode: f.properties.admin3Pcod, nom: f.properties.admin3Name, pcode_parent: f.properties.admin2Pcod },
    geometry: f.geometry,
  })), 'pcode');
  fichiers['cercles.geojson'] = ecrireGeojson(cercles.features.map((f) => ({
    properties: { pcode: f.properties.admin2Pcod, nom: nomCercle.get(f.properties.admin2Pcod), region: regionDe(f.properties.admin2Pcod)[0] },
    geometry: f.geometry,
  })), 'pcode');
  const pcodeRegion = new Map(Object.entries(REGIONS).map(([p, [code]]) => [code, p]));
  const nomRegion = new Map([...Object.values(REGIONS), ...Object.values(CERCLES_EN_REGION)]);
  fichiers['regions.geojson'] = ecrireGeojson(regions.features.map((f) => ({
    properties: { code: f.properties.region, pcode: pcodeRegion.get(f.properties.region) ?? '', nom: nomRegion.get(f.properties.region) },
    geometry: f.geometry,
  })), 'code');
  fichiers['communes-precises.geojson'] = ecrireGeojson(precises.features.map((f) => ({
    properties: { pcode: f.properties.admin3Pcod },
    geometry: f.geometry,
  })), 'pcode');
  fichiers['mali.geojson'] = ecrireGeojson(pays.features.map((f) => ({ properties: { code: 'ML', nom: 'Mali' }, geometry: f.geometry })), 'code');
  fichiers['localites.csv'] = localites(new Set(communes.features.map((f) => f.properties.admin3Pcod)));
  return fichiers;
}

/** Une valeur CSV, entre guillemets seulement si elle en a besoin (RFC 4180). */
function champ(v) {
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** Lecture RFC 4180 d'une ligne sans saut de ligne à l'intérieur d'un champ (vérifié). */
function lireLigne(ligne, numero) {
  const champs = [];
  let i = 0;
  while (i <= ligne.length) {
    if (ligne[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= ligne.length) throw new Error(`localites.csv, ligne ${numero} : guillemet non fermé`);
        if (ligne[i] === '"' && ligne[i + 1] === '"') { v += '"'; i += 2; } else if (ligne[i] === '"') { i++; break; } else { v += ligne[i++]; }
      }
      champs.push(v);
      i++;
    } else {
      const fin = ligne.indexOf(',', i);
      const f = fin < 0 ? ligne.length : fin;
      champs.push(ligne.slice(i, f));
      i = f + 1;
    }
  }
  return champs;
}

function localites(communes) {
  const texte = fs.readFileSync(path.join(COD, 'localites.csv'), 'utf8');
  const lignes = texte.split(/\r?\n/).filter((l) => l !== '');
  const entete = lireLigne(lignes[0], 1);
  const col = (n) => { const i = entete.indexOf(n); if (i < 0) throw new Error(`localites.csv : colonne ${n} absente`); return i; };
  const [iNom, iPcode, iCommune, iLon, iLat] = ['featureNam', 'pcode', 'admin3Pcod', 'longitude', 'latitude'].map(col);
  const sortie = [];
  const vus = new Set();
  for (let n = 1; n < lignes.length; n++) {
    const c = lireLigne(lignes[n], n + 1);
    if (c.length !== entete.length) throw new Error(`localites.csv, ligne ${n + 1} : ${c.length} champs au lieu de ${entete.length}`);
    const nom = c[iNom].trim().replace(/\s+/g, ' ');
    const pcode = c[iPcode];
    if (!nom || nom === 'NA') throw new Error(`localites.csv, ligne ${n + 1} : nom vide`);
    if (vus.has(pcode)) throw new Error(`localites.csv, ligne ${n + 1} : P-code ${pcode} en double`);
    vus.add(pcode);
    if (!communes.has(c[iCommune])) throw new Error(`localites.csv, ligne ${n + 1} : commune ${c[iCommune]} inconnue`);
    const lon = Number(c[iLon]);
    const lat = Number(c[iLat]);
    if (!(lon > -13 && lon < 5 && lat > 10 && lat < 25.5)) throw new Error(`localites.csv, ligne ${n + 1} : coordonnées hors du Mali`);
    sortie.push([pcode, nom, c[iCommune], lon.toFixed(DECIMALES_LOCALITES), lat.toFixed(DECIMALES_LOCALITES)]);
  }
  sortie.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return ['pcode,nom,pcode_commune,longitude,latitude', ...sortie.map((l) => l.map(champ).join(','))].join('\n') + '\n';
}

const fichiers = await preparer();
let differents = 0;
for (const [nom, contenu] of Object.entries(fichiers)) {
  const cible = path.join(ICI, nom);
  if (verifier) {
    const actuel = fs.existsSync(cible) ? fs.readFileSync(cible, 'utf8') : null;
    if (actuel !== contenu) { console.error(`${nom} : différent de ce que donnent les entrées`); differents++; }
  } else {
    fs.writeFileSync(cible, contenu);
    console.log(`${nom} : ${contenu.length} octets`);
  }
}
process.exit(differents ? 1 : 0);
