import SyncCore
import Testing

@Suite("Property: idempotence")
struct IdempotencePropertyTests {
    /// Idempotence: merging a change a record already holds changes nothing — `applied` is false
    /// and the state is equal — so every push and pull may be retried.
    ///
    /// Checked on the duplicates the trace delivers while running, then by re-applying every
    /// change a replica holds (in a shuffled order) after the random phase and again after
    /// everything is delivered, comparing the sorted-keys JSON before and after.
    @Test("Applying a change twice changes nothing", arguments: PropertySeeds.all)
    func idempotence(seed: UInt64) throws {
        var trace = Trace(seed: seed)
        let check = { (trace: Trace, event: TraceEvent) in
            guard case .delivered(_, _, let before, let outcome, true) = event else { return }
            try #require(!outcome.applied, "seed \(seed): a duplicate was applied")
            try #require(outcome.state == before, "seed \(seed): a duplicate changed the record")
            try #require(outcome.opened.isEmpty && outcome.closed.isEmpty, "seed \(seed)")
        }
        try trace.runRandomSteps(observe: check)
        try Self.reapplyEverything(&trace, seed: seed)
        try trace.deliverEverything(observe: check)
        try Self.reapplyEverything(&trace, seed: seed)
        #expect(trace.made.count > 0, "seed \(seed): the trace made no change")
    }

    static func reapplyEverything(_ trace: inout Trace, seed: UInt64) throws {
        for replica in trace.replicas.indices {
            let before = try trace.replicas[replica].encodedRecords()
            for index in trace.replicas[replica].appliedOrder.shuffled(using: &trace.rng) {
                let event = try trace.deliver(index, to: replica)
                guard case .delivered(_, _, _, let outcome, let duplicate) = event else { continue }
                try #require(duplicate && !outcome.applied, "seed \(seed): re-applying \(trace.made[index].change.dot) applied it again")
            }
            #expect(try trace.replicas[replica].encodedRecords() == before, "seed \(seed): re-applying changed replica \(replica)")
        }
    }
}
