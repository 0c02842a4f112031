import SyncCore
import Testing

@Suite("Property: order independence")
struct OrderIndependencePropertyTests {
    /// Commutativity of concurrent changes: delivering the same set of changes to fresh
    /// replicas in two different random causal orders (with duplicates) gives identical bytes,
    /// and the same bytes as the trace's own replicas once everything is delivered.
    @Test("Two causal orders of the same changes give the same bytes", arguments: PropertySeeds.all)
    func orderIndependence(seed: UInt64) throws {
        var trace = Trace(seed: seed)
        try trace.runRandomSteps()
        let all = Array(trace.made.indices)
        let first = try trace.replay(all, orderSeed: seed &* 31 &+ 1, duplicatePercent: 10)
        let second = try trace.replay(all.reversed(), orderSeed: seed &* 31 &+ 2, duplicatePercent: 10)
        let firstBytes = try first.encodedRecords()
        #expect(try second.encodedRecords() == firstBytes, "seed \(seed): two delivery orders diverged")

        // A replica's own partial history, replayed in another order, gives its own state.
        for replica in trace.replicas {
            let replayed = try trace.replay(replica.appliedOrder, orderSeed: seed &* 31 &+ 3)
            #expect(try replayed.encodedRecords() == replica.encodedRecords(), "seed \(seed): \(replica.id.short) depends on its order")
        }

        try trace.deliverEverything()
        #expect(try trace.replicas[0].encodedRecords() == firstBytes, "seed \(seed): the trace's replicas differ from the replays")
    }
}
