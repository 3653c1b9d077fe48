//! From counts to an [`Apercu`]: the part of the overview shared by the full count at any
//! date (`calcul`) and the aggregates kept up to date for today (`agregats`), so that both
//! write the same document — sorting, shares, titles, lists — and differ only in how they
//! count.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use time::Date;

use super::realisations::{self, Sommes};
use super::territoire::Territoire;
use super::{
    Apercu, Argent, COORDINATION, Couverture, CouvertureNiveau, EXEMPLES, LigneAnnee,
    LigneAsymetrie, LigneAxe, LigneCoordination, LigneDomaine, LigneEtape, LignePays, LigneTop,
    LigneTransition, LigneZone, Qualite, Reference, Signalement, TOP, Titre, TotalZones,
    ZoneBlanche, en_francs, groupes_de_titres_proches, part,
};
use crate::model::nom::normaliser;
use crate::model::{Axe, Code, Domaine, Etape, Niveau, Pays};
use crate::store;
use crate::store::apercu::{self as sql, LigneCollectivite, Table};

/// A count with its first examples by number (a data-quality list).
pub(super) type Exemples = (u64, Vec<i64>);

/// Everything the overview counts, however it was counted.
#[derive(Default)]
pub(super) struct Comptes {
    /// Public partenariats that are demonstration data.
    pub demonstration: u64,
    pub actifs: u64,
    pub actions: u64,
    pub par_pays: BTreeMap<Pays, u64>,
    /// Distinct active partenariats with a Malian party; distinct counted actions with a
    /// Malian place.
    pub total_regions: TotalZones,
    pub partenariats_par_unite: HashMap<i64, u64>,
    pub actions_par_unite: HashMap<i64, u64>,
    pub argent_par_unite: HashMap<i64, Argent>,
    pub interventions_par_unite: HashMap<i64, u64>,
    /// Candidates for the two top lists (at least the best [`TOP`] of each ordering):
    /// (partenariat, its money, its counted actions).
    pub candidats_argent: Vec<(i64, Argent, u64)>,
    pub candidats_actions: Vec<(i64, Argent, u64)>,
    /// By position in `Axe::TOUS` / `Domaine::TOUS`: counted actions and their money.
    pub par_axe: Vec<(u64, Argent)>,
    pub par_domaine: Vec<(u64, Argent)>,
    /// Counted actions by the year they began; money by the year of each financement.
    pub actions_par_annee: BTreeMap<i32, u64>,
    pub argent_par_annee: BTreeMap<i32, Argent>,
    pub par_etape: HashMap<Option<Etape>, u64>,
    pub transitions: BTreeMap<(i32, Etape), u64>,
    /// How many (place, domaine) pairs have several partenariats, and the first
    /// [`COORDINATION`] of them (most partenariats first).
    pub coordination: (u64, Vec<(i64, u8, Vec<i64>)>),
    pub asymetriques: Vec<(i64, Vec<Niveau>, Vec<Niveau>)>,
    /// Groups of public partenariats with exactly the same parties.
    pub memes_parties: Vec<Vec<i64>>,
    pub echues: Exemples,
    pub non_confirmes: Exemples,
    pub sans_financement: Exemples,
    pub sans_lieu: Exemples,
    pub non_converties: BTreeSet<&'static str>,
    /// What the counted actions achieved, by scope and catalogue indicator.
    pub realisations: Sommes,
    pub actions_mesurees: u64,
    pub resultats_propres: u64,
    pub sans_resultat: Exemples,
}

/// The (place, domaine) pairs met by several partenariats: how many, and the first
/// [`COORDINATION`] by number of partenariats, then place and domaine.
pub(super) fn coordination<'a>(
    rencontres: impl Iterator<Item = (i64, u8, &'a [i64])>,
) -> (u64, Vec<(i64, u8, Vec<i64>)>) {
    let mut plusieurs: Vec<(i64, u8, &[i64])> =
        rencontres.filter(|(.., liste)| liste.len() > 1).collect();
    let total = plusieurs.len() as u64;
    plusieurs.sort_by(|x, y| {
        y.2.len()
            .cmp(&x.2.len())
            .then(x.0.cmp(&y.0))
            .then(x.1.cmp(&y.1))
    });
    plusieurs.truncate(COORDINATION);
    let premieres = plusieurs
        .into_iter()
        .map(|(lieu, domaine, liste)| {
            let mut liste = liste.to_vec();
            liste.sort_unstable();
            (lieu, domaine, liste)
        })
        .collect();
    (total, premieres)
}

