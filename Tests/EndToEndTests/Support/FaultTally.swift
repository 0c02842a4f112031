import Synchronization

/// Counts the faults a test injected, by kind, for the summary line every fault test prints.
final class FaultTally: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    init() {}

    func count(_ kind: String, _ amount: Int = 1) {
        counts.withLock { $0[kind, default: 0] += amount }
    }

    subscript(kind: String) -> Int {
        counts.withLock { $0[kind] ?? 0 }
    }

    var total: Int { counts.withLock { $0.values.reduce(0, +) } }

    var snapshot: [String: Int] { counts.withLock { $0 } }

    func merge(_ other: FaultTally) {
        for (kind, amount) in other.snapshot { count(kind, amount) }
    }

    /// `faults injected (label): 42 total — dropped request 10, …`, kinds sorted by name.
    func summary(_ label: String) -> String {
        let snapshot = self.snapshot
        let parts = snapshot.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return "faults injected (\(label)): \(snapshot.values.reduce(0, +)) total — \(parts.isEmpty ? "none" : parts.joined(separator: ", "))"
    }
}
