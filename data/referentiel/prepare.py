#!/usr/bin/env python3
"""Regenerates benkan's embedded reference data (data/referentiel/) from the shared inputs.

    python3 data/referentiel/prepare.py [--shared DIR] [--sortie DIR] [--verifier]

--shared   the read-only input folder (default: ../shared next to the project root,
           i.e. the folder that holds data/mali/ and data/france/)
--sortie   where to write (default: the folder of this script)
--verifier write nothing; exit 1 if any delivered file differs from what the inputs give

Standard library only. The output is deterministic: the same inputs give byte-identical
files (fixed orders, no dates, no locale-dependent sorting, LF line ends).

Every cleaning decision on the Malian names is in the tables below, each with its reason;
they are written to mali-corrections.csv so that a reviewer sees each change.
"""

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

ICI = Path(__file__).resolve().parent
RACINE_PROJET = ICI.parent.parent
SHARED_PAR_DEFAUT = RACINE_PROJET.parent / "shared"

SOURCE_MALI = "data/mali/collectivites-brut.csv"
DOSSIER_FRANCE = "data/france"

# Upstream of the Malian raw file, used to restore the four names that the extraction
# truncated (see RESTAURATIONS).
AMONT_MALI = "andaletech/geo-api-mali, commit b90d4690382396241b697f6903a22ed54c79b37b"


# ---------------------------------------------------------------------------------------
# Names and codes
# ---------------------------------------------------------------------------------------

def sans_accents(texte):
    """NFKD decomposition without the combining marks (« Ségou » → « Segou »)."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c))


def cle(texte):
    """Comparison key, as benkan's `model::nom::normaliser`: lower case, no accents, every run
    of non-alphanumeric characters turned into one space."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", sans_accents(texte).lower()).split())


def slug(nom):
    """The code segment of a Malian unit: upper case, no accents, every run of characters
    other than A-Z and 0-9 replaced by one « - », no « - » at either end."""
    s = re.sub(r"[^A-Z0-9]+", "-", sans_accents(nom).upper()).strip("-")
    if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", s):
        raise ValueError(f"nom sans lettre ni chiffre, pas de code possible : {nom!r}")
    return s


def ordre_des_noms(nom):
    """Sort key for siblings: accent- and case-insensitive, then the exact name."""
    return (cle(nom), nom)


# ---------------------------------------------------------------------------------------
# Mali: the cleaning tables
# ---------------------------------------------------------------------------------------

# Régions in output order: key of the raw name → (ISO 3166-2:ML code, niveau, name).
# A région absent from the raw file is not written (Taoudénit is not in it).
REGIONS = [
    ("kayes", "ML-1", "region", "Kayes"),
    ("koulikoro", "ML-2", "region", "Koulikoro"),
    ("sikasso", "ML-3", "region", "Sikasso"),
    ("segou", "ML-4", "region", "Ségou"),
    ("mopti", "ML-5", "region", "Mopti"),
    ("tombouctou", "ML-6", "region", "Tombouctou"),
    ("gao", "ML-7", "region", "Gao"),
    ("kidal", "ML-8", "region", "Kidal"),
    ("menaka", "ML-9", "region", "Ménaka"),
    ("taoudenit", "ML-10", "region", "Taoudénit"),
    ("bamako", "ML-BKO", "district", "Bamako"),
]

# The district of Bamako has no cercle: the raw file repeats « Bamako » as its cercle.
CODE_DISTRICT = "ML-BKO"

ACCENT_CONNU = "accent manquant sur un nom connu"

# Cercle names, raw (after trimming) → (cleaned, reason).
CERCLES = {
    "gao": ("Gao", "casse"),
    "Diema": ("Diéma", ACCENT_CONNU + " (la commune Diéma du cercle l'écrit ainsi dans le fichier brut)"),
    "Kenieba": ("Kéniéba", ACCENT_CONNU + " (la commune Kéniéba du cercle l'écrit ainsi dans le fichier brut)"),
    "Nioro du sahel": ("Nioro du Sahel", "casse (la commune Nioro du Sahel du cercle l'écrit ainsi dans le fichier brut)"),
    "Yelimane": ("Yélimané", ACCENT_CONNU),
    "Dire": ("Diré", ACCENT_CONNU + " (la commune Diré du cercle l'écrit ainsi dans le fichier brut)"),
    "Niafounke": ("Niafounké", ACCENT_CONNU + " (accent seul ajouté ; l'orthographe officielle malienne Niafunké n'est pas reprise)"),
}

