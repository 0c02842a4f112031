import CRM
import SyncCore

/// A replica for scenario tests: records, a dot counter, a hybrid clock, and the changes it
/// holds in the order it applied them (a causal order).
///
/// The smallest model of a device store that still merges exactly like one: every write goes
/// through `RecordState.merging`, and deliveries hold changes back until their causes arrived.
struct ScenarioReplica {
    struct Key: Hashable, Comparable {
        var entity: String
        var id: RecordID
        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.entity, lhs.id) < (rhs.entity, rhs.id) }
    }

    enum Failure: Error, CustomStringConvertible {
        case causalGap(replica: String, waiting: [Dot])
        case rejected(ValidationError)
        case merge(MergeError)

        var description: String {
            switch self {
            case .causalGap(let replica, let waiting): return "\(replica) cannot apply \(waiting): their causes never arrived"
            case .rejected(let error): return "write refused by the schema: \(error)"
            case .merge(let error): return "merge failed: \(error)"
            }
        }
    }

    let name: String
    let id: ReplicaID
    private(set) var records: [Key: RecordState] = [:]
    private(set) var log: [Change] = []
    private var held: Set<Dot> = []
    private var counter: UInt64 = 0
    private var clock = HybridClock()
    private var physical: Int64 = 0

    init(name: String, id: ReplicaID) {
        self.name = name
        self.id = id
    }

    func record(_ entity: String, _ id: RecordID) -> RecordState? {
        records[Key(entity: entity, id: id)]
    }

    /// Makes a local change: the next dot, a fresh HLC, and the record's version as context.
    mutating func write(entity: String, id: RecordID, operations: [FieldOperation], at time: Int64, schema: Schema) throws {
        physical = max(physical, time)
        counter += 1
        let key = Key(entity: entity, id: id)
        let state = records[key] ?? RecordState(entity: entity, id: id)
        let change = Change(
            entity: entity, recordID: id, dot: Dot(replica: self.id, counter: counter),
            hlc: clock.tick(physical: time), context: state.version, operations: operations
        )
        do { try schema.validate(change) } catch { throw Failure.rejected(error) }
        try apply(change)
    }

    /// Receives changes in any order, with duplicates: applies each once its causes (the
    /// writer's context) are present, and fails if some can never be applied.
    mutating func receive(_ changes: [Change]) throws {
        var pending = changes.filter { !held.contains($0.dot) }
        var seen = Set<Dot>()
        pending = pending.filter { seen.insert($0.dot).inserted }
        while !pending.isEmpty {
            guard let index = pending.firstIndex(where: isReady) else {
                throw Failure.causalGap(replica: name, waiting: pending.map(\.dot))
            }
            let change = pending.remove(at: index)
            clock.receive(change.hlc, physical: physical)
            try apply(change)
        }
    }

    private func isReady(_ change: Change) -> Bool {
        let version = records[Key(entity: change.entity, id: change.recordID)]?.version ?? VersionVector()
        return version.covers(change.context)
    }

    private mutating func apply(_ change: Change) throws {
        let key = Key(entity: change.entity, id: change.recordID)
        let state = records[key] ?? RecordState(entity: change.entity, id: change.recordID)
        do {
            records[key] = try state.merging(change).state
        } catch {
            throw Failure.merge(error)
        }
        held.insert(change.dot)
        log.append(change)
    }
}
