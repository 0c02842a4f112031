import Foundation
import SyncCore

/// The seeds every property test runs: fixed, so a failure names a trace anyone can replay.
enum PropertySeeds {
    static let all: [UInt64] = Array(1...300)
}

/// Something a property trace found wrong with itself or with the engine, with its seed.
struct TraceError: Error, CustomStringConvertible {
    var seed: UInt64
    var message: String
    var description: String { "seed \(seed): \(message)" }
}

/// One step of a trace, handed to the test's observer after it happened.
enum TraceEvent {
    /// Replica `replica` made trace change `index` and merged it locally.
    case wrote(replica: Int, index: Int)
    /// Replica `replica` merged trace change `index` made elsewhere; `duplicate` when it had it.
    case delivered(replica: Int, index: Int, before: RecordState, outcome: MergeOutcome, duplicate: Bool)

    var replica: Int {
        switch self {
        case .wrote(let replica, _), .delivered(let replica, _, _, _, _): return replica
        }
    }

    var index: Int {
        switch self {
        case .wrote(_, let index), .delivered(_, let index, _, _, _): return index
        }
    }
}

/// A random multi-replica history, reproducible from its seed.
///
/// 3–5 replicas edit 2–4 leads with register, counter and set fields and deletes, and pass
/// changes to each other one at a time, only when the receiver is causally ready for them
/// (it holds the writer's context for that record), sometimes a second time. Physical clocks
/// wander and jump backwards; HLCs come from each replica's `HybridClock`.
struct Trace: Sendable {
    /// A change the trace made, with what the tests need to know about it.
    struct Made: Sendable {
        var change: Change
        var writer: Int
        /// The trace indices of the changes the writer's context names: one per replica entry.
        var dependencies: [Int]
        /// What the writer added to its own counter entry (not the totals the change carries).
        var counterDelta: CounterEntry?
    }

