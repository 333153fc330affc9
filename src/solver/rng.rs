//! The solver's random generator is the crate's one seeded generator, `crate::rng`.

pub(crate) use crate::rng::SplitMix64;
