/// A tiny seeded pseudo-random generator (SplitMix64, Steele et al. 2014).
///
/// Property traces must be reproducible from their seed alone, so the tests never use the
/// system generator.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A uniformly drawn integer in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// True with probability `percent` / 100.
    mutating func percent(_ percent: Int) -> Bool {
        int(in: 0...99) < percent
    }

    /// A uniformly drawn element; nil for an empty collection.
    mutating func element<C: Collection>(of collection: C) -> C.Element? {
        collection.randomElement(using: &self)
    }
}
