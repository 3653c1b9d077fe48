//! The public list of partenariats: filters, text search and sort orders, shared by the web
//! page, the API and the tests so that they always agree.

use std::collections::HashSet;

use rusqlite::types::ToSql;
use rusqlite::{Connection, params};
use time::Date;

use super::{COLONNES, lire, parties};
use crate::model::nom::normaliser;
use crate::model::{
    CodeInconnu, CollectiviteId, Etape, Partenariat, Parties, Pays, StatutPartenariat, vocabulaire,
};
use crate::store::{Page, Pagine, Result};

/// A partenariat as a line of a list: its parties and the étape reached at the query's date.
#[derive(Debug, Clone)]
pub struct PartenariatResume {
    pub partenariat: Partenariat,
    pub etape: Option<Etape>,
    /// Since when that étape is reached.
    pub etape_depuis: Option<Date>,
    pub parties: Parties,
}

/// The étape filter: an étape reached at the query's date, or none reached yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FiltreEtape {
    Atteinte(Etape),
    NonRenseignee,
}

impl FiltreEtape {
    /// The code of « non renseignée » in URLs, beside the étapes' own codes.
    pub const NON_RENSEIGNEE: &'static str = "non_renseignee";

    /// Parses `etape=amitie` or `etape=non_renseignee`, or says which codes are accepted.
    pub fn depuis_code(code: &str) -> std::result::Result<FiltreEtape, CodeInconnu> {
        if code == Self::NON_RENSEIGNEE {
            return Ok(FiltreEtape::NonRenseignee);
        }
        <Etape as crate::model::Code>::depuis_code(code)
            .map(FiltreEtape::Atteinte)
            .map_err(|mut e| {
                e.attendus.push(Self::NON_RENSEIGNEE);
                e
            })
    }

    /// The code this filter travels as.
    pub fn code(self) -> &'static str {
        match self {
            FiltreEtape::Atteinte(e) => e.code(),
            FiltreEtape::NonRenseignee => Self::NON_RENSEIGNEE,
        }
    }
}

vocabulaire! {
    /// The orders of the list. A leading « - » reads from the largest: the most advanced
    /// étape, the most recent date, the largest amount. Records whose étape, date or amount
    /// is unknown come last in both directions: an unknown is not a zero.
    TriPartenariats, champ = "tri" {
        NomCroissant => ("nom", "Nom, de A à Z"),
        NomDecroissant => ("-nom", "Nom, de Z à A"),
        EtapeDecroissante => ("-etape", "Étape la plus avancée"),
        EtapeCroissante => ("etape", "Étape la moins avancée"),
        DateDecroissante => ("-date", "Date d'étape la plus récente"),
        DateCroissante => ("date", "Date d'étape la plus ancienne"),
        MontantDecroissant => ("-montant", "Montant mobilisé le plus élevé"),
        MontantCroissant => ("montant", "Montant mobilisé le plus faible"),
    }
}

/// The filters of a list of partenariats.
#[derive(Debug, Clone)]
pub struct PartenariatQuery {
    /// A foreign party is in this country.
    pub pays: Option<Pays>,
    /// A party is this collectivité or lies within it (a région and its cercles and communes).
    pub zone: Option<CollectiviteId>,
    /// The étape reached at `date`, or none.
    pub etape: Option<FiltreEtape>,
    pub statut: Option<StatutPartenariat>,
    /// Words to find in the title, the parties' names or the intermediaries' names, in any
    /// case and with or without accents; each word may be the start of a word (« seg »).
    pub texte: Option<String>,
    pub tri: TriPartenariats,
    /// The date at which étapes are read.
    pub date: Date,
    pub page: Page,
}

/// The étape reached at ?5, as a correlated subquery returning `colonne` of the étape.
fn etape_atteinte(colonne: &str) -> String {
    format!(
        "(SELECT e.{colonne} FROM etape e WHERE e.partenariat_id = p.id AND e.depuis <= ?5
          ORDER BY e.depuis DESC LIMIT 1)"
    )
}

