import SyncCore
import Testing

@Suite("Property: convergence")
struct ConvergencePropertyTests {
    /// Convergence (strong eventual consistency): replicas that applied the same set of changes,
    /// each in its own causal order and with duplicates, hold byte-identical state — records,
    /// siblings, counters, sets and version vectors.
    ///
    /// Checked twice: during the random phase, whenever two replicas hold the same version of a
    /// record (hence applied the same changes to it) their copies must be equal; after
    /// delivering everything, the sorted-keys JSON of all records must be the same bytes on
    /// every replica.
    @Test("Replicas that applied the same changes hold byte-identical state", arguments: PropertySeeds.all)
    func convergence(seed: UInt64) throws {
        var trace = Trace(seed: seed)
        let check = { (trace: Trace, event: TraceEvent) in
            let recordID = trace.made[event.index].change.recordID
            let mine = trace.replicas[event.replica].record(recordID)
            for other in trace.replicas.indices where other != event.replica {
                let theirs = trace.replicas[other].record(recordID)
                if theirs.version == mine.version {
                    try #require(theirs == mine, "seed \(seed): replicas \(event.replica) and \(other) applied the same changes to \(recordID) but differ")
                }
            }
        }
        try trace.runRandomSteps(observe: check)
        try trace.deliverEverything(observe: check)

        let encoded = try trace.replicas.map { try $0.encodedRecords() }
        for (index, bytes) in encoded.enumerated().dropFirst() {
            #expect(bytes == encoded[0], "seed \(seed): replica \(index) diverged from replica 0")
        }
        let everyChange = trace.made.count
        for replica in trace.replicas {
            #expect(replica.appliedOrder.count == everyChange, "seed \(seed): \(replica.id.short) missed changes")
        }
        let touched = Set(trace.changes.map(\.recordID))
        #expect(Set(trace.replicas[0].records.keys) == touched, "seed \(seed)")
    }
}