/// The count and the first [`EXEMPLES`] of ids given in increasing order.
pub(super) fn exemples(ids: impl Iterator<Item = i64>) -> Exemples {
    let mut total = 0;
    let mut premiers = Vec::new();
    for id in ids {
        total += 1;
        if premiers.len() < EXEMPLES {
            premiers.push(id);
        }
    }
    (total, premiers)
}

fn titres(
    conn: &rusqlite::Connection,
    table: Table,
    ids: &[i64],
) -> store::Result<HashMap<i64, String>> {
    Ok(sql::titres(conn, table, ids)?.into_iter().collect())
}

fn signalement(
    conn: &rusqlite::Connection,
    table: Table,
    (total, ids): &Exemples,
) -> store::Result<Signalement> {
    let (genre, table_titres) = match table {
        Table::Partenariat => ("partenariats", titres(conn, table, ids)?),
        Table::Action => ("actions", titres(conn, table, ids)?),
    };
    Ok(Signalement {
        total: *total,
        exemples: ids
            .iter()
            .map(|id| Titre {
                id: *id,
                titre: table_titres.get(id).cloned().unwrap_or_default(),
                lien: format!("/{genre}/{id}"),
            })
            .collect(),
    })
}

/// The first [`TOP`] of `candidats` in the order `ordre`.
fn top(
    mut candidats: Vec<(i64, Argent, u64)>,
    ordre: impl Fn(&LigneTop, &LigneTop) -> std::cmp::Ordering,
) -> Vec<LigneTop> {
    let mut lignes: Vec<LigneTop> = candidats
        .drain(..)
        .map(|(id, argent, actions)| LigneTop {
            id,
            titre: String::new(),
            argent: argent.montants(),
            actions,
        })
        .collect();
    lignes.sort_by(ordre);
    lignes.truncate(TOP);
    lignes
}

/// The order of the « most money » list: known money first, most first, then most actions.
pub(super) fn ordre_argent(x: &LigneTop, y: &LigneTop) -> std::cmp::Ordering {
    let (x_m, y_m) = (x.argent.montant_eur, y.argent.montant_eur);
    y_m.is_some()
        .cmp(&x_m.is_some())
        .then(y_m.cmp(&x_m))
        .then(y.actions.cmp(&x.actions))
        .then(x.id.cmp(&y.id))
}

fn ordre_actions(x: &LigneTop, y: &LigneTop) -> std::cmp::Ordering {
    y.actions.cmp(&x.actions).then(x.id.cmp(&y.id))
}

fn zones(t: &Territoire, c: &Comptes) -> [Vec<LigneZone>; 3] {
    let (mut par_region, mut par_cercle, mut par_commune) = (Vec::new(), Vec::new(), Vec::new());
    for u in &t.unites {
        let partenariats = c.partenariats_par_unite.get(&u.id).copied().unwrap_or(0);
        let actions = c.actions_par_unite.get(&u.id).copied().unwrap_or(0);
        let interventions = c.interventions_par_unite.get(&u.id).copied().unwrap_or(0);
        if partenariats == 0 && actions == 0 && interventions == 0 {
            continue;
        }
        let argent = c.argent_par_unite.get(&u.id);
        let ligne = LigneZone {
            id: u.id,
            region: u.nom.clone(),
            code: u.code.clone(),
            dans: t.region_de.get(&u.id).and_then(|r| t.nom(*r)),
            partenariats,
            actions,
            part_partenariats: part(partenariats, c.total_regions.partenariats),
            part_actions: part(actions, c.total_regions.actions),
            montant_eur: argent.and_then(Argent::mobilise),
            montant_xof: en_francs(argent.and_then(Argent::mobilise)),
            montant_incomplet: argent.is_some_and(|a| a.incomplet),
            interventions,
        };
        match u.niveau {
            Niveau::Region | Niveau::District => par_region.push(ligne),
            Niveau::Cercle => par_cercle.push(ligne),
            _ => par_commune.push(ligne),
        }
    }
    let mut listes = [par_region, par_cercle, par_commune];
    for liste in &mut listes {
        // most actions, then most partenariats, then by name (each name normalised once)
        liste.sort_by_cached_key(|z| {
            (
                std::cmp::Reverse(z.actions),
                std::cmp::Reverse(z.partenariats),
                normaliser(&z.region),
            )
        });
    }
    listes
}