    static let entity = "lead"
    static let registerFields = ["name", "stage", "amount"]
    static let counterField = "visits"
    static let setField = "tags"
    static let setElements = ["vip", "hot", "cold", "north", "south"]
    static let names = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]
    static let amounts = ["0", "12.5", "1200", "99.99", "-3"]

    let seed: UInt64
    var rng: SplitMix64
    private(set) var replicas: [TestReplica]
    let recordIDs: [RecordID]
    let stepCount: Int
    private(set) var made: [Made] = []
    /// `sees[j][i]` for i < j: change j's context covers change i's dot, i.e. j's writer had seen i.
    private(set) var sees: [[Bool]] = []
    /// Per replica, the trace changes it has not applied yet.
    private var pending: [[Int]]
    private var indexOfDot: [Dot: Int] = [:]

    init(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let replicaCount = rng.int(in: 3...5)
        let recordCount = rng.int(in: 2...4)
        self.stepCount = rng.int(in: 40...120)
        var replicas: [TestReplica] = []
        for _ in 0..<replicaCount {
            let physical = 1_700_000_000_000 + Int64(rng.int(in: -60_000...60_000))
            replicas.append(TestReplica(id: ReplicaID(Self.randomUUID(&rng)), entity: Self.entity, physicalTime: physical))
        }
        var recordIDs: [RecordID] = []
        for _ in 0..<recordCount {
            recordIDs.append(Self.randomUUID(&rng).uuidString.lowercased())
        }
        self.seed = seed
        self.rng = rng
        self.replicas = replicas
        self.recordIDs = recordIDs
        self.pending = Array(repeating: [], count: replicaCount)
    }

    /// A version 4 UUID drawn from the trace's generator.
    static func randomUUID(_ rng: inout SplitMix64) -> UUID {
        let high = rng.next()
        let low = rng.next()
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: high >> (8 * $0)) } + (0..<8).map { UInt8(truncatingIfNeeded: low >> (8 * $0)) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    func failure(_ message: String) -> TraceError {
        TraceError(seed: seed, message: message)
    }

    var changes: [Change] { made.map(\.change) }

    // MARK: Running

    /// Runs the random phase: `stepCount` local changes and deliveries.
    mutating func runRandomSteps(observe: (Trace, TraceEvent) throws -> Void = { _, _ in }) throws {
        for _ in 0..<stepCount {
            let event = try randomStep()
            try observe(self, event)
        }
    }

    /// Delivers every change to every replica, in a random causal order, with a few duplicates.
    mutating func deliverEverything(observe: (Trace, TraceEvent) throws -> Void = { _, _ in }) throws {
        while true {
            let waiting = pending.indices.filter { !pending[$0].isEmpty }
            guard let receiver = rng.element(of: waiting) else { return }
            let ready = pending[receiver].filter { isReady($0, at: replicas[receiver]) }
            guard let index = rng.element(of: ready) else {
                throw failure("replica \(receiver) has \(pending[receiver].count) pending changes and none is causally ready")
            }
            try observe(self, try deliver(index, to: receiver))
            if rng.percent(5), let again = rng.element(of: replicas[receiver].appliedOrder) {
                try observe(self, try deliver(again, to: receiver))
            }
        }
    }

    /// True when every change the writer of `index` had seen is applied at `replica`.
    func isReady(_ index: Int, at replica: TestReplica) -> Bool {
        made[index].dependencies.allSatisfy { replica.has($0) }
    }

    private mutating func randomStep() throws -> TraceEvent {
        let roll = rng.int(in: 0...99)
        if roll < 8, let event = try deliverDuplicate() { return event }
        if roll < 50, let event = try deliverPending() { return event }
        return try writeRandomChange()
    }

    private mutating func deliverPending() throws -> TraceEvent? {
        for receiver in replicas.indices.shuffled(using: &rng) {
            let ready = pending[receiver].filter { isReady($0, at: replicas[receiver]) }
            if let index = rng.element(of: ready) {
                return try deliver(index, to: receiver)
            }
        }
        return nil
    }

    private mutating func deliverDuplicate() throws -> TraceEvent? {
        let receiver = rng.int(in: 0...(replicas.count - 1))
        guard let index = rng.element(of: replicas[receiver].appliedOrder) else { return nil }
        return try deliver(index, to: receiver)
    }

    /// Hands change `index` to `receiver`, checking that the engine agrees with the trace on
    /// whether it is new and causally ready.
    mutating func deliver(_ index: Int, to receiver: Int) throws -> TraceEvent {
        let change = made[index].change
        let duplicate = replicas[receiver].has(index)
        let record = replicas[receiver].record(change.recordID)
        if record.version.covers(change.dot) != duplicate {
            throw failure("replica \(receiver): the record version \(record.version) disagrees with the trace on whether it holds \(change.dot)")
        }
        if !duplicate && !record.version.covers(change.context) {
            throw failure("replica \(receiver) was handed \(change.dot) whose context \(change.context) it does not cover")
        }
        replicas[receiver].physicalTime += Int64(rng.int(in: -1_000...1_500))
        let (before, outcome) = try replicas[receiver].merge(change, index: index)
        if !duplicate {
            pending[receiver].removeAll { $0 == index }
        }
        return .delivered(replica: receiver, index: index, before: before, outcome: outcome, duplicate: duplicate)
    }

    // MARK: Writing

    private mutating func writeRandomChange() throws -> TraceEvent {
        let writer = rng.int(in: 0...(replicas.count - 1))
        guard let recordID = rng.element(of: recordIDs) else { throw failure("no records") }
        replicas[writer].physicalTime += Int64(rng.int(in: -1_500...2_000))
        let state = replicas[writer].record(recordID)
        var operations: [FieldOperation] = []
        var counterDelta: CounterEntry?
        switch rng.int(in: 0...99) {
        case 0..<40:
            operations = randomAssignments()
        case 40..<58:
            let (operation, delta) = randomCounter(state, writer: writer)
            operations = [operation]
            counterDelta = delta
        case 58..<83:
            operations = randomSetOperations(state)
        case 83..<93:
            let (operation, delta) = randomCounter(state, writer: writer)
            operations = randomAssignments() + [operation] + randomSetOperations(state)
            counterDelta = delta
        default:
            operations = [.delete]
        }
        let change = replicas[writer].makeChange(operations, to: recordID)
        do {
            try TestSchema.schema.validate(change)
        } catch {
            throw failure("the trace made an invalid change: \(error)")
        }
        var dependencies: [Int] = []
        for (replica, counter) in change.context.counters {
            guard let dependency = indexOfDot[Dot(replica: replica, counter: counter)] else {
                throw failure("context \(change.context) names a dot the trace never made")
            }
            dependencies.append(dependency)
        }
        let index = made.count
        made.append(Made(change: change, writer: writer, dependencies: dependencies, counterDelta: counterDelta))
        indexOfDot[change.dot] = index
        sees.append(made.indices.dropLast().map { earlier in
            made[earlier].change.recordID == recordID && change.context.covers(made[earlier].change.dot)
        })
        let (_, outcome) = try replicas[writer].merge(change, index: index)
        guard outcome.applied else { throw failure("a fresh local change \(change.dot) was not applied") }
        for other in replicas.indices where other != writer {
            pending[other].append(index)
        }
        return .wrote(replica: writer, index: index)
    }

    private mutating func randomAssignments() -> [FieldOperation] {
        let count = rng.int(in: 1...2)
        return Self.registerFields.shuffled(using: &rng).prefix(count).map { field in
            let value: Value
            switch field {
            case "name": value = .string(rng.element(of: Self.names) ?? "Acme")
            case "stage": value = rng.percent(15) ? .null : .string(rng.element(of: TestSchema.stages) ?? "New")
            default: value = rng.percent(15) ? .null : .string(rng.element(of: Self.amounts) ?? "0")
            }
            return assign(field, value)
        }
    }

    /// The writer publishes its new cumulative totals for its own entry.
    private mutating func randomCounter(_ state: RecordState, writer: Int) -> (FieldOperation, CounterEntry) {
        let own = state.fields[Self.counterField]?.counter?.entry(for: replicas[writer].id) ?? CounterEntry()
        let amount = Int64(rng.int(in: 1...5))
        let delta = rng.percent(65) ? CounterEntry(increments: amount, decrements: 0) : CounterEntry(increments: 0, decrements: amount)
        let operation = counter(Self.counterField, increments: own.increments + delta.increments, decrements: own.decrements + delta.decrements)
        return (operation, delta)
    }

    /// Adds and removes of distinct elements; removes are mostly of elements the writer sees.
    private mutating func randomSetOperations(_ state: RecordState) -> [FieldOperation] {
        let count = rng.int(in: 1...2)
        let set = state.fields[Self.setField]?.set ?? SetState()
        return Self.setElements.shuffled(using: &rng).prefix(count).map { element in
            let removes = set.contains(element) ? rng.percent(60) : rng.percent(20)
            return removes ? remove(Self.setField, element) : add(Self.setField, element)
        }
    }

    // MARK: Replaying

    /// A fresh replica that applied `indices` (a causally closed set) in a random causal order
    /// drawn from `orderSeed`, re-delivering about `duplicatePercent` % of them a second time.
    func replay(_ indices: [Int], orderSeed: UInt64, duplicatePercent: Int = 0) throws -> TestReplica {
        var rng = SplitMix64(seed: orderSeed)
        var replica = TestReplica(id: Fixtures.replica(0xee), entity: Self.entity, physicalTime: 1_700_000_000_000)
        var waiting = Array(Set(indices))
        waiting.sort()
        while !waiting.isEmpty {
            let ready = waiting.indices.filter { isReady(waiting[$0], at: replica) }
            guard let position = rng.element(of: ready) else {
                throw failure("replay is stuck: \(waiting.count) changes left and none is ready (set not causally closed?)")
            }
            let index = waiting.remove(at: position)
            let (_, outcome) = try replica.merge(made[index].change, index: index)
            guard outcome.applied else { throw failure("replay: \(made[index].change.dot) was not applied the first time") }
            if rng.percent(duplicatePercent), let again = rng.element(of: replica.appliedOrder) {
                let (before, repeated) = try replica.merge(made[again].change, index: again)
                guard !repeated.applied, repeated.state == before else {
                    throw failure("replay: re-delivering \(made[again].change.dot) changed the record")
                }
            }
        }
        return replica
    }
}
