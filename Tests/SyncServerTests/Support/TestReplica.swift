import CRM
import Foundation
import SyncCore

/// A minimal device replica for tests: makes changes with correct dots and contexts, and
/// applies what the server sends back (snapshot pages and log entries).
struct TestReplica: Sendable {
    let replica: ReplicaID
    var token: String
    var counter: UInt64 = 0
    var records: [String: RecordState] = [:]
    var cursor: LogSequence?
    var bootstrap: BootstrapCursor?

    init(replica: ReplicaID, token: String) {
        self.replica = replica
        self.token = token
    }

    static func key(_ entity: String, _ id: RecordID) -> String { "\(entity)/\(id)" }

    func record(_ entity: String, _ id: RecordID) -> RecordState? { records[Self.key(entity, id)] }

    /// Makes a local change and applies it to the local state.
    mutating func write(_ entity: String, _ id: RecordID, _ operations: [FieldOperation], physical: Int64 = nowMilliseconds()) throws -> Change {
        counter += 1
        let key = Self.key(entity, id)
        let state = records[key] ?? RecordState(entity: entity, id: id)
        let change = Change(
            entity: entity, recordID: id, dot: Dot(replica: replica, counter: counter), hlc: HLC(physical: physical, logical: 0),
            context: state.version, operations: operations
        )
        records[key] = try state.merging(change).state
        return change
    }

    /// A change stamped as if written, without applying it locally (for requests the server must refuse).
    mutating func unappliedChange(_ entity: String, _ id: RecordID, _ operations: [FieldOperation], physical: Int64 = nowMilliseconds()) -> Change {
        counter += 1
        return Change(
            entity: entity, recordID: id, dot: Dot(replica: replica, counter: counter), hlc: HLC(physical: physical, logical: 0),
            context: records[Self.key(entity, id)]?.version ?? VersionVector(), operations: operations
        )
    }

    /// The next request: pushes `changes`, pulls from the cursor or continues the bootstrap.
    func request(pushing changes: [Change] = [], limit: Int? = nil) -> SyncRequest {
        SyncRequest(replica: replica, clientTime: nowMilliseconds(), cursor: cursor, changes: changes, bootstrap: cursor == nil ? bootstrap : nil, limit: limit)
    }

    /// Applies a response like a device: a resync drops every record first; snapshot records
    /// and arrivals are joined, log entries merged, evictions drop records with their children,
    /// and the cursor advances.
    mutating func apply(_ response: SyncResponse) throws {
        if response.resync {
            records = [:]
            bootstrap = nil
            cursor = nil
        }
        for state in response.arrivals {
            let key = Self.key(state.entity, state.id)
            records[key] = records[key].map { $0.joined(state) } ?? state
        }
        defer {
            for eviction in response.evictions {
                records = records.filter { _, state in
                    !(state.entity == eviction.entity && state.id == eviction.id) && Self.accountID(of: state) != eviction.id
                }
            }
        }
        if let snapshot = response.snapshot {
            for state in snapshot.records {
                let key = Self.key(state.entity, state.id)
                records[key] = records[key].map { $0.joined(state) } ?? state
            }
            bootstrap = snapshot.next
        }
        for entry in response.changes {
            let key = Self.key(entry.change.entity, entry.change.recordID)
            let state = records[key] ?? RecordState(entity: entry.change.entity, id: entry.change.recordID)
            records[key] = try state.merging(entry.change).state
        }
        if response.cursor != nil || response.snapshot == nil {
            cursor = response.cursor
        }
    }

    /// The account a record belongs to, as a device's store derives it: an account's own id,
    /// a child's `account` field.
    static func accountID(of state: RecordState) -> RecordID? {
        switch CRMSchema.schema.entity(state.entity)?.scope {
        case .territory?: return state.id
        case .account(let field)?: return state.value(of: field).stringValue
        default: return nil
        }
    }

    /// Every record, ordered like the server's dump.
    var sortedRecords: [RecordState] {
        records.values.sorted { ($0.entity, $0.id) < ($1.entity, $1.id) }
    }
}

extension FieldOperation {
    static func set(_ field: String, _ value: Value) -> FieldOperation {
        FieldOperation(field: field, operation: .assign(value))
    }

    static func set(_ field: String, _ text: String) -> FieldOperation {
        FieldOperation(field: field, operation: .assign(.string(text)))
    }
}

/// Operations creating a valid account.
func accountFields(name: String, territory: String = "east") -> [FieldOperation] {
    [.set("name", name), .set("territory", territory)]
}