# Commune names, (raw cercle, raw commune after trimming and stray punctuation) → (cleaned,
# reason). Only formatting: case, accents of names spelt with them elsewhere in the file,
# lost apostrophes or separators, an editorial note inside the name.
COMMUNES = {
    ("Kati", "Diédougou kati"): ("Diédougou Kati", "casse"),
    ("Kati", "Baguinéda-camp"): ("Baguinéda-Camp", "casse"),
    ("Kati", "TiakadougouDialakoro"): ("Tiakadougou-Dialakoro", "séparateur manquant entre les deux mots du nom"),
    ("Macina", "Kokry centre"): ("Kokry Centre", "casse"),
    ("Ségou", "Diédougou Segou"): ("Diédougou Ségou", ACCENT_CONNU + " (Ségou)"),
    ("Ségou", "Farako Segou"): ("Farako Ségou", ACCENT_CONNU + " (Ségou)"),
    ("Barouéli", "Somo Baroueli"): ("Somo Barouéli", ACCENT_CONNU + " (Barouéli)"),
    ("Dioïla", "Benkadi Dioila"): ("Benkadi Dioïla", "tréma manquant sur Dioïla, écrit ainsi pour le cercle dans le fichier brut"),
    ("Yanfolila", "Djiguiya De Koloni"): ("Djiguiya de Koloni", "casse de la particule « de »"),
    ("Yanfolila", "Séré Moussa Ani Samou De Siékorolé"): ("Séré Moussa Ani Samou de Siékorolé", "casse de la particule « de »"),
    ("gao", "N Tillit"): ("N’Tillit", "apostrophe perdue (remplacée par une espace), écrite ’ comme les autres N’… du fichier"),
    ("Goundam", "M Bouna"): ("M’Bouna", "apostrophe perdue (remplacée par une espace), écrite ’ comme les autres N’… du fichier"),
    ("Niafounke", "N Gorkou"): ("N’Gorkou", "apostrophe perdue (remplacée par une espace), écrite ’ comme les autres N’… du fichier"),
    ("Youwarou", "NDodjigu"): ("N’Dodjigu", "apostrophe perdue, écrite ’ comme les autres N’… du fichier"),
    ("Dire", "BouremSidiAmar"): ("Bourem Sidi Amar", "espaces manquantes entre les mots du nom"),
    ("Koro", "Koporokendié Nâ (ou Koporo Na)"): ("Koporokendié Nâ", "note entre parenthèses retirée du nom (variante « Koporo Na »)"),
}

# Names that the extraction into shared/ cut at an escaped apostrophe (PHP 'N\'Goa' became
# « N\ »): restored, in the order of the rows, from the upstream seed files the raw file was
# extracted from (database/seeds/locations/Segou.php, same order of communes).
RESTAURATIONS = {
    ("San", "N\\"): ["N’Goa", "N’Torosso"],
    ("Ségou", "N\\"): ["N’Gara", "N’Koumandougou"],
}

# Rows dropped: (raw cercle, raw commune) → reason.
SUPPRESSIONS = {
    ("Koro", "Pondori"): (
        "doublon : la commune Pondori du cercle de Djenné recopiée dans le cercle de Koro "
        "(la source amont ajoute la variable $djenneCPondori à la liste des communes de Koro, "
        "database/seeds/locations/Mopti.php) ; Pondori reste dans le cercle de Djenné"
    ),
}

# Doubtful raw names kept as they are (the rule is to keep the raw spelling when in doubt).
# Listed in the README so that a reviewer can decide; moving an entry to COMMUNES applies it
# (and changes the code derived from the name: decide before the codes are published).
DOUTES_NON_CORRIGES = [
    ("Macina", "ana", "initiale perdue dans la source amont ; sans doute la commune Sana"),
    ("Mopti", "Asalbé", "initiale perdue dans la source amont ; sans doute la commune Sasalbé"),
    ("Koro", "Oporo Pen", "initiale perdue dans la source amont ; sans doute la commune Koporo Pen"),
    ("Diéma", "Diangounté", "la source amont coupe en deux lignes « Diangounté » et « Camara » ce qui semble être une seule commune, Diangounté Camara"),
    ("Diéma", "Camara", "voir Diangounté"),
    ("Bandiagara", "Bandiagara Commune", "le mot « Commune » distingue la commune du cercle dans la source amont ; le nom officiel est sans doute Bandiagara"),
]


# ---------------------------------------------------------------------------------------
# Mali: reading and cleaning
# ---------------------------------------------------------------------------------------

def nettoyer_forme(texte):
    """Trims, collapses runs of spaces and drops stray punctuation at either end."""
    return " ".join(texte.split()).strip(" ,;:.")


def raison_forme(brut):
    """Why nettoyer_forme changed a raw value (empty if it did not)."""
    raisons = []
    if brut != brut.strip() or "  " in brut:
        raisons.append("espaces superflues")
    if brut.strip().strip(" ,;:.") != brut.strip():
        raisons.append("ponctuation parasite")
    return " ; ".join(raisons)


def raison_graphie(brut, propre):
    """Why a région name differs from its raw spelling: case, accents, or both."""
    raisons = []
    if sans_accents(brut) != sans_accents(propre):
        raisons.append("casse")
    if brut.lower() != propre.lower() and sans_accents(brut).lower() == sans_accents(propre).lower():
        raisons.append(ACCENT_CONNU)
    return " ; ".join(raisons)


def joindre(*raisons):
    return " ; ".join(r for r in raisons if r)


