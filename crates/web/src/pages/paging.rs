//! Long lists shown a page at a time, numbered from 1 in the address (`?page=2`), so that a
//! region's thousands of activities do not arrive as one page of megabytes.

use std::ops::Range;

use rodtrad_i18n::Lang;

use crate::pages::Page;

/// Rows per page: enough to scan, small enough to load fast on a slow line.
pub const PER_PAGE: usize = 200;

#[derive(Debug)]
pub struct Paging {
    pub number: usize,
    pub count: usize,
    pub total: usize,
    per_page: usize,
    path: String,
    /// The other parameters of the address (the filters), kept on every page's link.
    params: Vec<(String, String)>,
}

impl Paging {
    /// The page asked for, or `None` when there is no such page: not a number, 0, or past the
    /// end (the first page always exists, empty or not).
    pub fn new(
        requested: Option<&str>,
        total: usize,
        per_page: usize,
        path: &str,
        params: Vec<(String, String)>,
    ) -> Option<Self> {
        let count = total.div_ceil(per_page).max(1);
        let number = match requested {
            None => 1,
            Some(n) => n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=count).contains(n))?,
        };
        Some(Self {
            number,
            count,
            total,
            per_page,
            path: path.to_owned(),
            params,
        })
    }

    /// The rows of this page, as indices into the whole list.
    pub fn range(&self) -> Range<usize> {
        let start = (self.number - 1) * self.per_page;
        start..(start + self.per_page).min(self.total)
    }

    pub fn is_split(&self) -> bool {
        self.count > 1
    }

    pub fn numbers(&self) -> Range<usize> {
        1..self.count + 1
    }

    pub fn prev(&self) -> Option<usize> {
        (self.number > 1).then(|| self.number - 1)
    }

    pub fn next(&self) -> Option<usize> {
        (self.number < self.count).then(|| self.number + 1)
    }

    /// "Showing 201–400 of 740".
    pub fn showing(&self, page: &Page) -> String {
        let lang = page.lang;
        let range = self.range();
        lang.format(
            "paging-showing",
            &[
                ("from", (range.start + 1).to_string()),
                ("to", range.end.to_string()),
                ("total", self.total.to_string()),
            ],
        )
    }

    /// The address of page `n`, with the same filters and language.
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "templates bind values by reference"
    )]
    pub fn href(&self, page: &Page, n: &usize) -> String {
        let n = *n;
        let mut params: Vec<(&str, String)> = self
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        if n > 1 {
            params.push(("page", n.to_string()));
        }
        if page.lang == Lang::En {
            params.push(("lang", "en".to_owned()));
        }
        match serde_urlencoded::to_string(&params) {
            Ok(query) if !query.is_empty() => format!("{}?{query}", self.path),
            _ => self.path.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_list_and_no_page_lies_outside_it() {
        let p = Paging::new(None, 450, 200, "/x", Vec::new()).expect("first");
        assert_eq!((p.number, p.count, p.range()), (1, 3, 0..200));
        let last = Paging::new(Some("3"), 450, 200, "/x", Vec::new()).expect("last");
        assert_eq!(last.range(), 400..450);
        assert_eq!((last.prev(), last.next()), (Some(2), None));
        for bad in ["0", "4", "-1", "x", ""] {
            assert!(
                Paging::new(Some(bad), 450, 200, "/x", Vec::new()).is_none(),
                "{bad}"
            );
        }
        let empty = Paging::new(None, 0, 200, "/x", Vec::new()).expect("empty list");
        assert_eq!(
            (empty.count, empty.range(), empty.is_split()),
            (1, 0..0, false)
        );
    }

    #[test]
    fn links_keep_the_filters_and_the_language() {
        let p = Paging::new(
            None,
            450,
            200,
            "/activities",
            vec![("q".into(), "vård & omsorg".into())],
        )
        .expect("page");
        let en = Page::new(Lang::En, String::new(), "/activities");
        assert_eq!(
            p.href(&en, &2),
            "/activities?q=v%C3%A5rd+%26+omsorg&page=2&lang=en"
        );
        let sv = Page::new(Lang::Sv, String::new(), "/activities");
        assert_eq!(p.href(&sv, &1), "/activities?q=v%C3%A5rd+%26+omsorg");
        assert_eq!(p.showing(&sv), "Visar 1–200 av 450");
    }
}
