import CRM
import Foundation
import SyncCore
import SyncServer
import SyncStore

/// Compares replicas after a quiescent point: every device's canonical dump must be the same
/// bytes, and the same records as the server holds; conflict lists must agree with the states.
enum Convergence {
    /// One line per divergence; empty when all replicas hold the same state.
    static func problems(devices: [(String, DeviceStore)], server: [RecordState]) throws -> [String] {
        var problems: [String] = []
        let expectedConflicts = server.reduce(into: Set<ConflictKey>()) { $0.formUnion($1.openConflicts) }
        let expectedOrphans = orphans(in: server)
        var reference: (name: String, dump: Data)?
        for (name, store) in devices {
            let dump = try store.canonicalDump()
            if let reference, reference.dump != dump {
                problems.append("DIVERGED: \(name)'s dump differs from \(reference.name)'s (\(dump.count) vs \(reference.dump.count) bytes)")
            } else if reference == nil {
                reference = (name, dump)
            }
            let states = try JSONDecoder().decode([RecordState].self, from: dump)
            if states != server {
                problems.append("DIVERGED: \(name) differs from the server: \(firstDifference(states, server))")
            }
            let deviceConflicts = Set(try store.openConflicts().map(\.key).filter { $0.kind == .concurrentValues || $0.kind == .deleteVsEdit })
            if deviceConflicts != expectedConflicts {
                problems.append("CONFLICTS: \(name) lists \(deviceConflicts.count) open conflicts but its records hold \(expectedConflicts.count): \(deviceConflicts.symmetricDifference(expectedConflicts).sorted().prefix(3).map(\.description))")
            }
            // Orphan references are a function of the records held: every device lists exactly
            // those the server's records imply, whatever order its changes arrived in.
            let deviceOrphans = Set(try store.openConflicts().filter { $0.key.kind == .orphanReference }.map { "\($0.key) → \($0.target ?? "")" })
            if deviceOrphans != expectedOrphans {
                problems.append("ORPHANS: \(name) lists \(deviceOrphans.count) orphan references but its records imply \(expectedOrphans.count): \(deviceOrphans.symmetricDifference(expectedOrphans).sorted().prefix(3))")
            }
            let outbox = try store.outbox()
            if !outbox.isEmpty {
                let reasons = Set(outbox.compactMap(\.rejectCode)).sorted()
                problems.append("STUCK: \(name) still has \(outbox.count) unacknowledged change(s) (rejections: \(reasons.isEmpty ? "none" : reasons.joined(separator: ", ")))")
            }
        }
        return problems
    }

    /// The orphan references `records` imply, worked out here from the states alone: a record
    /// a reader sees whose displayed reference names no record a reader sees.
    static func orphans(in records: [RecordState]) -> Set<String> {
        let schema = CRMSchema.schema
        func visible(_ state: RecordState) -> Bool {
            !state.isDeleted(policy: schema.entity(state.entity)?.deletionPolicy ?? .updateWins)
        }
        let shown = Set(records.filter(visible).map { "\($0.entity)/\($0.id)" })
        var orphans = Set<String>()
        for state in records where visible(state) {
            for field in schema.entity(state.entity)?.referenceFields ?? [] {
                guard let target = state.value(of: field.name).stringValue, let entity = field.type.referencedEntity else { continue }
                if !shown.contains("\(entity)/\(target)") {
                    orphans.insert("\(ConflictKey(entity: state.entity, recordID: state.id, field: field.name, kind: .orphanReference)) → \(target)")
                }
            }
        }
        return orphans
    }

    /// The server's open conflicts must be exactly those its records hold.
    static func serverConflictProblems(open: [SyncServer.ConflictEntry], records: [RecordState]) -> [String] {
        let expected = records.reduce(into: Set<ConflictKey>()) { $0.formUnion($1.openConflicts) }
        let listed = Set(open.map(\.key).filter { $0.kind == .concurrentValues || $0.kind == .deleteVsEdit })
        guard listed != expected else { return [] }
        return ["CONFLICTS: the server lists \(listed.count) open conflicts but its records hold \(expected.count): \(listed.symmetricDifference(expected).sorted().prefix(3).map(\.description))"]
    }

    /// Names the first record where two record lists differ.
    static func firstDifference(_ lhs: [RecordState], _ rhs: [RecordState]) -> String {
        let left = Dictionary(lhs.map { ("\($0.entity)/\($0.id)", $0) }, uniquingKeysWith: { first, _ in first })
        let right = Dictionary(rhs.map { ("\($0.entity)/\($0.id)", $0) }, uniquingKeysWith: { first, _ in first })
        for key in Set(left.keys).union(right.keys).sorted() {
            switch (left[key], right[key]) {
            case (nil, _): return "\(key) is missing (\(lhs.count) vs \(rhs.count) records)"
            case (_, nil): return "\(key) is extra (\(lhs.count) vs \(rhs.count) records)"
            case (let a?, let b?) where a != b:
                return "\(key): version \(a.version) vs \(b.version)"
            default: continue
            }
        }
        return "same records in another order"
    }
}
