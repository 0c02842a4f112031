import Foundation
import SyncCore
import Testing

/// Fixed identities for hand-written cases. Replica ids sort A < B < C by their text, which is
/// what the display tie-break uses.
enum Fixtures {
    static let replicaA = replica(0xa1)
    static let replicaB = replica(0xb2)
    static let replicaC = replica(0xc3)

    static let leadID: RecordID = "0192f0c4-1b2c-7d3e-8f40-000000000001"
    static let otherLeadID: RecordID = "0192f0c4-1b2c-7d3e-8f40-000000000002"
    static let taskID: RecordID = "0192f0c4-1b2c-7d3e-8f40-0000000000a1"

    /// A replica id whose text is "xxxxxxxx-0000-4000-8000-0000000000xx" for the byte `xx`.
    static func replica(_ byte: UInt8) -> ReplicaID {
        ReplicaID(UUID(uuid: (byte, byte, byte, byte, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, byte)))
    }

    static func lead(_ id: RecordID = leadID) -> RecordState {
        RecordState(entity: "lead", id: id)
    }

    static func task(_ id: RecordID = taskID) -> RecordState {
        RecordState(entity: "task", id: id)
    }
}

extension ReplicaID {
    /// This replica's write number `counter`.
    func dot(_ counter: UInt64) -> Dot {
        Dot(replica: self, counter: counter)
    }
}

func assign(_ field: String, _ value: Value) -> FieldOperation {
    FieldOperation(field: field, operation: .assign(value))
}

func counter(_ field: String, increments: Int64, decrements: Int64 = 0) -> FieldOperation {
    FieldOperation(field: field, operation: .counter(increments: increments, decrements: decrements))
}

func add(_ field: String, _ element: String) -> FieldOperation {
    FieldOperation(field: field, operation: .add(element))
}

func remove(_ field: String, _ element: String) -> FieldOperation {
    FieldOperation(field: field, operation: .remove(element))
}

/// A change of a lead (or of `entity`) with every causal stamp spelled out.
func makeChange(
    entity: String = "lead",
    record: RecordID = Fixtures.leadID,
    dot: Dot,
    hlc: Int64,
    context: VersionVector = VersionVector(),
    _ operations: [FieldOperation]
) -> Change {
    Change(entity: entity, recordID: record, dot: dot, hlc: HLC(physical: hlc), context: context, operations: operations)
}

/// Applies `changes` in order, failing on a merge error.
func applying(_ changes: [Change], to record: RecordState) throws -> RecordState {
    var state = record
    for change in changes {
        state = try state.merging(change).state
    }
    return state
}

/// The bytes every replica must agree on: JSON with sorted keys.
func stableJSON<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
}

func stableJSONText<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try stableJSON(value), as: UTF8.self)
}

/// The values of a register field, in sibling (dot) order.
func siblingValues(_ record: RecordState, _ field: String) -> [Value] {
    record.fields[field]?.register?.siblings.map(\.value) ?? []
}

/// Runs `body` and returns the code of the validation error it throws, or nil. Any other
/// error is recorded as a test failure.
func validationCode(_ body: () throws -> Void) -> ValidationError.Code? {
    do {
        try body()
        return nil
    } catch let error as ValidationError {
        return error.code
    } catch {
        Issue.record("expected a ValidationError, got \(error)")
        return nil
    }
}
