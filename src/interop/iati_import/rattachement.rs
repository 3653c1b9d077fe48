//! Every published `location` accounted for: linked to the Malian collectivités it names by
//! the most trusted means that works — its codes, its name, the names it lists, its point —
//! or left unlinked for one stated reason. docs/iati.md (« Places ») gives the order.

use super::activite::{CodeLu, LieuLu, choisir};
use super::lieux::{Cache, EchecNom, code_malien, nomme_le_pays};
use super::{liste, point};
use crate::carte;
use crate::model::{CollectiviteId, LieuIati, MethodeLien, MotifNonLie, PointIati, Rattachement};
use crate::store;

/// Whether a place declares itself in Mali by a code: ISO 3166-2 « ML », « ML-… », or a COD
/// P-code of Mali.
pub(super) fn declare_le_mali(lieu: &LieuLu) -> bool {
    lieu.identifiants
        .iter()
        .chain(&lieu.administratifs)
        .any(|c| code_malien(c.vocabulaire.as_deref(), &c.code).is_some() || est_pcode(c))
}

/// A COD P-code of Mali (« ML » then 2 digits for a région, 4 a cercle, 6 a commune, 9 a
/// localité), in any vocabulary but the gazetteers' (G1 GeoNames, G2 OpenStreetMap), which
/// number places their own way.
fn est_pcode(c: &CodeLu) -> bool {
    let gazetteer = c
        .vocabulaire
        .as_deref()
        .is_some_and(|v| v.eq_ignore_ascii_case("G1") || v.eq_ignore_ascii_case("G2"));
    let code = c.code.trim();
    let chiffres = code.get(2..).unwrap_or("");
    !gazetteer
        && code.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("ML"))
        && [2, 4, 6, 9].contains(&chiffres.len())
        && chiffres.bytes().all(|b| b.is_ascii_digit())
}

/// What one code says.
enum SensCode {
    Unite(CollectiviteId),
    /// « ML » in ISO 3166: the whole country.
    Pays,
    /// Another country's ISO code.
    Etranger,
    /// A code benkan cannot read: a GeoNames or OpenStreetMap id, an unknown P-code.
    Inconnu,
}

fn lire_code(cache: &mut Cache<'_>, c: &CodeLu) -> store::Result<SensCode> {
    let code = c.code.trim();
    if est_pcode(c) {
        // A localité's P-code (9 digits) is looked up in the gazetteer: its commune. A P-code
        // neither knows stands for the nearest unit around it that the map matches: an
        // unknown localité for its commune, an unmatched commune for its cercle.
        let pcode = code.to_ascii_uppercase();
        if let Some(id) = cache.localite(&pcode)? {
            return Ok(SensCode::Unite(id));
        }
        let benkan = [pcode.len(), 8, 6, 4]
            .into_iter()
            .filter(|n| *n <= pcode.len())
            .find_map(|n| carte::code_du_pcode(&pcode[..n]));
        return Ok(match benkan {
            Some(b) => cache.code(b)?.map_or(SensCode::Inconnu, SensCode::Unite),
            None => SensCode::Inconnu,
        });
    }
    if c.vocabulaire.as_deref() != Some("A4") {
        return Ok(SensCode::Inconnu);
    }
    let iso = code.to_ascii_uppercase();
    let pays = iso.split('-').next().unwrap_or("");
    Ok(match pays {
        // ISO 3166-1 alpha-2, or alpha-3 as some publishers write it.
        "ML" | "MLI" if iso == pays => SensCode::Pays,
        "ML" => cache.code(&iso)?.map_or(SensCode::Inconnu, SensCode::Unite),
        _ if (2..=3).contains(&pays.len()) && pays.bytes().all(|b| b.is_ascii_uppercase()) => {
            SensCode::Etranger
        }
        _ => SensCode::Inconnu,
    })
}

/// The reasons met while a place was not linked; the one kept is the most telling.
#[derive(Default)]
struct Motifs(Option<MotifNonLie>);

impl Motifs {
    /// From the most to the least telling: a place that names the country is about the
    /// country, whatever else it says.
    const ORDRE: [MotifNonLie; 5] = [
        MotifNonLie::MaliEntier,
        MotifNonLie::Ambigu,
        MotifNonLie::HorsMali,
        MotifNonLie::Inconnu,
        MotifNonLie::Illisible,
    ];