fn couverture(t: &Territoire, c: &Comptes) -> (Couverture, Vec<ZoneBlanche>) {
    let couverte = |u: &LigneCollectivite| c.partenariats_par_unite.contains_key(&u.id);
    let niveaux: [(&'static str, &[Niveau]); 3] = [
        ("region", &[Niveau::Region, Niveau::District]),
        ("cercle", &[Niveau::Cercle]),
        ("commune", &[Niveau::Commune]),
    ];
    let par_niveau: Vec<CouvertureNiveau> = niveaux
        .iter()
        .map(|(nom, niveaux)| {
            let du_niveau: Vec<&LigneCollectivite> = t
                .unites
                .iter()
                .filter(|u| niveaux.contains(&u.niveau))
                .collect();
            let avec = du_niveau.iter().filter(|u| couverte(u)).count() as u64;
            CouvertureNiveau {
                niveau: nom,
                collectivites: du_niveau.len() as u64,
                avec_partenariat: avec,
                part: part(avec, du_niveau.len() as u64),
            }
        })
        .collect();
    let couverture = Couverture {
        collectivites: par_niveau[2].collectivites,
        avec_partenariat: par_niveau[2].avec_partenariat,
        part: par_niveau[2].part,
        par_niveau,
    };
    // by région, the régions in the order of their normalised names
    let mut blanches: HashMap<Option<i64>, ZoneBlanche> = HashMap::new();
    for u in t
        .unites
        .iter()
        .filter(|u| u.niveau == Niveau::Commune && !couverte(u))
    {
        let region = t
            .region_de
            .get(&u.id)
            .and_then(|r| t.index.get(r))
            .map(|i| &t.unites[*i]);
        blanches
            .entry(region.map(|r| r.id))
            .or_insert_with(|| ZoneBlanche {
                region: region
                    .map(|r| r.nom.clone())
                    .unwrap_or_else(|| "Sans région".to_owned()),
                code: region.and_then(|r| r.code.clone()),
                communes: Vec::new(),
            })
            .communes
            .push(Reference {
                id: u.id,
                nom: u.nom.clone(),
                code: u.code.clone(),
            });
    }
    let mut blanches: Vec<ZoneBlanche> = blanches.into_values().collect();
    blanches.sort_by_cached_key(|z| normaliser(&z.region));
    (couverture, blanches)
}

fn etapes(c: &Comptes) -> Vec<LigneEtape> {
    let mut etapes: Vec<LigneEtape> = Etape::TOUS
        .iter()
        .map(|e| {
            let n = c.par_etape.get(&Some(*e)).copied().unwrap_or(0);
            LigneEtape {
                etape: e.code(),
                libelle: e.libelle(),
                partenariats: n,
                part: part(n, c.actifs),
            }
        })
        .collect();
    let inconnue = c.par_etape.get(&None).copied().unwrap_or(0);
    etapes.push(LigneEtape {
        etape: "non_renseignee",
        libelle: "Non renseignée",
        partenariats: inconnue,
        part: part(inconnue, c.actifs),
    });
    etapes
}

fn par_annee(c: &Comptes) -> Vec<LigneAnnee> {
    let annees: BTreeSet<i32> = c
        .actions_par_annee
        .keys()
        .chain(c.argent_par_annee.keys())
        .copied()
        .collect();
    annees
        .into_iter()
        .map(|annee| {
            let argent = c.argent_par_annee.get(&annee).copied().unwrap_or_default();
            LigneAnnee {
                annee,
                actions: c.actions_par_annee.get(&annee).copied().unwrap_or(0),
                engagements_eur: argent.engagements,
                engagements_xof: en_francs(argent.engagements),
                decaissements_eur: argent.decaissements,
                decaissements_xof: en_francs(argent.decaissements),
            }
        })
        .collect()
}

/// The overview at `date` from its counts; reads only the titles it shows.
pub(super) fn assembler(
    conn: &rusqlite::Connection,
    date: Date,
    t: &Territoire,
    mut c: Comptes,
) -> store::Result<Apercu> {
    let mut par_pays: Vec<LignePays> = c
        .par_pays
        .iter()
        .map(|(pays, n)| LignePays {
            pays: pays.code().to_owned(),
            nom: pays.nom().to_owned(),
            partenariats: *n,
            part: part(*n, c.actifs),
        })
        .collect();
    par_pays.sort_by(|x, y| {
        y.partenariats
            .cmp(&x.partenariats)
            .then(x.pays.cmp(&y.pays))
    });
    let [par_region, par_cercle, par_commune] = zones(t, &c);

    let mut par_argent = top(std::mem::take(&mut c.candidats_argent), ordre_argent);
    let mut par_actions = top(std::mem::take(&mut c.candidats_actions), ordre_actions);
    let asymetries_ids: Vec<i64> = c.asymetriques.iter().map(|(id, ..)| *id).collect();
    let doublons_ids: Vec<i64> = c.memes_parties.iter().flatten().copied().collect();
    let a_nommer: Vec<i64> = par_argent
        .iter()
        .chain(&par_actions)
        .map(|l| l.id)
        .chain(asymetries_ids.iter().copied())
        .chain(doublons_ids.iter().copied())
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    let noms = titres(conn, Table::Partenariat, &a_nommer)?;
    for ligne in par_argent.iter_mut().chain(par_actions.iter_mut()) {
        ligne.titre = noms.get(&ligne.id).cloned().unwrap_or_default();
    }

    let par_axe = Axe::TOUS
        .iter()
        .map(|axe| {
            let (n, argent) = c.par_axe[*axe as usize];
            LigneAxe {
                axe: axe.code(),
                libelle: axe.libelle(),
                actions: n,
                part: part(n, c.actions),
                montant_eur: argent.mobilise(),
                montant_xof: en_francs(argent.mobilise()),
            }
        })
        .collect();
    let par_domaine = Domaine::TOUS
        .iter()
        .filter(|d| c.par_domaine[**d as usize].0 > 0)
        .map(|d| {
            let (n, argent) = c.par_domaine[*d as usize];
            LigneDomaine {
                domaine: d.code(),
                libelle: d.libelle(),
                code_cad: d.code_cad(),
                actions: n,
                montant_eur: argent.mobilise(),
                montant_xof: en_francs(argent.mobilise()),
            }
        })
        .collect();
    // Each financement has one year: the years together hold all the money once.
    let mut tout = Argent::default();
    for argent in c.argent_par_annee.values() {
        tout.cumuler(argent);
    }
    let transitions = c
        .transitions
        .iter()
        .map(|((annee, etape), n)| LigneTransition {
            annee: *annee,
            etape: etape.code(),
            partenariats: *n,
        })
        .collect();
    let (couverture, zones_blanches) = couverture(t, &c);
    let coordination = std::mem::take(&mut c.coordination.1)
        .into_iter()
        .map(|(lieu, domaine, partenariats)| LigneCoordination {
            lieu_id: lieu,
            lieu: t.nom(lieu).unwrap_or_else(|| format!("n° {lieu}")),
            domaine: Domaine::TOUS[usize::from(domaine)].code(),
            partenariats,
        })
        .collect();
    let asymetries = c
        .asymetriques
        .iter()
        .map(|(id, maliens, etrangers)| LigneAsymetrie {
            id: *id,
            titre: noms.get(id).cloned().unwrap_or_default(),
            niveaux_maliens: maliens.iter().map(|n| n.code()).collect(),
            niveaux_etrangers: etrangers.iter().map(|n| n.code()).collect(),
        })
        .collect();
    let doublons_probables = c
        .memes_parties
        .iter()
        .flat_map(|groupe| {
            let avec_titres: Vec<(i64, String)> = groupe
                .iter()
                .map(|id| (*id, noms.get(id).cloned().unwrap_or_default()))
                .collect();
            groupes_de_titres_proches(&avec_titres)
        })
        .map(|groupe| {
            groupe
                .into_iter()
                .map(|(id, titre)| Titre {
                    id,
                    titre,
                    lien: format!("/partenariats/{id}"),
                })
                .collect()
        })
        .collect();
    let qualite = Qualite {
        actions_echues_en_cours: signalement(conn, Table::Action, &c.echues)?,
        partenariats_non_confirmes: signalement(conn, Table::Partenariat, &c.non_confirmes)?,
        doublons_probables,
        actions_sans_financement: signalement(conn, Table::Action, &c.sans_financement)?,
        actions_sans_lieu: signalement(conn, Table::Action, &c.sans_lieu)?,
        actions_terminees_sans_resultat: signalement(conn, Table::Action, &c.sans_resultat)?,
    };

    Ok(Apercu {
        date: date.to_string(),
        jour: date,
        division: format!(
            "Mali : découpage territorial de 2016 (référentiel benkan {}) ; pays partenaires en codes ISO 3166-1",
            crate::referentiel::VERSION
        ),
        partenariats_demonstration: c.demonstration,
        partenariats_actifs: c.actifs,
        actions: c.actions,
        par_pays,
        par_region,
        total_regions: c.total_regions.clone(),
        par_cercle,
        par_commune,
        top_partenariats: par_argent,
        plus_actifs: par_actions,
        par_axe,
        par_domaine,
        par_annee: par_annee(&c),
        financements: tout.montants(),
        etapes: etapes(&c),
        transitions,
        couverture,
        zones_blanches,
        coordination,
        coordination_total: c.coordination.0,
        asymetries,
        realisations: realisations::assembler(
            t,
            &c.realisations,
            c.actions_mesurees,
            c.resultats_propres,
        ),
        qualite,
        devises_non_converties: c.non_converties.iter().map(|d| (*d).to_owned()).collect(),
        bourse: store::bourse::chiffres(conn, date)?,
    })
}