def lire_mali(chemin):
    """Reads and cleans the raw file.

    Returns (units in output order as (code, niveau, nom, code_parent), correction log,
    régions absent from the file, code collisions)."""
    regions_par_cle = {c: (code, niveau, nom) for c, code, niveau, nom in REGIONS}
    with open(chemin, encoding="utf-8", newline="") as f:
        lignes = list(enumerate(csv.reader(f), start=1))

    regions = {}  # code → unit; a unit is {"nom", "niveau", "bruts": {brut: raison}, "enfants": {clé: unit}}
    restaurations = {k: list(v) for k, v in RESTAURATIONS.items()}
    utilises = set()  # table entries applied, to detect stale ones
    rejets = []  # (niveau, brut, "", raison): dropped rows and levels
    district_sans_cercle = set()

    for numero, ligne in lignes:
        if len(ligne) != 3:
            raise ValueError(f"{chemin}:{numero}: 3 colonnes attendues, {len(ligne)} lues")
        if [cle(x) for x in ligne] == ["region", "cercle", "commune"]:
            continue  # the header line
        region_brut, cercle_brut, commune_brut = ligne

        cle_region = cle(region_brut)
        if cle_region not in regions_par_cle:
            raise ValueError(f"{chemin}:{numero}: région inconnue {region_brut!r}")
        code_region, niveau_region, nom_region = regions_par_cle[cle_region]
        region = regions.setdefault(code_region, {
            "nom": nom_region, "niveau": niveau_region, "bruts": {}, "enfants": {},
        })
        if region_brut != nom_region:
            region["bruts"][region_brut] = joindre(raison_forme(region_brut),
                                                   raison_graphie(region_brut.strip(), nom_region))

        # The cercle (none in the district of Bamako).
        cercle_forme = nettoyer_forme(cercle_brut)
        if code_region == CODE_DISTRICT:
            if cle(cercle_forme) != "bamako":
                raise ValueError(f"{chemin}:{numero}: cercle inattendu dans le district : {cercle_brut!r}")
            parent = region
            district_sans_cercle.add(cercle_brut)
        else:
            if cercle_forme in CERCLES:
                nom_cercle, raison = CERCLES[cercle_forme]
                utilises.add(("cercle", cercle_forme))
            else:
                nom_cercle, raison = cercle_forme, ""
            parent = region["enfants"].setdefault(cle(nom_cercle), {
                "nom": nom_cercle, "niveau": "cercle", "bruts": {}, "enfants": {},
            })
            if parent["nom"] != nom_cercle:
                raise ValueError(f"{chemin}:{numero}: deux graphies pour un cercle : "
                                 f"{parent['nom']!r} et {nom_cercle!r}")
            if cercle_brut != nom_cercle:
                parent["bruts"][cercle_brut] = joindre(raison_forme(cercle_brut), raison)

        # The commune.
        commune_forme = nettoyer_forme(commune_brut)
        cle_table = (cercle_forme, commune_forme)
        if cle_table in SUPPRESSIONS:
            utilises.add(("suppression", cle_table))
            rejets.append(("commune", commune_brut, "",
                           f"{SUPPRESSIONS[cle_table]} (cercle {cercle_forme}, ligne {numero})"))
            continue
        if cle_table in restaurations:
            if not restaurations[cle_table]:
                raise ValueError(f"{chemin}:{numero}: plus de noms à restaurer pour {cle_table}")
            nom_commune = restaurations[cle_table].pop(0)
            raison = ("nom tronqué à l'apostrophe lors de l'extraction (« N\\'… » en PHP), "
                      f"restauré d'après la source amont {AMONT_MALI}, "
                      "database/seeds/locations/Segou.php, même ordre des communes")
        elif cle_table in COMMUNES:
            utilises.add(("commune", cle_table))
            nom_commune, raison = COMMUNES[cle_table]
        else:
            nom_commune, raison = commune_forme, ""
        raison = joindre(raison_forme(commune_brut), raison)

        cle_commune = cle(nom_commune)
        if cle_commune in parent["enfants"]:
            rejets.append(("commune", commune_brut, "",
                           f"doublon de « {parent['enfants'][cle_commune]['nom']} » dans le "
                           f"même parent (casse, accents et ponctuation ignorés ; ligne {numero})"))
            continue
        parent["enfants"][cle_commune] = {
            "nom": nom_commune, "niveau": "commune", "enfants": {},
            "bruts": {commune_brut: f"{raison} ; ligne {numero}"} if commune_brut != nom_commune else {},
        }

    # Every table entry must have been used: an entry that no longer matches the input means
    # that the input changed and the decisions must be reviewed.
    for k, restants in restaurations.items():
        if restants:
            raise ValueError(f"restauration sans objet pour {k} : {restants}")
    for k in CERCLES:
        if ("cercle", k) not in utilises:
            raise ValueError(f"correction de cercle sans objet : {k!r}")
    for k in COMMUNES:
        if ("commune", k) not in utilises:
            raise ValueError(f"correction de commune sans objet : {k!r}")
    for k in SUPPRESSIONS:
        if ("suppression", k) not in utilises:
            raise ValueError(f"suppression sans objet : {k!r}")

    # Codes, output order and the correction log in the same order.
    unites = []
    journal = []
    collisions = []
    for _, code_region, _, _ in REGIONS:
        if code_region in regions:
            unite = regions[code_region]
            unites.append((code_region, unite["niveau"], unite["nom"], ""))
            journaliser(journal, unite, code_region)
            placer(unite, code_region, unites, journal, collisions)
    for brut in sorted(district_sans_cercle):
        journal.append(("cercle", brut, "",
                        "niveau retiré : le district de Bamako n'a pas de cercle, ses communes "
                        f"lui sont rattachées directement ({CODE_DISTRICT})"))
    journal.extend(rejets)

    absentes = [(code, nom) for _, code, _, nom in REGIONS if code not in regions]
    return unites, journal, absentes, collisions


def journaliser(journal, unite, code):
    for brut, raison in sorted(unite["bruts"].items()):
        journal.append((unite["niveau"], brut, unite["nom"], f"{raison} ({code})"))