/// The money a partenariat mobilises, in euro cents: the larger of its commitments and its
/// disbursements (the observatory's rule, `observatoire::Argent::mobilise`), the franc CFA at
/// its fixed parity and other currencies at the latest rate in force on 31 December of the
/// financement's year; NULL when nothing is recorded or nothing could be converted.
const MOBILISE: &str = "(SELECT CASE WHEN eng IS NULL THEN decaisse WHEN decaisse IS NULL THEN eng
                                     ELSE max(eng, decaisse) END
     FROM (SELECT sum(CASE WHEN f.type = 'engagement' THEN eur END) AS eng,
                  sum(CASE WHEN f.type = 'decaissement' THEN eur END) AS decaisse
           FROM (SELECT f.type, CASE f.devise
                        WHEN 'EUR' THEN f.montant
                        WHEN 'XOF' THEN f.montant * 100000.0 / 655957
                        ELSE f.montant * (SELECT t.numerateur * 1.0 / t.denominateur FROM taux_change t
                                          WHERE t.devise = f.devise AND t.depuis <= f.annee || '-12-31'
                                          ORDER BY t.depuis DESC LIMIT 1) END AS eur
                 FROM financement f
                 WHERE f.action_id IN (SELECT a.id FROM action_publiee a WHERE a.partenariat_id = p.id)) f))";

impl TriPartenariats {
    /// The ORDER BY of this order; the title and the id break ties, so pages never overlap.
    fn order_by(self) -> String {
        let (cle, sens) = match self {
            TriPartenariats::NomCroissant => return "p.titre_tri, p.id".to_owned(),
            TriPartenariats::NomDecroissant => return "p.titre_tri DESC, p.id DESC".to_owned(),
            TriPartenariats::EtapeCroissante => (etape_atteinte("rang"), ""),
            TriPartenariats::EtapeDecroissante => (etape_atteinte("rang"), " DESC"),
            TriPartenariats::DateCroissante => (etape_atteinte("depuis"), ""),
            TriPartenariats::DateDecroissante => (etape_atteinte("depuis"), " DESC"),
            TriPartenariats::MontantCroissant => (MOBILISE.to_owned(), ""),
            TriPartenariats::MontantDecroissant => (MOBILISE.to_owned(), " DESC"),
        };
        format!("{cle} IS NULL, {cle}{sens}, p.titre_tri, p.id")
    }
}

/// The FTS5 query of what a visitor typed: each word, normalised as names are, must start a
/// word of the partenariat's text. Only letters and digits remain, so nothing the visitor
/// types can be read as FTS5 syntax. `None` when nothing searchable is left.
fn requete_plein_texte(texte: &str) -> Option<String> {
    let mots: Vec<String> = normaliser(texte)
        .split(' ')
        .filter(|m| !m.is_empty())
        .map(|m| format!("\"{m}\"*"))
        .collect();
    (!mots.is_empty()).then(|| mots.join(" "))
}

