import SyncCore
import Testing

@Suite("Property: no lost write")
struct NoLostWritePropertyTests {
    /// No lost write (ARCHITECTURE.md property 2), stated precisely:
    ///
    /// for every replica R, record r, register field f and write w (a change applied at R that
    /// assigns f of r): either R's register f holds a sibling with w's dot, value and HLC, or R
    /// applied another write w' to the same field of r whose context covers w's dot (w's writer's
    /// successor had seen w and chose to replace it).
    ///
    /// The test also checks the converse, which makes the register exactly the multi-value
    /// register of the design: every sibling is such an unreplaced write (nothing stale stays),
    /// and the displayed value is the sibling with the greatest (HLC, replica). Checked on the
    /// touched record after every step and on every record of every replica at the end.
    @Test("Every write is displayed, a sibling, or replaced by a write that saw it", arguments: PropertySeeds.all)
    func noLostWrite(seed: UInt64) throws {
        var trace = Trace(seed: seed)
        try trace.runRandomSteps { trace, event in
            try Self.check(trace, replica: event.replica, record: trace.made[event.index].change.recordID, seed: seed)
        }
        for replica in trace.replicas.indices {
            for record in trace.recordIDs {
                try Self.check(trace, replica: replica, record: record, seed: seed)
            }
        }
        try trace.deliverEverything()
        for replica in trace.replicas.indices {
            for record in trace.recordIDs {
                try Self.check(trace, replica: replica, record: record, seed: seed)
            }
        }
    }

    /// Requires (so that a broken trace stops at its first violation) the law on one record.
    static func check(_ trace: Trace, replica: Int, record recordID: RecordID, seed: UInt64) throws {
        let holder = trace.replicas[replica]
        let state = holder.record(recordID)
        let applied = holder.applied(to: recordID)
        for field in Trace.registerFields {
            let siblings = state.fields[field]?.register?.siblings ?? []
            let writes = applied.filter { trace.writes($0, register: field) != nil }
            for write in writes {
                let change = trace.made[write].change
                let isSibling = siblings.contains {
                    $0.dot == change.dot && $0.value == trace.writes(write, register: field) && $0.hlc == change.hlc
                }
                let replaced = writes.contains { trace.made[$0].change.context.covers(change.dot) }
                try #require(isSibling || replaced, "seed \(seed): replica \(replica) lost write \(change.dot) to \(field) of \(recordID)")
            }
            let expected = trace.expectedSiblings(of: field, among: applied)
            try #require(siblings == expected, "seed \(seed): replica \(replica) \(recordID).\(field) siblings \(siblings.map(\.dot)) expected \(expected.map(\.dot))")
            try #require(state.value(of: field) == Trace.displayed(siblings), "seed \(seed): wrong displayed value of \(field)")
            let conflictKey = ConflictKey(entity: Trace.entity, recordID: recordID, field: field, kind: .concurrentValues)
            // A conflict is a choice: siblings holding more than one distinct value.
            try #require(state.openConflicts.contains(conflictKey) == (Set(expected.map(\.value)).count > 1), "seed \(seed): conflict flag of \(field)")
        }
    }
}