    fn noter(&mut self, motif: MotifNonLie) {
        let rang = |m: MotifNonLie| Self::ORDRE.iter().position(|o| *o == m);
        if self.0.is_none_or(|actuel| rang(motif) < rang(actuel)) {
            self.0 = Some(motif);
        }
    }
}

/// What a point designates.
enum DuPoint {
    HorsMali,
    Pays,
    Unite(CollectiviteId),
    /// In Mali, in a place the map cannot tie to any benkan unit.
    Inconnu,
}

fn du_point(cache: &mut Cache<'_>, p: PointIati, lieu: &LieuLu) -> store::Result<DuPoint> {
    let carte = carte::carte();
    let Some(i) = carte.commune_contenant(p.longitude, p.latitude) else {
        return Ok(DuPoint::HorsMali);
    };
    let sens = point::sens(
        p,
        lieu.exactitude.as_deref(),
        lieu.classe.as_deref(),
        lieu.designation.as_deref(),
    );
    let point::Sens::Rang(rang) = sens else {
        return Ok(DuPoint::Pays);
    };
    // The commune's benkan unit, else (for the few the correspondence could not match) the
    // nearest unit around it that has one.
    let code = carte.code_autour(&carte.zones(carte::Echelon::Commune)[i]);
    let Some(unite) = code.map(|c| cache.code(c)).transpose()?.flatten() else {
        return Ok(DuPoint::Inconnu);
    };
    // The deepest unit at that rank or above: Bamako's communes have no cercle.
    let lignee = cache.lignee(unite)?;
    let retenue = lignee.iter().rev().find(|(_, r)| *r <= rang);
    Ok(DuPoint::Unite(retenue.map_or(unite, |(id, _)| *id)))
}

/// The units of `ids` that hold none of the others: of « Mopti » the région and « ML0501 » its
/// cercle, the cercle says more.
fn les_plus_precises(
    cache: &mut Cache<'_>,
    ids: Vec<CollectiviteId>,
) -> store::Result<Vec<CollectiviteId>> {
    let mut uniques: Vec<CollectiviteId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !uniques.contains(&id) {
            uniques.push(id);
        }
    }
    let mut retenues = Vec::with_capacity(uniques.len());
    for &a in &uniques {
        let mut contient_une_autre = false;
        for &b in &uniques {
            if a != b && cache.lignee(b)?.iter().any(|(id, _)| *id == a) {
                contient_une_autre = true;
                break;
            }
        }
        if !contient_une_autre {
            retenues.push(a);
        }
    }
    Ok(retenues)
}

/// The collectivité one name designates, noting why not.
fn par_nom(cache: &mut Cache<'_>, nom: &str, motifs: &mut Motifs) -> Option<CollectiviteId> {
    if nomme_le_pays(nom) {
        motifs.noter(MotifNonLie::MaliEntier);
        return None;
    }
    match cache.nom(nom) {
        Ok(id) => Some(id),
        Err(EchecNom::Ambigu) => {
            motifs.noter(MotifNonLie::Ambigu);
            None
        }
        Err(EchecNom::Inconnu) => {
            motifs.noter(MotifNonLie::Inconnu);
            None
        }
    }
}

/// The collectivités a text lists, if it lists at least `minimum` items; an item links by
/// the first of its readings that names one ([`liste::elements`]).
fn par_liste(
    cache: &mut Cache<'_>,
    texte: &str,
    minimum: usize,
    motifs: &mut Motifs,
) -> Vec<CollectiviteId> {
    let elements = liste::elements(texte);
    let mut trouvees = Vec::new();
    if elements.len() < minimum {
        return trouvees;
    }
    for essais in elements {
        for essai in essais {
            if nomme_le_pays(&essai) {
                motifs.noter(MotifNonLie::MaliEntier);
                break;
            }
            match cache.nom(&essai) {
                Ok(id) => {
                    trouvees.push(id);
                    break;
                }
                Err(EchecNom::Ambigu) => {
                    motifs.noter(MotifNonLie::Ambigu);
                    break;
                }
                Err(EchecNom::Inconnu) => {}
            }
        }
    }
    if trouvees.is_empty() {
        motifs.noter(MotifNonLie::Inconnu);
    }
    trouvees
}