/// The ids of the partenariats whose text holds every word of `texte` (as the list's search
/// reads it): none when nothing searchable is left.
pub fn trouves(conn: &Connection, texte: &str) -> Result<HashSet<i64>> {
    let Some(requete) = requete_plein_texte(texte) else {
        return Ok(HashSet::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM partenariat_recherche WHERE partenariat_recherche MATCH ?1",
    )?;
    let ids = stmt.query_map([requete], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

impl PartenariatQuery {
    /// No filter, sorted by name, first page, étapes read at `date`.
    pub fn new(date: Date) -> Self {
        PartenariatQuery {
            pays: None,
            zone: None,
            etape: None,
            statut: None,
            texte: None,
            tri: TriPartenariats::NomCroissant,
            date,
            page: Page::default(),
        }
    }

    /// The matching partenariats, one page of them. The country and the zone are IN sets
    /// computed once: a correlated EXISTS per partenariat took 2.2 s for the Kayes région over
    /// 100,000 partenariats, this takes 40 ms (`cargo bench --bench pages`); the zone's units
    /// are read from the closed hierarchy (`collectivite_ancetre`, migration 0019). The text search
    /// reads the full-text index (migration 0018), never the rows one by one.
    pub fn lister(&self, conn: &Connection) -> Result<Pagine<PartenariatResume>> {
        let etape = etape_atteinte("etape");
        // CROSS JOIN keeps the parties outside: without it SQLite walked the 40,000
        // collectivités for their country (30 ms per view of `/partenariats?pays=FR`).
        let mut filtre = format!(
            "(?1 IS NULL OR p.id IN (SELECT pa.partenariat_id FROM partie pa
                                     CROSS JOIN collectivite c ON c.id = pa.collectivite_id
                                     WHERE c.pays = ?1 AND c.pays <> 'ML'))
             AND (?2 IS NULL OR p.id IN (SELECT pa.partenariat_id FROM collectivite_ancetre z
                                         JOIN partie pa ON pa.collectivite_id = z.collectivite_id
                                         WHERE z.ancetre_id = ?2))
             AND (?3 IS NULL OR coalesce({etape}, '{}') = ?3)
             AND (?4 IS NULL OR p.statut = ?4)",
            FiltreEtape::NON_RENSEIGNEE
        );
        let plein_texte = self.texte.as_deref().map(requete_plein_texte);
        let etape_code = self.etape.map(FiltreEtape::code);
        let statut_code = self.statut.map(StatutPartenariat::code);
        let mut parametres: Vec<&dyn ToSql> =
            params![self.pays, self.zone, etape_code, statut_code, self.date,].to_vec();
        match &plein_texte {
            None => {}
            // Words that are all punctuation match nothing rather than everything.
            Some(None) => filtre.push_str(" AND 0"),
            Some(Some(requete)) => {
                filtre.push_str(
                    " AND p.id IN (SELECT rowid FROM partenariat_recherche
                                   WHERE partenariat_recherche MATCH ?6)",
                );
                parametres.push(requete);
            }
        }
        // a country alone: its count is kept by triggers (migration 0019)
        let pays_seul = self.zone.is_none()
            && self.etape.is_none()
            && self.statut.is_none()
            && self.texte.is_none();
        let total: u64 = match self.pays {
            Some(pays) if pays_seul && pays != Pays::MALI => conn
                .prepare_cached(
                    "SELECT coalesce(sum(partenariats), 0) FROM pays_compteur WHERE pays = ?1",
                )?
                .query_row([pays], |r| r.get(0))?,
            _ => conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM partenariat_publie p WHERE {filtre}"
                ))?
                .query_row(parametres.as_slice(), |r| r.get(0))?,
        };
        let sql = format!(
            "SELECT {COLONNES}, {etape} AS etape_actuelle, {} AS etape_depuis
             FROM partenariat_publie p WHERE {filtre}
             ORDER BY {} LIMIT {} OFFSET {}",
            etape_atteinte("depuis"),
            self.tri.order_by(),
            self.page.limit(),
            self.page.offset()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let lignes = stmt
            .query_map(parametres.as_slice(), |row| {
                Ok((
                    lire(row)?,
                    crate::store::sql::code_facultatif(row, "etape_actuelle")?,
                    row.get("etape_depuis")?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let elements = lignes
            .into_iter()
            .map(|(partenariat, etape, etape_depuis)| {
                let parties = parties(conn, partenariat.id)?;
                Ok(PartenariatResume {
                    partenariat,
                    etape,
                    etape_depuis,
                    parties,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Pagine {
            elements,
            total,
            page: self.page,
        })
    }
}

#[cfg(test)]
#[allow(clippy::inconsistent_digit_grouping)] // amounts in cents read as euros_cents
mod tests {
    use time::macros::date;

    use super::*;
    use crate::model::{
        Devise, EtapeDatee, Montant, Niveau, NouveauFinancement, NouveauPartenariat, NouvelActeur,
        NouvelleCollectivite, PartenariatId, RoleIntermediaire, TypeFinancement, TypeOrganisation,
    };
    use crate::store::{acteur, action, collectivite, essai, financement, partenariat};

    /// Four partenariats: two with étapes, two with money (one in a currency without a rate,
    /// so of unknown amount), one carried by a committee whose name only the search knows.
    struct Jeu {
        cooperation: PartenariatId,
        evry: PartenariatId,
        sans_chiffres: PartenariatId,
        zeta: PartenariatId,
    }

    fn jeu(conn: &Connection) -> Jeu {
        let commune = |pays, nom| {
            collectivite::inserer(conn, NouvelleCollectivite::new(pays, Niveau::Commune, nom))
                .unwrap()
        };
        let (segou, kayes) = (commune(Pays::MALI, "Ségou"), commune(Pays::MALI, "Kayes"));
        let (angers, evry) = (
            commune(Pays::FRANCE, "Angers"),
            commune(Pays::FRANCE, "Évry"),
        );
        let creer = |titre: &str, parties: Vec<CollectiviteId>| {
            partenariat::creer(
                conn,
                NouveauPartenariat::new(titre, StatutPartenariat::Actif, parties),
            )
            .unwrap()
        };
        let cooperation = creer("Coopération Angers – Ségou", vec![segou, angers]);
        let evry_kayes = creer("Évry – Kayes", vec![kayes, evry]);
        let sans_chiffres = creer("Relation sans chiffres", vec![kayes, angers]);
        let zeta = creer("Zeta", vec![segou, evry]);
        let etape = |p, etape, depuis| {
            partenariat::ajouter_etape(
                conn,
                p,
                EtapeDatee {
                    etape,
                    depuis,
                    note: None,
                },
            )
            .unwrap()
        };
        etape(cooperation, Etape::Amitie, date!(1990 - 01 - 01));
        etape(
            cooperation,
            Etape::JumelageCooperation,
            date!(2005 - 06 - 01),
        );
        etape(evry_kayes, Etape::Amitie, date!(2010 - 01 - 01));
        // Reached after the query's date: not reached yet.
        etape(zeta, Etape::Amitie, date!(2030 - 01 - 01));
        let source = acteur::creer(
            conn,
            NouvelActeur {
                nom: "Comité de jumelage Fénélon".into(),
                type_organisation: TypeOrganisation::Autre,
                identifiant_iati: None,
                pays: None,
                collectivite: None,
            },
        )
        .unwrap();
        partenariat::ajouter_intermediaire(
            conn,
            sans_chiffres,
            source,
            RoleIntermediaire::ComiteJumelage,
            None,
        )
        .unwrap();
        let argent = |p, type_financement, unites, devise| {
            let a = action::creer(conn, essai::puits(p, vec![])).unwrap();
            financement::creer(
                conn,
                NouveauFinancement {
                    action: a,
                    source,
                    type_financement,
                    montant: Montant::new(unites, devise).unwrap(),
                    annee: 2020,
                },
            )
            .unwrap();
        };
        // 1,000,000 € in francs CFA, against 500,000 € paid out (and 100 € committed).
        argent(
            cooperation,
            TypeFinancement::Engagement,
            655_957_000,
            Devise::Xof,
        );
        argent(
            evry_kayes,
            TypeFinancement::Decaissement,
            500_000_00,
            Devise::Eur,
        );
        argent(evry_kayes, TypeFinancement::Engagement, 100_00, Devise::Eur);
        // No rate for the dollar: unknown, not zero.
        argent(zeta, TypeFinancement::Engagement, 1_000_00, Devise::Usd);
        Jeu {
            cooperation,
            evry: evry_kayes,
            sans_chiffres,
            zeta,
        }
    }

    fn ids(conn: &Connection, modifier: impl FnOnce(&mut PartenariatQuery)) -> Vec<PartenariatId> {
        let mut q = PartenariatQuery::new(date!(2026 - 01 - 01));
        modifier(&mut q);
        let liste = q.lister(conn).unwrap();
        let ids: Vec<PartenariatId> = liste.elements.iter().map(|r| r.partenariat.id).collect();
        assert_eq!(liste.total, ids.len() as u64, "one page holds them all");
        ids
    }

    fn cherche(conn: &Connection, texte: &str) -> Vec<PartenariatId> {
        ids(conn, |q| q.texte = Some(texte.into()))
    }

    #[test]
    fn the_search_ignores_case_and_accents_and_reads_the_parties_names() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let j = jeu(&conn);
        assert_eq!(cherche(&conn, "segou"), vec![j.cooperation, j.zeta]);
        assert_eq!(cherche(&conn, "SÉGOU"), cherche(&conn, "segou"));
        assert_eq!(
            cherche(&conn, "seg"),
            cherche(&conn, "segou"),
            "a word's start"
        );
        // Names of parties that the titles do not carry.
        assert_eq!(cherche(&conn, "kayes"), vec![j.evry, j.sans_chiffres]);
        assert_eq!(cherche(&conn, "EVRY"), vec![j.evry, j.zeta]);
        // Every word must be found, in the title or the names.
        assert_eq!(cherche(&conn, "angers kayes"), vec![j.sans_chiffres]);
        assert_eq!(cherche(&conn, "  Angers–Ségou "), vec![j.cooperation]);
        // The intermediaries' names too.
        assert_eq!(cherche(&conn, "fenelon"), vec![j.sans_chiffres]);
        // FTS5 syntax is never read from what is typed.
        assert!(cherche(&conn, "\"*").is_empty());
        assert!(cherche(&conn, "NEAR(kayes) OR").is_empty());
        assert!(cherche(&conn, "bamako").is_empty());
    }

    #[test]
    fn the_search_follows_renamings_and_parties_in_the_same_transaction() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let j = jeu(&conn);
        conn.execute(
            "UPDATE collectivite SET nom = 'Évry-Courcouronnes' WHERE nom = 'Évry'",
            [],
        )
        .unwrap();
        assert_eq!(cherche(&conn, "courcouronnes"), vec![j.evry, j.zeta]);
        let bamako = collectivite::inserer(
            &conn,
            NouvelleCollectivite::new(Pays::MALI, Niveau::District, "Bamako"),
        )
        .unwrap();
        partenariat::ajouter_partie(&conn, j.zeta, bamako).unwrap();
        assert_eq!(cherche(&conn, "bamako"), vec![j.zeta]);
        partenariat::retirer_partie(&conn, j.zeta, bamako).unwrap();
        assert!(cherche(&conn, "bamako").is_empty());
        partenariat::changer_champs(&conn, j.zeta, "Omega", None, StatutPartenariat::Actif)
            .unwrap();
        assert!(cherche(&conn, "zeta").is_empty());
        assert_eq!(cherche(&conn, "omega"), vec![j.zeta]);
    }

    #[test]
    fn each_order_puts_the_unknowns_last() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let Jeu {
            cooperation: a,
            evry: b,
            sans_chiffres: c,
            zeta: d,
        } = jeu(&conn);
        let trie = |tri| ids(&conn, |q| q.tri = tri);
        use TriPartenariats::*;
        assert_eq!(trie(NomCroissant), vec![a, b, c, d]);
        assert_eq!(trie(NomDecroissant), vec![d, c, b, a]);
        assert_eq!(trie(EtapeDecroissante), vec![a, b, c, d]);
        assert_eq!(trie(EtapeCroissante), vec![b, a, c, d]);
        assert_eq!(trie(DateDecroissante), vec![b, a, c, d]);
        assert_eq!(trie(DateCroissante), vec![a, b, c, d]);
        // 1,000,000 € committed in francs CFA, then 500,000 € paid out; no money and money
        // in a currency without a rate are both unknown.
        assert_eq!(trie(MontantDecroissant), vec![a, b, c, d]);
        assert_eq!(trie(MontantCroissant), vec![b, a, c, d]);
    }

    #[test]
    fn the_etape_filter_knows_non_renseignee() {
        let (_dossier, store) = essai::base();
        let conn = store.connexion().unwrap();
        let j = jeu(&conn);
        let filtre = |f| ids(&conn, |q| q.etape = Some(f));
        assert_eq!(
            filtre(FiltreEtape::NonRenseignee),
            vec![j.sans_chiffres, j.zeta],
            "an étape of 2030 is not reached in 2026"
        );
        assert_eq!(filtre(FiltreEtape::Atteinte(Etape::Amitie)), vec![j.evry]);
        assert_eq!(
            FiltreEtape::depuis_code("non_renseignee"),
            Ok(FiltreEtape::NonRenseignee)
        );
        let erreur = FiltreEtape::depuis_code("aucune").unwrap_err();
        assert!(erreur.attendus.contains(&"non_renseignee"));
        assert!(erreur.attendus.contains(&"amitie"));
        // Search, filter and order together.
        let ensemble = ids(&conn, |q| {
            q.texte = Some("kayes".into());
            q.etape = Some(FiltreEtape::NonRenseignee);
            q.tri = TriPartenariats::NomDecroissant;
        });
        assert_eq!(ensemble, vec![j.sans_chiffres]);
    }
}
