//! Expensive results — an overview at a date, a map — computed once per key and
//! shared: concurrent requests for the same key wait for the one computation under way
//! (single flight), a result is kept while the data's generation (`meta.generation`, moved by
//! triggers on every write) has not moved, and at most [`LOURDS`] computations run at once,
//! so that anonymous visitors asking for many dates cannot take every connection and thread.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OnceCell, Semaphore};

use super::WebError;
use super::metriques::Cache;

/// Expensive computations running at once across the site: one per core.
pub const LOURDS: usize = 2;
/// How long a request waits for its turn to compute before it is answered 503.
pub const ATTENTE: Duration = Duration::from_secs(20);

/// What bounds the expensive computations of the whole site.
#[derive(Clone)]
pub struct Limite(Arc<Semaphore>);

impl Default for Limite {
    fn default() -> Self {
        Limite(Arc::new(Semaphore::new(LOURDS)))
    }
}

impl Limite {
    /// A turn for work in the background, which no request waits for: as long as it takes.
    pub async fn tour(&self) -> Result<tokio::sync::SemaphorePermit<'_>, WebError> {
        self.0
            .acquire()
            .await
            .map_err(|e| WebError::Interne(e.to_string()))
    }
}

type Cellule<V> = Arc<OnceCell<Arc<V>>>;

/// Results by key, each valid for one data generation.
pub struct Calculs<K, V> {
    /// Most recent first; entries of an older generation are dropped as soon as a newer one
    /// is asked for, since they can never be asked for again.
    cellules: Mutex<Vec<(K, u64, Cellule<V>)>>,
    /// How many keys are kept.
    garder: usize,
    /// Its hits and misses, for the metrics.
    cache: Cache,
}

impl<K: PartialEq + Clone, V> Calculs<K, V> {
    pub fn new(garder: usize, cache: Cache) -> Self {
        Calculs {
            cellules: Mutex::new(Vec::new()),
            garder,
            cache,
        }
    }

    /// The result for `cle` at `generation`: the one already computed, the one being
    /// computed (waited for), or a new one computed by `calcul` once the site's [`Limite`]
    /// lets it start.
    pub async fn obtenir<F, Fut>(
        &self,
        cle: K,
        generation: u64,
        limite: &Limite,
        calcul: F,
    ) -> Result<Arc<V>, WebError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, WebError>>,
    {
        let cellule = self.cellule(cle, generation);
        let mut calculee = false;
        let resultat = cellule
            .get_or_try_init(|| async {
                let _tour = tokio::time::timeout(ATTENTE, limite.0.acquire())
                    .await
                    .map_err(|_| WebError::Occupe)?
                    .map_err(|e| WebError::Interne(e.to_string()))?;
                calculee = true;
                Ok::<_, WebError>(Arc::new(calcul().await?))
            })
            .await?;
        self.cache.noter(calculee);
        Ok(resultat.clone())
    }

    /// The result for `cle` at `generation` if it has been computed already: for a page
    /// that shows what is ready without starting a computation. Found, it counts as a hit;
    /// not found, as nothing (nothing was computed).
    pub fn deja(&self, cle: &K, generation: u64) -> Option<Arc<V>> {
        let trouve = self
            .verrou()
            .iter()
            .find(|(k, g, _)| k == cle && *g == generation)
            .and_then(|(.., c)| c.get().cloned());
        if trouve.is_some() {
            self.cache.noter(false);
        }
        trouve
    }

    /// The list of results; a panic while it was held leaves it usable, since every change
    /// to it is complete.
    fn verrou(&self) -> std::sync::MutexGuard<'_, Vec<(K, u64, Cellule<V>)>> {
        match self.cellules.lock() {
            Ok(c) => c,
            Err(empoisonne) => empoisonne.into_inner(),
        }
    }

    fn cellule(&self, cle: K, generation: u64) -> Cellule<V> {
        let mut cellules = self.verrou();
        if let Some((.., c)) = cellules
            .iter()
            .find(|(k, g, _)| *k == cle && *g == generation)
        {
            return c.clone();
        }
        let cellule = Cellule::default();
        cellules.retain(|(k, g, _)| *g >= generation && *k != cle);
        cellules.insert(0, (cle, generation, cellule.clone()));
        cellules.truncate(self.garder);
        cellule
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_requests_for_one_key_compute_it_once() {
        let calculs = Arc::new(Calculs::<u32, usize>::new(4, Cache::default()));
        let limite = Limite::default();
        let appels = Arc::new(AtomicUsize::new(0));
        let taches: Vec<_> = (0..16)
            .map(|_| {
                let (calculs, limite, appels) = (calculs.clone(), limite.clone(), appels.clone());
                tokio::spawn(async move {
                    calculs
                        .obtenir(7, 1, &limite, || async {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok(appels.fetch_add(1, Ordering::SeqCst))
                        })
                        .await
                        .map(|v| *v)
                })
            })
            .collect();
        for t in taches {
            assert_eq!(
                t.await.unwrap().unwrap(),
                0,
                "everyone gets the first result"
            );
        }
        assert_eq!(appels.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_two_computations_run_at_once_and_a_new_generation_recomputes() {
        let calculs = Arc::new(Calculs::<u32, u32>::new(16, Cache::default()));
        let limite = Limite::default();
        let (en_cours, maximum) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let taches: Vec<_> = (0..8)
            .map(|cle| {
                let (calculs, limite) = (calculs.clone(), limite.clone());
                let (en_cours, maximum) = (en_cours.clone(), maximum.clone());
                tokio::spawn(async move {
                    calculs
                        .obtenir(cle, 1, &limite, || async move {
                            let n = en_cours.fetch_add(1, Ordering::SeqCst) + 1;
                            maximum.fetch_max(n, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            en_cours.fetch_sub(1, Ordering::SeqCst);
                            Ok(cle)
                        })
                        .await
                })
            })
            .collect();
        for t in taches {
            t.await.unwrap().unwrap();
        }
        assert_eq!(maximum.load(Ordering::SeqCst), LOURDS);
        let encore = calculs
            .obtenir(3, 1, &limite, || async { Ok(99) })
            .await
            .unwrap();
        assert_eq!(*encore, 3, "same generation: kept");
        assert_eq!(calculs.deja(&3, 1).as_deref(), Some(&3));
        assert_eq!(
            calculs.deja(&3, 2),
            None,
            "not computed for this generation"
        );
        let apres = calculs
            .obtenir(3, 2, &limite, || async { Ok(99) })
            .await
            .unwrap();
        assert_eq!(*apres, 99, "the data moved: computed again");
        assert_eq!(
            calculs.cellules.lock().unwrap().len(),
            1,
            "older generations dropped"
        );
    }

    #[tokio::test]
    async fn a_failed_computation_is_not_kept() {
        let calculs = Calculs::<u32, u32>::new(4, Cache::default());
        let limite = Limite::default();
        let echec = calculs
            .obtenir(1, 1, &limite, || async { Err(WebError::Occupe) })
            .await;
        assert!(matches!(echec, Err(WebError::Occupe)));
        let ensuite = calculs.obtenir(1, 1, &limite, || async { Ok(5) }).await;
        assert_eq!(*ensuite.unwrap(), 5);
    }
}
