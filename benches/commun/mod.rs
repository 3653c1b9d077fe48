//! The synthetic national-scale database that the benchmarks share, and how they time.
//!
//! It is generated deterministically — 100,000 partenariats and 1,000,000 actions (or
//! `BENKAN_BENCH_PARTENARIATS` and ten times as many actions) over the
//! real référentiel, every partenariat titled « Synthétique n° … » and flagged as
//! demonstration data — and kept in `target/tmp/bench-apercu.db` (or the file
//! `BENKAN_BENCH_DB` names, so that several worktrees share one base) so that later runs
//! skip the generation; delete it to start again. An existing file is opened with
//! [`Store::ouvrir`], which applies the migrations added since it was generated, and given
//! results if it has none ([`ajouter_resultats`]).

use std::path::PathBuf;
use std::time::Instant;

use benkan::model::*;
use benkan::referentiel;
use benkan::store::{Store, acteur, action, financement, partenariat};
use rusqlite::Connection;
use time::Date;

/// How many partenariats: 100,000 unless `BENKAN_BENCH_PARTENARIATS` says otherwise (each
/// size is kept in its own file).
fn partenariats() -> u64 {
    std::env::var("BENKAN_BENCH_PARTENARIATS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(100_000)
}
const ACTIONS_PAR_PARTENARIAT: u64 = 10;

/// A small deterministic generator (64-bit LCG): the same dataset on every machine.
struct Hasard(u64);

impl Hasard {
    fn suivant(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn parmi<'a, T>(&mut self, liste: &'a [T]) -> &'a T {
        &liste[self.suivant() as usize % liste.len()]
    }
}

fn ids(conn: &Connection, sql: &str) -> Vec<CollectiviteId> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get::<_, i64>(0))
        .unwrap()
        .map(|r| CollectiviteId(r.unwrap()))
        .collect()
}

fn generer(conn: &Connection) {
    referentiel::charger(conn).unwrap();
    let kayes = ids(
        conn,
        "SELECT id FROM collectivite WHERE pays = 'ML' AND niveau = 'commune' AND code LIKE 'ML-1-%'",
    );
    let ailleurs = ids(
        conn,
        "SELECT id FROM collectivite WHERE pays = 'ML' AND niveau = 'commune' AND code NOT LIKE 'ML-1-%'",
    );
    let francaises = ids(
        conn,
        "SELECT id FROM collectivite WHERE pays = 'FR' AND niveau = 'commune' AND valide_au IS NULL",
    );
    let mut h = Hasard(20_261_129);
    // Through the store's own functions, triggers and checks, but as a bulk load: a cache
    // that holds the whole base (the default 2 MB made every insert read its index pages
    // back from a WAL of gigabytes), statement journals in memory, no fsync, and a commit
    // every thousand partenariats so that the WAL is checkpointed as it goes.
    conn.execute_batch(
        "PRAGMA cache_size = -2000000; PRAGMA temp_store = MEMORY; PRAGMA synchronous = OFF; BEGIN",
    )
    .unwrap();
    let debut = Instant::now();
    let source = acteur::creer(
        conn,
        NouvelActeur {
            nom: "Bailleur synthétique".into(),
            type_organisation: TypeOrganisation::GouvernementLocal,
            identifiant_iati: None,
            pays: None,
            collectivite: None,
        },
    )
    .unwrap();
    let statuts = [StatutPartenariat::Actif; 17]
        .into_iter()
        .chain([
            StatutPartenariat::EnVeille,
            StatutPartenariat::Suspendu,
            StatutPartenariat::Termine,
        ])
        .collect::<Vec<_>>();
    for n in 1..=partenariats() {
        if n % 1000 == 0 || n == 100 {
            // Statistics from the first hundred: without them SQLite plans the triggers of
            // migration 0013 (`id IN (OLD.action_id, NEW.action_id) AND validation = …`)
            // as a scan of every validated action, at each financement's insertion.
            let analyser = if n <= 1000 { "ANALYZE;" } else { "" };
            conn.execute_batch(&format!("COMMIT; {analyser} BEGIN"))
                .unwrap();
            if n % 1_000 == 0 {
                eprintln!("  {n} partenariats en {:.0?}", debut.elapsed());
            }
        }
        // A third of the Malian parties in the Kayes région, as the founding document says.
        let malienne = if h.suivant().is_multiple_of(3) {
            *h.parmi(&kayes)
        } else {
            *h.parmi(&ailleurs)
        };
        let p = partenariat::creer(
            conn,
            NouveauPartenariat {
                source: Some("Données synthétiques du banc d'essai de l'observatoire".into()),
                demonstration: true,
                ..NouveauPartenariat::new(
                    &format!("Synthétique n° {n}"),
                    *h.parmi(&statuts),
                    vec![malienne, *h.parmi(&francaises)],
                )
            },
        )
        .unwrap();
        let mut annee = 1980 + (h.suivant() % 30) as i32;
        for etape in &Etape::TOUS[..(h.suivant() % 5) as usize] {
            let depuis = Date::from_ordinal_date(annee, 1 + (h.suivant() % 365) as u16).unwrap();
            partenariat::ajouter_etape(
                conn,
                p,
                EtapeDatee {
                    etape: *etape,
                    depuis,
                    note: None,
                },
            )
            .unwrap();
            annee += 1 + (h.suivant() % 8) as i32;
        }
        for _ in 0..ACTIONS_PAR_PARTENARIAT {
            let debut = 1995 + (h.suivant() % 32) as i32;
            let mut lieux = vec![malienne];
            if h.suivant().is_multiple_of(10) {
                lieux.push(*h.parmi(&ailleurs));
            }
            let a = action::creer(
                conn,
                NouvelleAction {
                    partenariat: p,
                    titre: "Action synthétique".into(),
                    description: None,
                    axe: *h.parmi(Axe::TOUS),
                    domaine: *h.parmi(Domaine::TOUS),
                    nature: *h.parmi(Nature::TOUS),
                    statut: *h.parmi(StatutAction::TOUS),
                    periode: Periode::new(Date::from_ordinal_date(debut, 1).ok(), None).unwrap(),
                    lieux,
                    points: Vec::new(),
                    localites: Vec::new(),
                },
            )
            .unwrap();
            if !h.suivant().is_multiple_of(5) {
                let (unites, devise) = if h.suivant().is_multiple_of(2) {
                    ((h.suivant() % 5_000_000) as i64 * 100, Devise::Xof)
                } else {
                    ((h.suivant() % 50_000) as i64 * 100, Devise::Eur)
                };
                financement::creer(
                    conn,
                    NouveauFinancement {
                        action: a,
                        source,
                        type_financement: *h.parmi(TypeFinancement::TOUS),
                        montant: Montant::new(unites, devise).unwrap(),
                        annee: debut,
                    },
                )
                .unwrap();
            }
        }
    }
    conn.execute_batch(
        "COMMIT; ANALYZE; PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT; PRAGMA synchronous = NORMAL;",
    )
    .unwrap();
}

