import CRM
import Foundation
import SyncCore

/// A conflict scenario file (`fixtures/scenarios/*.json`, format `fieldsync-scenario/1`):
/// replicas, ordered steps, and the expected merged outcome. See `fixtures/README.md`.
struct ConflictScenario: Decodable {
    struct Replica: Decodable {
        var name: String
        var id: ReplicaID
    }

    struct Write: Decodable {
        var replica: String
        var at: Int64
        var entity: String
        var id: RecordID
        var ops: [FieldOperation]
    }

    struct Delivery: Decodable {
        var to: String
        var from: String
    }

    struct Check: Decodable {
        var replica: String
        var records: [Expectation]
    }

    enum Step: Decodable {
        case write(Write)
        case deliver(Delivery)
        case deliverAll
        case check(Check)

        enum CodingKeys: String, CodingKey {
            case write, deliver, deliverAll, check
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard container.allKeys.count == 1, let key = container.allKeys.first else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a step has exactly one of write, deliver, deliverAll, check"))
            }
            switch key {
            case .write: self = .write(try container.decode(Write.self, forKey: .write))
            case .deliver: self = .deliver(try container.decode(Delivery.self, forKey: .deliver))
            case .deliverAll: self = .deliverAll
            case .check: self = .check(try container.decode(Check.self, forKey: .check))
            }
        }
    }

    struct ExpectedConflict: Decodable, Hashable, CustomStringConvertible {
        var kind: ConflictKind
        var field: String?

        var description: String { field.map { "\(kind.rawValue) \($0)" } ?? kind.rawValue }
    }

    struct Expectation: Decodable {
        var entity: String
        var id: RecordID
        var visible: Bool?
        var values: [String: FixtureValue]?
        var siblings: [String: [Value]]?
        var conflicts: [ExpectedConflict]?
    }

    var format: String
    var name: String
    var description: String
    var replicas: [Replica]
    var steps: [Step]
    var expect: [Expectation]

    static let currentFormat = "fieldsync-scenario/1"

    static func load(_ url: URL) throws -> ConflictScenario {
        try JSONDecoder().decode(ConflictScenario.self, from: Data(contentsOf: url))
    }

    /// The file names in `fixtures/scenarios`, sorted.
    static let files: [String] = {
        let directory = Repository.file("fixtures/scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()
}

extension ConflictScenario.Expectation {
    /// Every way `state` differs from this expectation, as readable lines; empty when it matches.
    func mismatches(in state: RecordState?, schema: Schema) -> [String] {
        guard let state else { return ["\(entity) \(id) does not exist"] }
        var problems: [String] = []
        if let visible, let policy = schema.entity(entity)?.deletionPolicy, state.isDeleted(policy: policy) == visible {
            problems.append("visible: expected \(visible), got \(!visible)")
        }
        for (field, expected) in (values ?? [:]).sorted(by: { $0.key < $1.key }) {
            let actual = state.fields[field].map(FixtureValue.init) ?? .value(.null)
            if Self.normalized(actual) != Self.normalized(expected) {
                problems.append("\(field): expected \(expected), got \(actual)")
            }
        }
        for (field, expected) in (siblings ?? [:]).sorted(by: { $0.key < $1.key }) {
            let actual = (state.fields[field]?.register?.siblings.map(\.value) ?? []).sorted()
            if actual != expected.sorted() {
                problems.append("siblings of \(field): expected \(expected.sorted()), got \(actual)")
            }
        }
        if let conflicts {
            let actual = Set(state.openConflicts.map { ConflictScenario.ExpectedConflict(kind: $0.kind, field: $0.field.isEmpty ? nil : $0.field) })
            if actual != Set(conflicts) {
                problems.append("conflicts: expected \(conflicts.map(\.description).sorted()), got \(actual.map(\.description).sorted())")
            }
        }
        return problems
    }

    private static func normalized(_ value: FixtureValue) -> FixtureValue {
        if case .elements(let elements) = value { return .elements(elements.sorted()) }
        return value
    }
}
