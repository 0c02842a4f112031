import SyncCore
import Testing

@Suite("Property: state join")
struct StateJoinPropertyTests {
    /// The state join agrees with the op-based merge: for any two replicas P and Q and any
    /// record, P.joined(Q) and Q.joined(P) (so the join is commutative) equal the record of a
    /// fresh replica that applied the union of P's and Q's changes; joining a state with itself
    /// gives it back (idempotent); and the join of three replicas, in either grouping
    /// (associative), equals the union of their three histories.
    ///
    /// Checked at the middle and at the end of the random phase, when replicas differ most.
    /// States are compared as values (`RecordState` equality); that the same value always
    /// encodes to the same bytes is checked by the convergence property and once here.
    @Test("Joining states equals applying the union of their changes", arguments: PropertySeeds.all)
    func joinAgreesWithOperations(seed: UInt64) throws {
        var trace = Trace(seed: seed)
        var step = 0
        var midpoint: Trace?
        try trace.runRandomSteps { trace, _ in
            step += 1
            if step == trace.stepCount / 2 { midpoint = trace }
        }
        if let midpoint { try Self.check(midpoint, seed: seed) }
        try Self.check(trace, seed: seed)
    }

    static func check(_ trace: Trace, seed: UInt64) throws {
        let replicas = trace.replicas
        for p in replicas.indices {
            for q in replicas.indices where q > p {
                for recordID in trace.recordIDs {
                    let left = replicas[p].record(recordID)
                    let right = replicas[q].record(recordID)
                    let union = replicas[p].applied(to: recordID) + replicas[q].applied(to: recordID)
                    let expected = try trace.replay(union, orderSeed: seed &+ UInt64(p * 7 + q)).record(recordID)
                    let joined = left.joined(right)
                    #expect(joined == expected, "seed \(seed): \(p) ⊔ \(q) on \(recordID) differs from op-based merge")
                    #expect(right.joined(left) == expected, "seed \(seed): \(q) ⊔ \(p) on \(recordID) differs from op-based merge")
                    #expect(left.joined(left) == left, "seed \(seed): join with itself changed \(p)'s \(recordID)")
                    if p == 0 && q == 1 {
                        #expect(try stableJSON(joined) == stableJSON(expected), "seed \(seed): equal states encode differently")
                    }
                }
            }
        }
        guard replicas.count >= 3 else { return }
        for recordID in trace.recordIDs {
            let (x, y, z) = (replicas[0].record(recordID), replicas[1].record(recordID), replicas[2].record(recordID))
            let union = (0..<3).flatMap { replicas[$0].applied(to: recordID) }
            let expected = try trace.replay(union, orderSeed: seed &+ 99).record(recordID)
            #expect(x.joined(y).joined(z) == expected, "seed \(seed): (x ⊔ y) ⊔ z on \(recordID)")
            #expect(x.joined(y.joined(z)) == expected, "seed \(seed): x ⊔ (y ⊔ z) on \(recordID)")
        }
    }
}