/// Gives every action one result — in turn points d'eau (nombre), élus formés (personnes,
/// with women and men), km de piste (tenths) and a rate (a level) —, with a target and two
/// measured periods (2020 and 2024), so that the overview adds up a million results.
fn ajouter_resultats(conn: &Connection) {
    conn.execute_batch(
        "BEGIN;
         INSERT INTO resultat (action_id, rang, indicateur, unite, cible_pas)
         SELECT id, 0,
                CASE id % 4 WHEN 0 THEN 'EAU-01' WHEN 1 THEN 'GOU-01' WHEN 2 THEN 'PIS-01' ELSE 'GOU-03' END,
                CASE id % 4 WHEN 0 THEN 'nombre' WHEN 1 THEN 'personnes' WHEN 2 THEN 'km' ELSE 'pourcentage' END,
                CASE id % 4 WHEN 3 THEN 500 ELSE 10 + id % 90 END
           FROM action ORDER BY id;
         INSERT INTO resultat_periode (resultat_id, debut, fin, valeur_pas, femmes, hommes)
         SELECT r.id, p.debut, p.fin, (r.action_id + p.decalage) % 50,
                CASE WHEN r.unite = 'personnes' THEN ((r.action_id + p.decalage) % 50) / 2 END,
                CASE WHEN r.unite = 'personnes' THEN ((r.action_id + p.decalage) % 50) / 3 END
           FROM resultat r,
                (SELECT '2020-01-01' AS debut, '2020-12-31' AS fin, 0 AS decalage
                 UNION ALL SELECT '2024-01-01', '2024-12-31', 7) p
          ORDER BY r.id;
         COMMIT; ANALYZE;",
    )
    .unwrap();
}

/// Runs `f` `fois` times, prints the minimum, median and maximum durations, and returns
/// the median in seconds.
pub fn mesurer<T>(nom: &str, fois: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut durees: Vec<f64> = (0..fois)
        .map(|_| {
            let debut = Instant::now();
            std::hint::black_box(f());
            debut.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    durees.sort_by(f64::total_cmp);
    println!(
        "{nom:<40} min {:>8.1} ms   médiane {:>8.1} ms   max {:>8.1} ms   ({fois} fois)",
        durees[0],
        durees[fois / 2],
        durees[fois - 1]
    );
    durees[fois / 2] / 1000.0
}

/// Where the synthetic database lives: `BENKAN_BENCH_DB`, or a file of `target/tmp` named
/// after its size.
pub fn chemin_base() -> PathBuf {
    match std::env::var_os("BENKAN_BENCH_DB") {
        Some(chemin) if !chemin.is_empty() => PathBuf::from(chemin),
        _ => PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(match partenariats() {
            100_000 => "bench-apercu.db".to_owned(),
            n => format!("bench-apercu-{n}.db"),
        }),
    }
}

/// The synthetic database, generated on first use.
pub fn base_synthetique() -> Store {
    let chemin = chemin_base();
    if let Some(dossier) = chemin.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dossier).unwrap();
    }
    let existait = chemin.exists();
    let store = Store::ouvrir(&chemin).unwrap();
    if !existait {
        let debut = Instant::now();
        generer(&store.connexion().unwrap());
        println!("génération : {:.1?}", debut.elapsed());
    }
    let conn = store.connexion().unwrap();
    let compte = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    if compte("SELECT count(*) FROM resultat") == 0 {
        let debut = Instant::now();
        ajouter_resultats(&conn);
        println!("résultats ajoutés : {:.1?}", debut.elapsed());
    }
    println!(
        "données synthétiques : {} partenariats, {} actions, {} financements, {} lieux, {} résultats, {} mesures",
        compte("SELECT count(*) FROM partenariat"),
        compte("SELECT count(*) FROM action"),
        compte("SELECT count(*) FROM financement"),
        compte("SELECT count(*) FROM action_lieu"),
        compte("SELECT count(*) FROM resultat"),
        compte("SELECT count(*) FROM resultat_periode")
    );
    store
}

/// The peak resident memory of this process since the last [`remettre_pic_memoire`], in MiB.
pub fn pic_memoire() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let ligne = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let ko: f64 = ligne.split_whitespace().nth(1)?.parse().ok()?;
    Some(ko / 1024.0)
}

/// Starts measuring the peak memory again (Linux: writing 5 to `clear_refs`).
pub fn remettre_pic_memoire() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
