import SyncCore
import Testing

@Suite("Property: in-place merge and conflict outcome")
struct InPlaceMergePropertyTests {
    /// `merge(_:)` (in place) is `merging(_:)`: on every delivery of every trace it leaves the
    /// state `merging` returns and reports the same outcome; and both report as opened and
    /// closed exactly the difference of the record's conflict sets before and after, which is
    /// how `MergeOutcome` is defined.
    @Test("In-place merge equals the pure merge, and the outcome is the conflict-set difference", arguments: PropertySeeds.all)
    func inPlaceEqualsPure(seed: UInt64) throws {
        var trace = Trace(seed: seed)
        let check = { (trace: Trace, event: TraceEvent) in
            guard case .delivered(_, let index, let before, let outcome, _) = event else { return }
            let change = trace.made[index].change
            var inPlace = before
            let inPlaceOutcome = try inPlace.merge(change)
            try #require(inPlace == outcome.state, "seed \(seed): merge and merging disagree on \(change.dot)")
            try #require(inPlaceOutcome == outcome, "seed \(seed): merge and merging report different outcomes for \(change.dot)")
            let opened = outcome.state.openConflicts.subtracting(before.openConflicts).sorted()
            let closed = before.openConflicts.subtracting(outcome.state.openConflicts).sorted()
            try #require(outcome.opened == opened, "seed \(seed): opened \(outcome.opened), conflict sets say \(opened)")
            try #require(outcome.closed == closed, "seed \(seed): closed \(outcome.closed), conflict sets say \(closed)")
        }
        try trace.runRandomSteps(observe: check)
        try trace.deliverEverything(observe: check)
    }

    @Test("A change that does not fit the record leaves an in-place merge's state untouched")
    func kindMismatchLeavesStateWhole() throws {
        let a = Fixtures.replicaA
        let b = Fixtures.replicaB
        let state = try applying([makeChange(dot: a.dot(1), hlc: 1, [assign("name", .string("x")), add("tags", "vip")])], to: Fixtures.lead())
        let wrong = makeChange(dot: b.dot(1), hlc: 2, [assign("stage", .string("New")), counter("visits", increments: 1), counter("tags", increments: 1)])
        var inPlace = state
        #expect(throws: MergeError.kindMismatch(field: "tags")) { try inPlace.merge(wrong) }
        #expect(inPlace == state)
        #expect(throws: MergeError.kindMismatch(field: "tags")) { try state.merging(wrong) }

        let mixed = makeChange(dot: b.dot(1), hlc: 2, [counter("score", increments: 1), add("score", "x")])
        #expect(throws: MergeError.kindMismatch(field: "score")) { try inPlace.merge(mixed) }
        #expect(inPlace == state)
        #expect(throws: MergeError.kindMismatch(field: "score")) { try state.merging(mixed) }
    }

    @Test("A malformed change that writes one register twice still reports the conflict-set difference")
    func registerWrittenTwice() throws {
        let a = Fixtures.replicaA
        let b = Fixtures.replicaB
        let state = try applying([makeChange(dot: a.dot(1), hlc: 1, [assign("name", .string("x"))])], to: Fixtures.lead())
        let twice = makeChange(dot: b.dot(1), hlc: 2, context: VersionVector([a: 1]), [assign("name", .string("y")), assign("name", .string("z"))])
        let outcome = try state.merging(twice)
        let key = ConflictKey(entity: "lead", recordID: Fixtures.leadID, field: "name", kind: .concurrentValues)
        #expect(outcome.opened == outcome.state.openConflicts.subtracting(state.openConflicts).sorted())
        #expect(outcome.opened == [key])
        var inPlace = state
        #expect(try inPlace.merge(twice) == outcome)
    }
}