def placer(parent, code_parent, unites, journal, collisions):
    """Appends the parent's children (each followed by its own children) with their codes."""
    pris = {}
    for enfant in sorted(parent["enfants"].values(), key=lambda u: ordre_des_noms(u["nom"])):
        base = f"{code_parent}-{slug(enfant['nom'])}"
        code, rang = base, 1
        while code in pris:
            rang += 1
            code = f"{base}-{rang}"
        if rang > 1:
            collisions.append((code, enfant["nom"], pris[base]))
        pris[code] = enfant["nom"]
        unites.append((code, enfant["niveau"], enfant["nom"], code_parent))
        journaliser(journal, enfant, code)
        placer(enfant, code, unites, journal, collisions)


# ---------------------------------------------------------------------------------------
# France
# ---------------------------------------------------------------------------------------

ORDRE_TYPES = ["commune-actuelle", "commune-deleguee", "commune-associee", "arrondissement-municipal"]


def nom_propre(nom):
    """Collapses runs of white space (one EPCI name has a doubled space)."""
    return " ".join(nom.split())


def preparer_france(shared):
    dossier = shared / DOSSIER_FRANCE

    def charger(nom):
        with open(dossier / nom, encoding="utf-8") as f:
            return json.load(f)

    regions = charger("regions.json")
    departements = charger("departements.json")
    communes = charger("communes.json")
    epcis = charger("epci.json")
    notes = []

    lignes_regions = sorted((r["code"], nom_propre(r["nom"])) for r in regions)
    codes_regions = {c for c, _ in lignes_regions}

    lignes_departements = sorted((d["code"], nom_propre(d["nom"]), d["region"]) for d in departements)
    for code, _, region in lignes_departements:
        if region not in codes_regions:
            raise ValueError(f"département {code} : région {region} inconnue")
    codes_departements = {c for c, _, _ in lignes_departements}

    lignes_communes = []
    for c in communes:
        genre = c["type"]
        if genre not in ORDRE_TYPES:
            raise ValueError(f"commune {c['code']} : type inconnu {genre!r}")
        if genre == "commune-actuelle":
            parent = ""
            if "chefLieu" in c or "commune" in c:
                raise ValueError(f"commune actuelle {c['code']} avec un parent")
        elif genre == "arrondissement-municipal":
            parent = c["commune"]
        else:
            parent = c["chefLieu"]
        if c["departement"] not in codes_departements:
            raise ValueError(f"commune {c['code']} : département {c['departement']} inconnu")
        population = c.get("population")
        if population is not None and (not isinstance(population, int) or population < 0):
            raise ValueError(f"commune {c['code']} : population {population!r}")
        nom = nom_propre(c["nom"])
        if nom != c["nom"]:
            notes.append(f"commune {c['code']} : espaces du nom normalisées ({c['nom']!r})")
        lignes_communes.append((
            ORDRE_TYPES.index(genre), c["code"], nom, genre, c["departement"], parent,
            "" if population is None else str(population), "|".join(c.get("anciensCodes", [])),
        ))
    lignes_communes.sort()
    lignes_communes = [l[1:] for l in lignes_communes]

    cles = [(l[0], l[2]) for l in lignes_communes]
    if len(set(cles)) != len(cles):
        raise ValueError("couple (code, type) de commune en double")
    actuelles = {l[0] for l in lignes_communes if l[2] == "commune-actuelle"}
    if len(actuelles) != sum(1 for l in lignes_communes if l[2] == "commune-actuelle"):
        raise ValueError("code de commune actuelle en double")
    for l in lignes_communes:
        if l[4] and l[4] not in actuelles:
            raise ValueError(f"commune {l[0]} : parent {l[4]} qui n'est pas une commune actuelle")

    lignes_epci = []
    for e in epcis:
        membres = sorted(m["code"] for m in e["membres"])
        for m in membres:
            if m not in actuelles:
                raise ValueError(f"EPCI {e['code']} : membre {m} inconnu")
        nom = nom_propre(e["nom"])
        if nom != e["nom"]:
            notes.append(f"EPCI {e['code']} : espaces du nom normalisées ({e['nom']!r} → {nom!r})")
        lignes_epci.append((e["code"], nom, e["type"], "|".join(membres)))
    lignes_epci.sort()

    return {
        "regions": lignes_regions,
        "departements": lignes_departements,
        "communes": lignes_communes,
        "epci": lignes_epci,
        "notes": notes,
        "communes_json": {(c["code"], c["type"]): c for c in communes},
        "com": {r["code"] for r in regions if r["zone"] == "com"},
        "hors_epci": len(actuelles - {m["code"] for e in epcis for m in e["membres"]}),
    }


# ---------------------------------------------------------------------------------------
# Former names
# ---------------------------------------------------------------------------------------

SOURCE_EVRY = ("Arrêté préfectoral / COG INSEE 2019: fusion d'Évry et de Courcouronnes "
               "au 1er janvier 2019")

# (pays, niveau, ancien_nom, code_actuel, valide_jusqu_au, source). Add an entry only when
# the shared data confirms it; preparer_anciens_noms checks in the data what can be checked.
ANCIENS_NOMS = [
    ("FR", "commune", "Évry", "91228", "2018-12-31",
     SOURCE_EVRY + "; communes.json (decoupage-administratif 6.0.0): 91228 = Évry-Courcouronnes, "
     "commune actuelle"),
    ("FR", "commune", "Courcouronnes", "91228", "2018-12-31",
     SOURCE_EVRY + "; communes.json (decoupage-administratif 6.0.0): anciensCodes de 91228 = "
     "{anciens}, dont 91182, ancien code INSEE de Courcouronnes"),
]


