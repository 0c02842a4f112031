import Synchronization
import SyncCore
import SyncStore

/// Every change any replica made, and every counter increment a person asked for, so that a
/// final state can be checked against the whole history.
///
/// The check is a model of the merge semantics in ARCHITECTURE.md, computed from the changes
/// alone, with no merge code of the product:
///
/// - a register holds exactly the assignments that no other assignment of the same field
///   covered (its writer's context held the dot): nothing accepted is lost, nothing
///   overwritten comes back;
/// - the existence register likewise (every change writes it, a delete writes false);
/// - a set element holds exactly the add-dots that no later add or remove of that element
///   covered;
/// - a counter holds each replica's highest published totals, and its value equals the sum of
///   the increments people made (nothing lost, nothing counted twice);
/// - the record's version is exactly the join of the dots written to it.
final class WriteLedger: Sendable {
    private struct Contents {
        var changes: [Dot: Change] = [:]
        var intents: [String: Int64] = [:]
    }

    private let contents = Mutex(Contents())

    init() {}

    static func key(_ entity: String, _ id: RecordID) -> String { "\(entity)/\(id)" }

    /// Records changes that a store or the server accepted locally (returned by `apply`, or
    /// read back from the server log).
    func record(_ changes: [Change]) {
        contents.withLock { contents in
            for change in changes { contents.changes[change.dot] = change }
        }
    }

    /// Records that a person added `amount` to a counter.
    func recordIncrement(entity: String, id: RecordID, field: String, by amount: Int64) {
        contents.withLock { $0.intents["\(Self.key(entity, id)).\(field)", default: 0] += amount }
    }

    /// Records the increments asked for by edits that were applied.
    func recordIntents(of edits: [LocalEdit]) {
        for edit in edits {
            for case .increment(let field, let amount) in edit.operations {
                recordIncrement(entity: edit.entity, id: edit.recordID, field: field, by: amount)
            }
        }
    }

    /// Follows the stamps the server's records hold: a change refused for clock skew is
    /// stamped again by its device (same dot, context and operations, an earlier HLC) before it
    /// is accepted. Returns one line per stamp that moved forward: a device only ever stamps
    /// again a change stamped too far ahead, so a new stamp is always earlier.
    func adoptStamps(from states: [RecordState]) -> [String] {
        var stamps: [Dot: HLC] = [:]
        for state in states {
            for sibling in state.existence.siblings { stamps[sibling.dot] = sibling.hlc }
            for field in state.fields.values {
                for sibling in field.register?.siblings ?? [] { stamps[sibling.dot] = sibling.hlc }
            }
        }
        return contents.withLock { contents in
            var problems: [String] = []
            for (dot, hlc) in stamps {
                guard var change = contents.changes[dot], change.hlc != hlc else { continue }
                if hlc > change.hlc {
                    problems.append("RESTAMP: \(dot) was made at \(change.hlc) but is held at the later \(hlc)")
                }
                change.hlc = hlc
                contents.changes[dot] = change
            }
            return problems
        }
    }

    var changeCount: Int { contents.withLock { $0.changes.count } }

    var allChanges: [Change] { contents.withLock { Array($0.changes.values) } }

    func contains(_ dot: Dot) -> Bool { contents.withLock { $0.changes[dot] != nil } }

    /// The sum of the increments asked for on one counter.
    func intendedTotal(entity: String, id: RecordID, field: String) -> Int64 {
        contents.withLock { $0.intents["\(Self.key(entity, id)).\(field)"] ?? 0 }
    }

    /// Checks `states` (one replica's records) against every change recorded; returns one line
    /// per problem, empty when the state is exactly what the history implies.
    func problems(in states: [RecordState], limit: Int = 20) -> [String] {
        let (changes, intents) = contents.withLock { ($0.changes, $0.intents) }
        var problems: [String] = []
        func report(_ line: String) {
            if problems.count < limit { problems.append(line) }
        }
        var byRecord: [String: [Change]] = [:]
        for change in changes.values {
            byRecord[Self.key(change.entity, change.recordID), default: []].append(change)
        }
        var stateByKey: [String: RecordState] = [:]
        for state in states { stateByKey[Self.key(state.entity, state.id)] = state }

        for (key, recordChanges) in byRecord.sorted(by: { $0.key < $1.key }) {
            guard let state = stateByKey[key] else {
                report("LOST: record \(key) with \(recordChanges.count) accepted write(s) is missing")
                continue
            }
            checkRecord(key, state, recordChanges.sorted { $0.dot < $1.dot }, report)
        }
        for key in stateByKey.keys.sorted() where byRecord[key] == nil {
            report("PHANTOM: record \(key) exists but no replica ever wrote it")
        }
        for (key, intended) in intents.sorted(by: { $0.key < $1.key }) {
            guard let dotIndex = key.lastIndex(of: ".") else { continue }
            let recordKey = String(key[..<dotIndex])
            let field = String(key[key.index(after: dotIndex)...])
            guard let state = stateByKey[recordKey] else { continue }  // reported above
            let total = state.fields[field]?.counter?.value ?? 0
            if total != intended {
                report("COUNTER: \(key) is \(total) but the increments made add up to \(intended) (\(total > intended ? "counted twice" : "lost"))")
            }
        }
        return problems
    }

