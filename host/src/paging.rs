//! Listing pages: which page of how many entries, checked once for every listing (REST
//! search, `/api/skills/mine`, GraphQL, the web UI).

/// The deepest page a listing serves; deeper pages are refused with the range.
pub const MAX_PAGE: i64 = 10_000;

/// A page number out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("page {0} is out of range; pages go from 1 to {MAX_PAGE}")]
pub struct PageOutOfRange(pub i64);

/// `page` (from 1, at most [`MAX_PAGE`]) and `per_page` (clamped to 1..=100, default 20).
pub fn paging(page: Option<i64>, per_page: Option<i64>) -> Result<(i64, i64), PageOutOfRange> {
    let page = page.unwrap_or(1).max(1);
    if page > MAX_PAGE {
        return Err(PageOutOfRange(page));
    }
    Ok((page, per_page.unwrap_or(20).clamp(1, 100)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_bounded() {
        assert_eq!(paging(None, None), Ok((1, 20)));
        assert_eq!(paging(Some(-5), Some(1000)), Ok((1, 100)));
        assert_eq!(paging(Some(MAX_PAGE), Some(0)), Ok((MAX_PAGE, 1)));
        assert_eq!(paging(Some(i64::MAX), None), Err(PageOutOfRange(i64::MAX)));
    }
}
