//! The random source ([`Rng`]): PCG64 "fast" (`Mcg128Xsl64` of rand_pcg), seeded explicitly.
//!
//! Everything drawn from it is an integer: probabilities are parts per million and weights are
//! whole numbers, so no floating-point function (whose last bit may differ between platforms'
//! maths libraries) can change a single byte of the output.

use rand_core::Rng as _;
use rand_pcg::Pcg64Mcg;

/// One million: probabilities are given in parts per million.
pub const PPM: u64 = 1_000_000;

/// A seeded stream of random integers.
#[derive(Debug, Clone)]
pub struct Rng(Pcg64Mcg);

impl Rng {
    /// The stream `stream` of `seed`. The 128-bit state is built from the two numbers with
    /// SplitMix64 rather than `SeedableRng::seed_from_u64`, so the output depends only on the
    /// PCG algorithm, never on how a version of rand_core chooses to expand a seed.
    pub fn new(seed: u64, stream: u64) -> Self {
        let hi = splitmix64(seed ^ 0x6d6f_7463_7561_2d67); // "motcua-g"
        let lo = splitmix64(hi ^ stream.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        Self(Pcg64Mcg::new((u128::from(hi) << 64) | u128::from(lo)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `0..n` (0 when `n` is 0). Multiply-shift: the bias is below n / 2⁶⁴.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo`).
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo).saturating_add(1))
    }

    /// True with probability `ppm` parts per million.
    pub fn chance(&mut self, ppm: u64) -> bool {
        self.below(PPM) < ppm
    }

    /// An index into a cumulative weight table (`cumulative` ascending, last = total).
    pub fn pick(&mut self, cumulative: &[u64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0);
        let x = self.below(total);
        cumulative.partition_point(|&c| c <= x)
    }

    /// Shuffles `items` (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// SplitMix64's finaliser: spreads any 64-bit input over the whole range.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_streams_differ() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(7, 0).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut x = Rng::new(7, 0);
        let mut y = Rng::new(7, 1);
        let mut z = Rng::new(8, 0);
        let (x, y, z) = (x.next_u64(), y.next_u64(), z.next_u64());
        assert!(x != y && x != z && y != z);
    }

    #[test]
    fn pick_follows_the_weights() {
        let mut r = Rng::new(1, 0);
        // Weights 1, 0, 3: index 1 is never picked, index 2 three times as often as 0.
        let cumulative = [1, 1, 4];
        let mut seen = [0u32; 3];
        for _ in 0..40_000 {
            seen[r.pick(&cumulative)] += 1;
        }
        assert_eq!(seen[1], 0);
        assert!((27_000..33_000).contains(&seen[2]), "{seen:?}");
        let mut v: Vec<u32> = (0..100).collect();
        r.shuffle(&mut v);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(v, sorted);
    }
}