    private func checkRecord(_ key: String, _ state: RecordState, _ changes: [Change], _ report: (String) -> Void) {
        var version = VersionVector()
        var coverage = VersionVector()
        for change in changes {
            version.insert(change.dot)
            coverage.formJoin(change.context)
        }
        if state.version != version {
            let missing = changes.filter { !state.version.covers($0.dot) }.map(\.dot)
            if !missing.isEmpty {
                report("LOST: \(key) never applied \(missing.prefix(5).map(\.description).joined(separator: ", "))\(missing.count > 5 ? " and \(missing.count - 5) more" : "")")
            } else {
                report("PHANTOM: \(key) has version \(state.version) but its writes join to \(version)")
            }
            return
        }
        // Existence: every change writes it.
        let existence = RegisterState(siblings: changes.filter { !coverage.covers($0.dot) }.map {
            Sibling(value: .bool(!$0.isDelete), dot: $0.dot, hlc: $0.hlc)
        })
        if state.existence != existence {
            report("EXISTENCE: \(key) holds \(describe(state.existence)) but the history implies \(describe(existence))")
        }

        var assignments: [String: [(Change, Value)]] = [:]
        var counters: [String: CounterState] = [:]
        var setOperations: [String: [String: [(Change, isAdd: Bool)]]] = [:]
        for change in changes {
            for operation in change.operations {
                switch operation.operation {
                case .assign(let value):
                    assignments[operation.field, default: []].append((change, value))
                case .counter(let increments, let decrements):
                    counters[operation.field, default: CounterState()].apply(replica: change.dot.replica, increments: increments, decrements: decrements)
                case .add(let element):
                    setOperations[operation.field, default: [:]][element, default: []].append((change, true))
                case .remove(let element):
                    setOperations[operation.field, default: [:]][element, default: []].append((change, false))
                case .delete:
                    break
                }
            }
        }
        let written = Set(assignments.keys).union(counters.keys).union(setOperations.keys)
        for field in Set(state.fields.keys).subtracting(written).sorted() {
            report("PHANTOM: \(key).\(field) has state but nobody wrote it")
        }
        for (field, writes) in assignments.sorted(by: { $0.key < $1.key }) {
            var fieldCoverage = VersionVector()
            for (change, _) in writes { fieldCoverage.formJoin(change.context) }
            let expected = RegisterState(siblings: writes.filter { !fieldCoverage.covers($0.0.dot) }.map {
                Sibling(value: $0.1, dot: $0.0.dot, hlc: $0.0.hlc)
            })
            guard let actual = state.fields[field]?.register else {
                report("LOST: \(key).\(field) has no register state; expected \(describe(expected))")
                continue
            }
            if actual != expected {
                let lost = Set(expected.siblings).subtracting(actual.siblings)
                let label = lost.isEmpty ? "ZOMBIE" : "LOST"
                report("\(label): \(key).\(field) holds \(describe(actual)) but the history implies \(describe(expected))")
            } else if actual.value != (expected.siblings.max(by: Sibling.displayOrder)?.value ?? .null) {
                report("DISPLAY: \(key).\(field) displays \(actual.value), not the greatest (hlc, replica) sibling")
            }
        }
        for (field, expected) in counters.sorted(by: { $0.key < $1.key }) {
            let actual = state.fields[field]?.counter
            if actual != expected {
                report("COUNTER: \(key).\(field) holds \(actual.map { "\($0.entries)" } ?? "nothing") but the published totals are \(expected.entries)")
            }
        }
        for (field, elements) in setOperations.sorted(by: { $0.key < $1.key }) {
            var expected: [String: [Dot]] = [:]
            for (element, operations) in elements {
                var elementCoverage = VersionVector()
                for (change, _) in operations { elementCoverage.formJoin(change.context) }
                let live = operations.filter { $0.isAdd && !elementCoverage.covers($0.0.dot) }.map { $0.0.dot }
                if !live.isEmpty { expected[element] = live.sorted() }
            }
            let actual = state.fields[field]?.set?.elements ?? [:]
            if actual != expected {
                report("SET: \(key).\(field) holds \(actual.mapValues { $0.map(\.description) }) but the history implies \(expected.mapValues { $0.map(\.description) })")
            }
        }
    }

    private func describe(_ register: RegisterState) -> String {
        "[" + register.siblings.map { "\($0.value)@\($0.dot)" }.joined(separator: ", ") + "]"
    }
}
