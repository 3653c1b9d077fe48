#!/usr/bin/env python3
"""Writes codes.csv from the official IATI codelists (run from this folder).

Usage: python3 extraire_codes.py ../../../shared/iati/codelists > codes.csv
Keeps, for each item, its code and its name in French (else English) and English.
"""
import csv
import sys
import xml.etree.ElementTree as ET

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LISTES = ["ActivityStatus", "TransactionType", "OrganisationRole", "OrganisationType",
          "SectorVocabulary", "Sector", "SectorCategory"]

sortie = csv.writer(sys.stdout, lineterminator="\n")
sortie.writerow(["liste", "code", "libelle_fr", "libelle_en"])
for liste in LISTES:
    racine = ET.parse(f"{sys.argv[1]}/{liste}.xml").getroot()
    for item in racine.iter("codelist-item"):
        code = item.findtext("code").strip()
        noms = {n.get(XML_LANG, "en"): (n.text or "").strip() for n in item.find("name").iter("narrative")}
        en = noms.get("en", "")
        sortie.writerow([liste, code, noms.get("fr") or en, en])
