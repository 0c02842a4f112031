/// "Did you mean" for mistyped names.
public enum Suggestions {
    /// The candidate closest to `text` by edit distance, if it is close enough to be a typo.
    public static func nearest(_ text: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(text, $0)) }.filter { $0.1 <= max(1, min(2, text.count / 3)) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Edit distance over characters, a swap of two neighbours counting as one edit (the
    /// optimal string alignment distance): `esat` is one typo away from `east`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var beforePrevious = [Int]()
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            beforePrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