def preparer_anciens_noms(france):
    commune = france["communes_json"].get(("91228", "commune-actuelle"))
    if commune is None or commune["nom"] != "Évry-Courcouronnes":
        raise ValueError("91228 Évry-Courcouronnes absente des données françaises")
    anciens = commune.get("anciensCodes", [])
    if "91182" not in anciens:
        raise ValueError("91182 (Courcouronnes) absent des anciensCodes de 91228")
    lignes = []
    for pays, niveau, ancien, code, jusqu_au, source in ANCIENS_NOMS:
        lignes.append((pays, niveau, ancien, code, jusqu_au, source.format(anciens="|".join(anciens))))
    return lignes


# ---------------------------------------------------------------------------------------
# Writing and checking
# ---------------------------------------------------------------------------------------

def csv_texte(entete, lignes, brutes=()):
    """The CSV text; no value may start or end with white space, except in the columns
    named in `brutes` (raw values quoted as they were, in the correction log)."""
    tampon = io.StringIO()
    w = csv.writer(tampon, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(entete)
    for l in lignes:
        if len(l) != len(entete):
            raise ValueError(f"{len(entete)} colonnes attendues : {l!r}")
        for colonne, valeur in zip(entete, l):
            if colonne not in brutes and valeur != valeur.strip():
                raise ValueError(f"espace en bord de valeur : {l!r}")
        w.writerow(l)
    return tampon.getvalue()


def verifier_hierarchie(nom_fichier, lignes, i_code, i_parent, cle_unique=None):
    """Codes unique (or (code, type) unique), every parent seen earlier in the file."""
    vus = set()
    codes = set()
    for l in lignes:
        k = cle_unique(l) if cle_unique else l[i_code]
        if k in vus:
            raise ValueError(f"{nom_fichier} : clé en double {k!r}")
        vus.add(k)
        if l[i_parent] and l[i_parent] not in codes:
            raise ValueError(f"{nom_fichier} : parent {l[i_parent]!r} de {l[i_code]!r} "
                             "absent ou plus bas dans le fichier")
        codes.add(l[i_code])


def compter(lignes, i):
    compte = {}
    for l in lignes:
        compte[l[i]] = compte.get(l[i], 0) + 1
    return compte


def produire(shared):
    """Returns {file name: bytes}."""
    fichiers = {}

    lignes_mali, journal, absentes, collisions = lire_mali(shared / SOURCE_MALI)
    verifier_hierarchie("mali.csv", lignes_mali, 0, 3)
    for code, _, nom, _ in lignes_mali:
        if len(code) > 64 or not re.fullmatch(r"ML-(\d+|BKO)(-[A-Z0-9]+)*", code):
            raise ValueError(f"code malien invalide : {code}")
        if "  " in nom or nom != nom.strip() or "\\" in nom or "," in nom:
            raise ValueError(f"nom malien mal formé : {nom!r}")
    fichiers["mali.csv"] = csv_texte(["code", "niveau", "nom", "code_parent"], lignes_mali)
    fichiers["mali-corrections.csv"] = csv_texte(["niveau", "brut", "nettoye", "raison"], journal,
                                              brutes=("brut",))

    france = preparer_france(shared)
    verifier_hierarchie("france-communes.csv", france["communes"], 0, 4,
                        cle_unique=lambda l: (l[0], l[2]))
    fichiers["france-regions.csv"] = csv_texte(["code", "nom"], france["regions"])
    fichiers["france-departements.csv"] = csv_texte(["code", "nom", "code_region"], france["departements"])
    fichiers["france-communes.csv"] = csv_texte(
        ["code", "nom", "type", "code_departement", "code_commune_parente", "population", "anciens_codes"],
        france["communes"])
    fichiers["france-epci.csv"] = csv_texte(["code", "nom", "type", "membres"], france["epci"])

    fusions = (shared / DOSSIER_FRANCE / "regions-fusions-2016.csv").read_bytes()
    entete_fusions = fusions.decode("utf-8").splitlines()[0]
    if entete_fusions != "ancien_code,ancien_nom,nouveau_code,nouveau_nom,date_effet":
        raise ValueError(f"regions-fusions-2016.csv : en-tête inattendu {entete_fusions!r}")
    codes_regions = {c for c, _ in france["regions"]}
    lignes_fusions = list(csv.reader(io.StringIO(fusions.decode("utf-8"))))[1:]
    for l in lignes_fusions:
        if l[2] not in codes_regions:
            raise ValueError(f"regions-fusions-2016.csv : région actuelle {l[2]} inconnue")
    fichiers["france-regions-2016.csv"] = fusions

    anciens = preparer_anciens_noms(france)
    fichiers["anciens-noms.csv"] = csv_texte(
        ["pays", "niveau", "ancien_nom", "code_actuel", "valide_jusqu_au", "source"], anciens)

    fichiers["LICENSE-decoupage-administratif"] = (
        shared / DOSSIER_FRANCE / "LICENSE-decoupage-administratif").read_bytes()

    fichiers["README.md"] = readme(
        lignes_mali=lignes_mali, journal=journal, absentes=absentes, collisions=collisions,
        france=france, lignes_fusions=lignes_fusions, anciens=anciens)

    sortie = {}
    for nom, contenu in fichiers.items():
        if isinstance(contenu, str):
            contenu = contenu.encode("utf-8")
        contenu.decode("utf-8")  # valid UTF-8, or fail here
        sortie[nom] = contenu
    return sortie


# ---------------------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------------------

def tableau(entete, lignes):
    sep = ["---"] * len(entete)
    rangs = [entete, sep] + [[str(x) for x in l] for l in lignes]
    return "\n".join("| " + " | ".join(r) + " |" for r in rangs)


def readme(lignes_mali, journal, absentes, collisions, france, lignes_fusions, anciens):
    par_niveau = compter(lignes_mali, 1)
    parents = {l[0]: l[3] for l in lignes_mali}
    par_region = []
    for code, niveau, nom, parent in lignes_mali:
        if niveau in ("region", "district"):
            cercles = sum(1 for l in lignes_mali if l[1] == "cercle" and l[3] == code)
            communes = sum(1 for l in lignes_mali if l[1] == "commune"
                           and (l[3] == code or parents.get(l[3]) == code))
            par_region.append((f"`{code}`", nom, niveau, cercles, communes))
    types_communes = compter(france["communes"], 2)
    types_epci = compter(france["epci"], 2)
    tailles = {
        "mali.csv": len(lignes_mali),
        "mali-corrections.csv": len(journal),
        "france-regions.csv": len(france["regions"]),
        "france-departements.csv": len(france["departements"]),
        "france-communes.csv": len(france["communes"]),
        "france-epci.csv": len(france["epci"]),
        "france-regions-2016.csv": len(lignes_fusions),
        "anciens-noms.csv": len(anciens),
    }
    doutes = "\n".join(f"  - cercle de {c}, « {n} » : {r}." for c, n, r in DOUTES_NON_CORRIGES)
    absentes_txt = ", ".join(f"{nom} (`{code}`)" for code, nom in absentes) or "aucune"
    collisions_txt = ("aucune" if not collisions else
                      "; ".join(f"`{c}` ({n}, à côté de {a})" for c, n, a in collisions))
    notes_france = "\n".join(f"- {n}" for n in france["notes"]) or "- aucune"
    com = france["com"]
    n_communes_com = sum(1 for l in france["communes"] if l[3] in com)

    return f"""# Référentiel des collectivités (données embarquées)

Reference data that benkan embeds and loads into SQLite: every Malian collectivité of the
2016-era division, the French régions, départements, communes and EPCI of the official COG,
the 2016 merger of the French régions, and the former names that the COG does not carry.

**Do not edit these files by hand.** They are generated by `prepare.py` from the read-only
inputs in `shared/` (not part of the repository); every cleaning decision is a table in the
script, with its reason. From the project root:

    python3 data/referentiel/prepare.py                 # regenerates every file here
    python3 data/referentiel/prepare.py --verifier      # exit 1 if a file is not what the inputs give
    python3 data/referentiel/prepare.py --shared /path/to/shared

Python 3.11, standard library only. The output is deterministic (same inputs, byte-identical
files). The script refuses to write when a check fails (codes unique, parents before
children, every parent and member known, no value with a leading or trailing space, valid
UTF-8, every correction table entry still matching the input).

## Format of every CSV file

UTF-8 without BOM, `,` separator, one header line, LF line ends, RFC 4180 quoting only where
a value needs it (a comma or a quote inside a name). An empty field means « unknown » or « not
applicable ». Lists inside a field (`anciens_codes`, `membres`) are joined with `|`.

## Files

{tableau(["file", "rows (without header)", "content"], [
    ("`mali.csv`", tailles["mali.csv"], "Malian régions, district, cercles and communes"),
    ("`mali-corrections.csv`", tailles["mali-corrections.csv"], "every change made to the raw Malian names (raw → cleaned, with the reason)"),
    ("`france-regions.csv`", tailles["france-regions.csv"], "current French régions (and the overseas collectivités the COG files list with them)"),
    ("`france-departements.csv`", tailles["france-departements.csv"], "French départements"),
    ("`france-communes.csv`", tailles["france-communes.csv"], "French communes: actuelles, déléguées, associées, arrondissements municipaux"),
    ("`france-epci.csv`", tailles["france-epci.csv"], "French EPCI à fiscalité propre with their member communes"),
    ("`france-regions-2016.csv`", tailles["france-regions-2016.csv"], "former French régions → current ones (2016 merger)"),
    ("`anciens-noms.csv`", tailles["anciens-noms.csv"], "former names that resolve to a current unit"),
    ("`LICENSE-decoupage-administratif`", "—", "licence of the French source (MIT, Etalab)"),
    ("`prepare.py`", "—", "the generator"),
])}

## `mali.csv`

Columns: `code,niveau,nom,code_parent`. `niveau` is `region`, `district`, `cercle` or
`commune`. One row per unit, parents before children: each région (then the district of
Bamako) is followed by its cercles, each cercle by its communes. Régions come in the order
of their ISO code (ML-1 … ML-9, then ML-BKO); cercles and communes in the alphabetical order
of their name (case, accents and punctuation ignored).

**Source.** `shared/{SOURCE_MALI}` (columns `region,cercle,commune`, one row per commune),
extracted from the open-source project geo-api-mali (GitHub `andaletech/geo-api-mali`, Laravel
seed files `database/seeds/locations/*.php`). The shared README states its licence as MIT;
the only licence mention found upstream is the `"license": "MIT"` of the Lumen skeleton's
`composer.json` (no LICENSE file): treat the licence as unconfirmed. The list itself is the
public administrative division of Mali.

**Derivation.**

1. The header line (`region,cercle,commune`) is skipped.
2. Régions are recognised by their name with case and accents ignored (`gao`, `Segou`,
   `Menaka` …) and given their ISO 3166-2:ML code and French name.
3. The district of Bamako (`ML-BKO`, niveau `district`) has no cercle: the raw file repeats
   « Bamako » as the cercle of its six communes; that level is dropped and Commune I … VI
   are direct children of `ML-BKO`.
4. Names are trimmed, runs of spaces collapsed, stray punctuation at either end removed
   (« Diafounou Gory, »); then the tables `CERCLES` and `COMMUNES` of `prepare.py` fix case,
   missing accents on well-known names (Ségou, Ménaka, Diéma, Yélimané, Kéniéba, Diré …),
   particles (« de »), lost apostrophes (« N Tillit » → « N’Tillit ») and missing separators.
   Apostrophes are the typographic ’ (U+2019), as in the rest of the raw file.
5. Four communes whose names the extraction into `shared/` cut at an escaped apostrophe
   (PHP `'N\\'Goa'` became `N\\`) are restored from the upstream seed file
   (`{AMONT_MALI}`, `database/seeds/locations/Segou.php`): N’Goa and N’Torosso (cercle de
   San), N’Gara and N’Koumandougou (cercle de Ségou), matched in the order of the rows.
6. Duplicates are removed: within one parent, two names equal once case, accents and
   punctuation are ignored are one unit. The commune Pondori appears under Koro as well as
   under Djenné because the upstream seed file adds Djenné's Pondori object to Koro's list; the
   Koro row is dropped.
7. Codes are assigned (below) and the file is written.

Every change is listed in `mali-corrections.csv` (`niveau,brut,nettoye,raison`; `nettoye` is
empty for a dropped row; the raison gives the code of the unit or the raw line number).

**Code scheme: a stable identifier contract.** A code, once published, is never reused for
another unit and never renumbered, even if the unit's name is later corrected or the unit
disappears in a territorial reform (it is then closed, not recycled).

- Région: its ISO 3166-2:ML code: Kayes `ML-1`, Koulikoro `ML-2`, Sikasso `ML-3`, Ségou
  `ML-4`, Mopti `ML-5`, Tombouctou `ML-6`, Gao `ML-7`, Kidal `ML-8`, Ménaka `ML-9`,
  Taoudénit `ML-10` (reserved, see gaps); the district of Bamako: `ML-BKO`.
- Cercle: `<code of its région>-<SLUG>`, e.g. Yélimané → `ML-1-YELIMANE`.
- Commune: `<code of its cercle>-<SLUG>`, e.g. Krémis → `ML-1-YELIMANE-KREMIS`; in the
  district: `<ML-BKO>-<SLUG>`, e.g. Commune I → `ML-BKO-COMMUNE-I`.
- SLUG is the name (as written in `mali.csv` when the code was first published) decomposed
  (Unicode NFKD) with its accents dropped, upper-cased, every run of characters other than
  `A-Z` and `0-9` (spaces, hyphens, apostrophes, parentheses) replaced by one `-`, with no `-`
  at either end: « N’Goa » → `N-GOA`, « Sébékoro 1 » → `SEBEKORO-1`.
- If two siblings give the same code, the second in the file's order gets `-2`, the next
  `-3`… Collisions in this edition: {collisions_txt}.
- Codes are ASCII, at most {max(len(l[0]) for l in lignes_mali)} characters in this edition
  (the longest: `{max(lignes_mali, key=lambda l: len(l[0]))[0]}`).
- A later correction of a name does not change the code; a unit added later gets a code by
  the same rule, suffixed if it collides with any code ever published under the same parent.

**Rows per level.**

{tableau(["niveau", "rows"], [(n, par_niveau.get(n, 0)) for n in ("region", "district", "cercle", "commune")])}

{tableau(["code", "région", "niveau", "cercles", "communes"], par_region)}

**Known gaps and flaws of the source.**

- It is the division of about 2016 (Ménaka already a région, the other régions with their
  earlier cercles), **not the division in force since 2023** (more régions and cercles).
  Statistics computed on it must say which division they use.
- Régions absent from the raw file: {absentes_txt}. The shared README says Taoudénit has
  cercles but no communes; in fact the raw file has no Taoudénit row at all (the extraction
  apparently kept only rows with a commune: the upstream seed file `Taoudenit.php` lists four
  cercles, Foum Alba, Achouratt, Al-Ourche and « TBoudje-Béha », without communes). No row is
  invented for it; its code `ML-10` is reserved. Before 2016 its territory belonged to the
  région of Tombouctou, whose cercles here are the earlier ones.
- The région of Ménaka has a single cercle (Ménaka, five communes); the région of Gao has
  three (Ansongo, Bourem, Gao).
- Some upstream names carry the cercle's name to tell homonyms apart (« Boura Ansongo »,
  « Somo San », « Benkadi Kangaba », « Tilemsi Gao »…): kept as they are.
- Doubtful names kept as they are (the rule is to keep the raw spelling when in doubt; a
  correction here would change the code, so decide before publication):
{doutes}
- Spellings without accents that may be wrong but are not well known (« Tin Aicha »,
  « Kemeni », « Monimpebougou »…) are kept.

## `france-regions.csv`, `france-departements.csv`, `france-communes.csv`, `france-epci.csv`

**Source.** `shared/data/france/regions.json`, `departements.json`, `communes.json`,
`epci.json`: the npm package `@etalab/decoupage-administratif` 6.0.0 (Etalab, MIT licence,
copied here as `LICENSE-decoupage-administratif`), which republishes the INSEE Code officiel
géographique (COG) with SIREN codes, populations and EPCI memberships. The COG vintage is the
one embedded in that version (the files do not state it).

**Derivation.** Field for field, sorted by code, runs of white space inside names collapsed:

- `france-regions.csv` — `code,nom` from `regions.json`: the {len(france["regions"]) - len(com)} régions plus {len(com)} overseas
  collectivités ({", ".join(f"`{c}`" for c in sorted(com))}: zone `com` upstream) that the package lists
  as régions and that the pseudo-départements of the same code point to. They are kept so
  that every `code_region` resolves; they are not régions in law.
- `france-departements.csv` — `code,nom,code_region` from `departements.json` (`region`).
  The overseas collectivités appear again as pseudo-départements.
- `france-communes.csv` — `code,nom,type,code_departement,code_commune_parente,population,anciens_codes`
  from `communes.json`: `type` is the JSON `type`; `code_commune_parente` is `chefLieu` for a
  commune déléguée or associée and `commune` for an arrondissement municipal, empty for a
  commune actuelle; `population` is the JSON `population` (empty for the communes déléguées
  and associées and a few uninhabited territories); `anciens_codes` is `anciensCodes`
  joined with `|`. Rows are grouped by type (actuelles, déléguées, associées, arrondissements)
  then sorted by code, so that every parent comes before its children. **A code is not
  unique on its own**: a commune déléguée often shares the code of its commune nouvelle (the
  pair `code,type` is unique; {len(france["communes"]) - len({l[0] for l in france["communes"]})} codes appear twice).
- `france-epci.csv` — `code,nom,type,membres` from `epci.json`: SIREN code, type as in the
  JSON (`CC`, `CA`, `CU`, `METRO`, `MET69` for the Métropole de Lyon), member communes' INSEE
  codes sorted and joined with `|` (every member is a commune actuelle).

**Rows.** Régions {len(france["regions"])}, départements {len(france["departements"])},
communes {len(france["communes"])} ({", ".join(f"{t} {types_communes.get(t, 0)}" for t in ORDRE_TYPES)}),
EPCI {len(france["epci"])} ({", ".join(f"{t} {n}" for t, n in sorted(types_epci.items()))}).

**Known gaps.** Only the current régions are in the COG files (the former ones are in
`france-regions-2016.csv`); the former **names** of merged communes are not carried, only
their former codes (`anciens_codes`; see `anciens-noms.csv`). {n_communes_com} rows of
`france-communes.csv` are in the overseas collectivités (`code_departement` {min(com)} …
{max(com)}), some without population. {france["hors_epci"]} communes actuelles belong to no
EPCI (the overseas collectivités, a few islands). Changes made to names:
{notes_france}

## `france-regions-2016.csv`

A byte-for-byte copy of `shared/data/france/regions-fusions-2016.csv`
(`ancien_code,ancien_nom,nouveau_code,nouveau_nom,date_effet`): the régions before the
2016 merger (loi du 16 janvier 2015) and the current région each became; Centre was only
renamed Centre-Val de Loire (2015-01-17). Every `nouveau_code` is checked to exist in
`france-regions.csv`. Provenance given by the shared README: public law.

## `anciens-noms.csv`

Columns `pays,niveau,ancien_nom,code_actuel,valide_jusqu_au,source`: former names that
must still resolve, with the last day they were valid. Curated by hand (table `ANCIENS_NOMS`
of `prepare.py`); an entry is added only when the shared data confirms it, and the script
checks what it can (that 91228 is Évry-Courcouronnes and that its `anciensCodes` hold
91182, Courcouronnes' former code). Former names of French régions are in
`france-regions-2016.csv`, not here.
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shared", type=Path, default=SHARED_PAR_DEFAUT,
                   help=f"input folder holding data/mali and data/france (default: {SHARED_PAR_DEFAUT})")
    p.add_argument("--sortie", type=Path, default=ICI,
                   help=f"output folder (default: {ICI})")
    p.add_argument("--verifier", action="store_true",
                   help="write nothing; exit 1 if a delivered file differs from what the inputs give")
    args = p.parse_args()

    try:
        fichiers = produire(args.shared)
    except (OSError, ValueError, KeyError) as e:
        print(f"prepare.py : {e}", file=sys.stderr)
        return 1

    if args.verifier:
        differents = [n for n, c in sorted(fichiers.items())
                      if not (args.sortie / n).is_file() or (args.sortie / n).read_bytes() != c]
        for n in differents:
            print(f"différent ou absent : {n}", file=sys.stderr)
        return 1 if differents else 0

    args.sortie.mkdir(parents=True, exist_ok=True)
    for nom, contenu in sorted(fichiers.items()):
        (args.sortie / nom).write_bytes(contenu)
        print(f"{nom}: {len(contenu)} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
