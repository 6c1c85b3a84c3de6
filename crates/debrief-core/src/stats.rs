//! Honest rates: counts, 95% Wilson intervals and a two-proportion test.

/// The 97.5th percentile of the standard normal distribution (two-sided 95%).
const Z95: f64 = 1.959_963_984_540_054;

/// A proportion `hits of total`, kept as counts so it can always be shown as "5 of 25".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Rate {
    pub hits: u64,
    pub total: u64,
}

/// A point estimate with its 95% Wilson score interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Rate {
    pub fn new(hits: u64, total: u64) -> Rate {
        debug_assert!(hits <= total);
        Rate { hits, total }
    }

    /// The estimate, or `None` when the denominator is 0.
    pub fn estimate(self) -> Option<Estimate> {
        if self.total == 0 {
            return None;
        }
        let (low, high) = wilson(self.hits, self.total);
        Some(Estimate { value: self.hits as f64 / self.total as f64, low, high })
    }
}

/// The 95% Wilson score interval of `hits` successes in `total` trials.
pub fn wilson(hits: u64, total: u64) -> (f64, f64) {
    assert!(total > 0 && hits <= total);
    let n = total as f64;
    let p = hits as f64 / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let margin = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // At the edges the interval touches 0 or 1 exactly, whatever the rounding.
    let low = if hits == 0 { 0.0 } else { (center - margin).max(0.0) };
    let high = if hits == total { 1.0 } else { (center + margin).min(1.0) };
    (low, high)
}

/// How a rate moved between two periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Improved,
    Declined,
    WithinNoise,
    /// The earlier period has nothing to compare with.
    NoPrevious,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Improved => "improved",
            Change::Declined => "declined",
            Change::WithinNoise => "within noise",
            Change::NoPrevious => "no previous week",
        }
    }
}

/// Two-sided p-value of the pooled two-proportion z-test, or `None` when the
/// test is undefined (an empty side, or both sides all hits or all misses).
pub fn two_proportion_p(before: Rate, after: Rate) -> Option<f64> {
    if before.total == 0 || after.total == 0 {
        return None;
    }
    let (n1, n2) = (before.total as f64, after.total as f64);
    let pooled = (before.hits + after.hits) as f64 / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se == 0.0 {
        return None;
    }
    let z = (after.hits as f64 / n2 - before.hits as f64 / n1) / se;
    Some(libm::erfc(z.abs() / std::f64::consts::SQRT_2))
}

/// Whether `after` is higher, lower or not distinguishable from `before`
/// (p < 0.05 of the two-proportion test).
pub fn compare(before: Rate, after: Rate) -> Change {
    if before.total == 0 {
        return Change::NoPrevious;
    }
    match two_proportion_p(before, after) {
        Some(p) if p < 0.05 => {
            let (b, a) = (before.hits as f64 / before.total as f64, after.hits as f64 / after.total as f64);
            if a > b { Change::Improved } else { Change::Declined }
        }
        _ => Change::WithinNoise,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round4(x: f64) -> f64 {
        (x * 10_000.0).round() / 10_000.0
    }

    #[test]
    fn wilson_matches_published_values() {
        let e = Rate::new(5, 25).estimate().unwrap();
        assert_eq!((e.value, round4(e.low), round4(e.high)), (0.2, 0.0886, 0.3913));
        let e = Rate::new(3, 12).estimate().unwrap();
        assert_eq!((round4(e.low), round4(e.high)), (0.0889, 0.5323));
        let (lo, hi) = wilson(0, 10);
        assert_eq!((lo, round4(hi)), (0.0, 0.2775));
        let (lo, hi) = wilson(10, 10);
        assert_eq!((round4(lo), hi), (0.7225, 1.0));
        assert_eq!(Rate::new(0, 0).estimate(), None);
    }

    #[test]
    fn wilson_interval_holds_its_estimate_for_every_count() {
        for total in 1..=200u64 {
            for hits in 0..=total {
                let (lo, hi) = wilson(hits, total);
                let p = hits as f64 / total as f64;
                assert!(0.0 <= lo && lo <= p + 1e-12 && p <= hi + 1e-12 && hi <= 1.0);
                // Symmetric: misses mirror hits.
                let (lo2, hi2) = wilson(total - hits, total);
                assert!((lo - (1.0 - hi2)).abs() < 1e-12 && (hi - (1.0 - lo2)).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn two_proportion_test_known_value() {
        // 20/100 vs 35/100: z = 2.3754, p = 0.0175.
        let p = two_proportion_p(Rate::new(20, 100), Rate::new(35, 100)).unwrap();
        assert_eq!(round4(p), 0.0175);
        assert_eq!(compare(Rate::new(20, 100), Rate::new(35, 100)), Change::Improved);
        assert_eq!(compare(Rate::new(35, 100), Rate::new(20, 100)), Change::Declined);
        assert_eq!(compare(Rate::new(5, 25), Rate::new(7, 25)), Change::WithinNoise);
        assert_eq!(compare(Rate::new(0, 0), Rate::new(7, 25)), Change::NoPrevious);
        assert_eq!(compare(Rate::new(3, 3), Rate::new(0, 0)), Change::WithinNoise);
        assert_eq!(compare(Rate::new(0, 5), Rate::new(0, 9)), Change::WithinNoise);
    }

    #[test]
    fn the_test_is_symmetric() {
        for (a, b) in [(1, 9), (4, 30), (17, 40)] {
            let x = two_proportion_p(Rate::new(a, 40), Rate::new(b, 45)).unwrap();
            let y = two_proportion_p(Rate::new(b, 45), Rate::new(a, 40)).unwrap();
            assert!((x - y).abs() < 1e-12);
        }
    }
}
