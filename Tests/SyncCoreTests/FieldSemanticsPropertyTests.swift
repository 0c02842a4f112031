import SyncCore
import Testing

@Suite("Property: counter, set and deletion semantics")
struct FieldSemanticsPropertyTests {
    /// Counter, set and deletion laws hold at every replica after every step:
    ///
    /// - counter: the value is Σ increments − Σ decrements of the counter changes the replica
    ///   applied (each change carries cumulative totals, merged by per-replica maximum, so no
    ///   delivery order or duplicate counts anything twice); after full delivery it is the sum
    ///   of every increment minus every decrement made;
    /// - add-wins set: an element's live add-dots are exactly the applied adds that no later add
    ///   or remove of the same element had seen, so a remove concurrent with an add never wins;
    /// - existence: the record's existence siblings are the applied changes no other applied
    ///   change had seen; under `.updateWins` the record is deleted only when all of them are
    ///   deletes, under `.deleteWins` when any is, and a delete_vs_edit conflict is open exactly
    ///   when both kinds are present.
    @Test("Counters sum, sets are add-wins, deletes follow the policy", arguments: PropertySeeds.all)
    func fieldSemantics(seed: UInt64) throws {
        var trace = Trace(seed: seed)
        let check = { (trace: Trace, event: TraceEvent) in
            try Self.check(trace, replica: event.replica, record: trace.made[event.index].change.recordID, seed: seed)
        }
        try trace.runRandomSteps(observe: check)
        try trace.deliverEverything(observe: check)
        for recordID in trace.recordIDs {
            let made = trace.made.indices.filter { trace.made[$0].change.recordID == recordID }
            let total = trace.expectedCounterValue(among: made)
            for replica in trace.replicas {
                let value = replica.record(recordID).fields[Trace.counterField]?.counter?.value ?? 0
                #expect(value == total, "seed \(seed): counter of \(recordID) is \(value), increments minus decrements made is \(total)")
            }
        }
    }

    /// Requires (so that a broken trace stops at its first violation) the laws on one record.
    static func check(_ trace: Trace, replica: Int, record recordID: RecordID, seed: UInt64) throws {
        let state = trace.replicas[replica].record(recordID)
        let applied = trace.replicas[replica].applied(to: recordID)

        let counterValue = state.fields[Trace.counterField]?.counter?.value ?? 0
        try #require(counterValue == trace.expectedCounterValue(among: applied), "seed \(seed): replica \(replica) counter of \(recordID)")

        let set = state.fields[Trace.setField]?.set ?? SetState()
        for element in Trace.setElements {
            let live = trace.expectedLiveAdds(of: element, among: applied)
            try #require((set.elements[element] ?? []) == live, "seed \(seed): replica \(replica) live adds of \(element) in \(recordID)")
            try #require(set.contains(element) == !live.isEmpty, "seed \(seed): membership of \(element)")
        }
        try #require(Set(set.elements.keys).isSubset(of: Trace.setElements), "seed \(seed)")

        let existence = trace.expectedExistence(among: applied)
        try #require(state.existence.siblings == existence, "seed \(seed): replica \(replica) existence of \(recordID)")
        let deletes = existence.filter { $0.value == .bool(false) }.count
        let edits = existence.count - deletes
        try #require(state.isDeleted(policy: .updateWins) == (deletes > 0 && edits == 0), "seed \(seed): updateWins")
        try #require(state.isDeleted(policy: .deleteWins) == (deletes > 0), "seed \(seed): deleteWins")
        let deleteConflict = ConflictKey(entity: Trace.entity, recordID: recordID, field: "", kind: .deleteVsEdit)
        try #require(state.openConflicts.contains(deleteConflict) == (deletes > 0 && edits > 0), "seed \(seed): delete_vs_edit")
    }
}
