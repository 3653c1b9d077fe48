/// Which slice of a long list to show: pages are numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub numero: u32,
    pub taille: u32,
}

impl Page {
    /// The page size of every public list: small pages for slow connections.
    pub const TAILLE: u32 = 25;

    pub fn new(numero: u32) -> Page {
        Page {
            numero: numero.max(1),
            taille: Page::TAILLE,
        }
    }

    /// A page of another size, for the API whose callers choose it (`par_page`).
    pub fn avec_taille(numero: u32, taille: u32) -> Page {
        Page {
            numero: numero.max(1),
            taille: taille.max(1),
        }
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.taille)
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.numero - 1) * i64::from(self.taille)
    }
}

impl Default for Page {
    fn default() -> Self {
        Page::new(1)
    }
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone)]
pub struct Pagine<T> {
    pub elements: Vec<T>,
    pub total: u64,
    pub page: Page,
}

impl<T> Pagine<T> {
    /// Page `page` of a list already read whole and in its order.
    pub fn tranche(toutes: Vec<T>, page: Page) -> Pagine<T> {
        let total = toutes.len() as u64;
        let elements = toutes
            .into_iter()
            .skip(page.offset() as usize)
            .take(page.taille as usize)
            .collect();
        Pagine {
            elements,
            total,
            page,
        }
    }

    pub fn pages(&self) -> u32 {
        self.total.div_ceil(u64::from(self.page.taille)).max(1) as u32
    }

    pub fn precedente(&self) -> Option<u32> {
        (self.page.numero > 1).then(|| self.page.numero - 1)
    }

    pub fn suivante(&self) -> Option<u32> {
        (self.page.numero < self.pages()).then(|| self.page.numero + 1)
    }

    /// The rank of the first element shown, from 1 (0 when the page is empty).
    pub fn premier(&self) -> u64 {
        if self.elements.is_empty() {
            0
        } else {
            self.page.offset() as u64 + 1
        }
    }

    pub fn dernier(&self) -> u64 {
        self.page.offset() as u64 + self.elements.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_count_from_one() {
        let p = Pagine {
            elements: vec![1; 25],
            total: 51,
            page: Page::new(2),
        };
        assert_eq!(p.pages(), 3);
        assert_eq!((p.precedente(), p.suivante()), (Some(1), Some(3)));
        assert_eq!((p.premier(), p.dernier()), (26, 50));
        let vide: Pagine<i32> = Pagine {
            elements: vec![],
            total: 0,
            page: Page::new(0),
        };
        assert_eq!(
            (vide.pages(), vide.precedente(), vide.suivante()),
            (1, None, None)
        );
        assert_eq!(vide.premier(), 0);
    }
}