/// A place with what it was linked to, or why not. The means are tried in order of trust —
/// codes, name, lists in the name then in the description, point — and the first that links
/// decides: a point is used only when nothing more explicit names the place.
pub(super) fn rattacher(cache: &mut Cache<'_>, lieu: &LieuLu) -> store::Result<LieuIati> {
    let texte = |n: Option<&crate::model::Narratif>| n.map(|n| n.texte.clone());
    let nom = texte(choisir(&lieu.noms));
    let description = texte(choisir(&lieu.descriptions));
    let point = lieu.point.as_ref().and_then(point::lire);
    let mut motifs = Motifs::default();
    if lieu.point.is_some() && point.is_none() {
        motifs.noter(MotifNonLie::Illisible);
    }

    let mut par_code: Vec<(CollectiviteId, &str)> = Vec::new();
    let mut code_lu: Option<&str> = None;
    for c in lieu.identifiants.iter().chain(&lieu.administratifs) {
        if code_malien(c.vocabulaire.as_deref(), &c.code).is_some() || est_pcode(c) {
            code_lu = code_lu.or(Some(c.code.trim()));
        }
        match lire_code(cache, c)? {
            SensCode::Unite(id) => par_code.push((id, c.code.trim())),
            SensCode::Pays => motifs.noter(MotifNonLie::MaliEntier),
            SensCode::Etranger => motifs.noter(MotifNonLie::HorsMali),
            SensCode::Inconnu => motifs.noter(MotifNonLie::Inconnu),
        }
    }

    let mut explicite: Option<(MethodeLien, Vec<CollectiviteId>)> = None;
    if !par_code.is_empty() {
        let ids = les_plus_precises(cache, par_code.iter().map(|(id, _)| *id).collect())?;
        code_lu = par_code
            .iter()
            .find(|(id, _)| ids.contains(id))
            .map(|(_, code)| *code);
        explicite = Some((MethodeLien::CodeAdministratif, ids));
    }
    // A name that lists places (« Koulikoro, Mopti et Ménaka ») is a list before it is one
    // name with its parent in context (« Baye, cercle de Kéniéba »), which the resolver also
    // reads: it is a list when two of its items or more link.
    if explicite.is_none()
        && let Some(n) = nom.as_deref()
    {
        let ids = par_liste(cache, n, 2, &mut Motifs::default());
        if ids.len() >= 2 {
            explicite = Some((MethodeLien::ListeDeNoms, les_plus_precises(cache, ids)?));
        }
    }
    if explicite.is_none()
        && let Some(id) = nom.as_deref().and_then(|n| par_nom(cache, n, &mut motifs))
    {
        explicite = Some((MethodeLien::Nom, vec![id]));
    }
    for (texte, minimum) in [(&nom, 2), (&description, 1)] {
        if explicite.is_some() {
            break;
        }
        if let Some(t) = texte {
            let ids = par_liste(cache, t, minimum, &mut motifs);
            if !ids.is_empty() {
                explicite = Some((MethodeLien::ListeDeNoms, les_plus_precises(cache, ids)?));
            }
        }
    }

    let rattachement = match (explicite, point) {
        (Some((methode, collectivites)), _) => Rattachement::Lie {
            methode,
            collectivites,
        },
        (None, Some(p)) => match du_point(cache, p, lieu)? {
            DuPoint::Unite(id) => Rattachement::Lie {
                methode: MethodeLien::Point,
                collectivites: vec![id],
            },
            // The most telling reason of all: nothing else need be looked at.
            DuPoint::Pays => Rattachement::NonLie(MotifNonLie::MaliEntier),
            DuPoint::HorsMali => {
                motifs.noter(MotifNonLie::HorsMali);
                Rattachement::NonLie(motifs.0.unwrap_or(MotifNonLie::HorsMali))
            }
            DuPoint::Inconnu => {
                motifs.noter(MotifNonLie::Inconnu);
                Rattachement::NonLie(motifs.0.unwrap_or(MotifNonLie::Inconnu))
            }
        },
        (None, None) => Rattachement::NonLie(motifs.0.unwrap_or(MotifNonLie::Illisible)),
    };
    Ok(LieuIati {
        nom,
        description: description.or_else(|| texte(choisir(&lieu.descriptions_activite))),
        code_administratif: code_lu.map(str::to_owned),
        point,
        exactitude: lieu.exactitude.clone(),
        portee: lieu.portee.clone(),
        rattachement,
    })
}

/// Whether a place has anything to show on a page: a place with nothing is counted, not kept.
pub(super) fn a_montrer(lieu: &LieuIati) -> bool {
    lieu.nom.is_some()
        || lieu.description.is_some()
        || lieu.code_administratif.is_some()
        || lieu.point.is_some()
}
