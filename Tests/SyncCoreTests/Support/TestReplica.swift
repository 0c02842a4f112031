import Foundation
import SyncCore

/// One simulated replica of a property trace: its dot counter, its hybrid clock fed with a
/// wandering physical time, and the records it holds.
///
/// Changes are named by their index in the trace, so "has this replica applied change i" is an
/// array lookup; the merge engine is still what decides duplicates and readiness, and the trace
/// checks that both answers agree.
struct TestReplica: Sendable {
    let id: ReplicaID
    let entity: String
    var clock = HybridClock()
    /// What this replica's wall clock says; wrong, and sometimes moving backwards.
    var physicalTime: Int64
    private(set) var nextCounter: UInt64 = 1
    private(set) var records: [RecordID: RecordState] = [:]
    /// The trace changes applied here, per record, in the order they were applied.
    private(set) var appliedByRecord: [RecordID: [Int]] = [:]
    /// Every trace change applied here, in the order applied.
    private(set) var appliedOrder: [Int] = []
    private var hasChange: [Bool] = []

    init(id: ReplicaID, entity: String, physicalTime: Int64) {
        self.id = id
        self.entity = entity
        self.physicalTime = physicalTime
    }

    func record(_ id: RecordID) -> RecordState {
        records[id] ?? RecordState(entity: entity, id: id)
    }

    func has(_ index: Int) -> Bool {
        index < hasChange.count && hasChange[index]
    }

    func applied(to recordID: RecordID) -> [Int] {
        appliedByRecord[recordID] ?? []
    }

    /// A new local change of `recordID`: the next dot, a fresh HLC and the record's current
    /// version as context. The caller merges and stores it.
    mutating func makeChange(_ operations: [FieldOperation], to recordID: RecordID) -> Change {
        let change = Change(
            entity: entity,
            recordID: recordID,
            dot: Dot(replica: id, counter: nextCounter),
            hlc: clock.tick(physical: physicalTime),
            context: record(recordID).version,
            operations: operations
        )
        nextCounter += 1
        return change
    }

    /// Merges a change (local or remote) through the engine and keeps the result.
    mutating func merge(_ change: Change, index: Int) throws(MergeError) -> (before: RecordState, outcome: MergeOutcome) {
        let before = record(change.recordID)
        let outcome = try before.merging(change)
        if change.dot.replica != id {
            clock.receive(change.hlc, physical: physicalTime)
        }
        if outcome.applied {
            records[change.recordID] = outcome.state
            appliedByRecord[change.recordID, default: []].append(index)
            appliedOrder.append(index)
            if hasChange.count <= index {
                hasChange.append(contentsOf: repeatElement(false, count: index + 1 - hasChange.count))
            }
            hasChange[index] = true
        }
        return (before, outcome)
    }

    /// The bytes two converged replicas must share: every record, sorted by id.
    func encodedRecords() throws -> Data {
        try stableJSON(records.values.sorted { $0.id < $1.id })
    }
}
