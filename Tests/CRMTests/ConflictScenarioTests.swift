import CRM
import Foundation
import SyncCore
import Testing

@Suite("Conflict scenarios from fixtures/scenarios")
struct ConflictScenarioTests {
    static let schema = CRMSchema.schema

    @Test("the scenario directory holds the six stories")
    func scenarioFilesExist() {
        #expect(ConflictScenario.files.count >= 6)
    }

    /// Runs one scenario: its steps, then a full exchange. Checks the intermediate and final
    /// expectations, and that every replica converged to byte-identical record state.
    @Test("scenario merges to its expected outcome and converges", arguments: ConflictScenario.files)
    func run(file: String) throws {
        let scenario = try ConflictScenario.load(Repository.file("fixtures/scenarios/\(file)"))
        #expect(scenario.format == ConflictScenario.currentFormat)
        var replicas = try Self.replicas(of: scenario)

        for (number, step) in scenario.steps.enumerated() {
            switch step {
            case .write(let write):
                try #require(replicas[write.replica] != nil, "step \(number): unknown replica \(write.replica)")
                try replicas[write.replica]?.write(entity: write.entity, id: write.id, operations: write.ops, at: write.at, schema: Self.schema)
            case .deliver(let delivery):
                let source = try #require(replicas[delivery.from], "step \(number): unknown replica \(delivery.from)")
                try #require(replicas[delivery.to] != nil, "step \(number): unknown replica \(delivery.to)")
                try replicas[delivery.to]?.receive(source.log)
            case .deliverAll:
                try Self.deliverAll(&replicas)
            case .check(let check):
                let replica = try #require(replicas[check.replica], "step \(number): unknown replica \(check.replica)")
                for expectation in check.records {
                    let problems = expectation.mismatches(in: replica.record(expectation.entity, expectation.id), schema: Self.schema)
                    #expect(problems.isEmpty, "\(file) step \(number) on \(check.replica): \(problems.joined(separator: "; "))")
                }
            }
        }

        try Self.deliverAll(&replicas)
        let ordered = replicas.values.sorted { $0.name < $1.name }
        let reference = try Self.encoded(ordered[0])
        for replica in ordered.dropFirst() {
            #expect(replica.records == ordered[0].records, "\(file): \(replica.name) differs from \(ordered[0].name)")
            #expect(try Self.encoded(replica) == reference, "\(file): \(replica.name) does not encode like \(ordered[0].name)")
        }
        for replica in ordered {
            for expectation in scenario.expect {
                let problems = expectation.mismatches(in: replica.record(expectation.entity, expectation.id), schema: Self.schema)
                #expect(problems.isEmpty, "\(file) final on \(replica.name): \(problems.joined(separator: "; "))")
            }
        }
    }

    /// Delivery in another order gives the same result: each replica receives the union of
    /// all changes reversed, which the causal buffer must put back in order.
    @Test("final state does not depend on delivery order", arguments: ConflictScenario.files)
    func orderIndependence(file: String) throws {
        let scenario = try ConflictScenario.load(Repository.file("fixtures/scenarios/\(file)"))
        var replicas = try Self.replicas(of: scenario)
        var all: [Change] = []
        for step in scenario.steps {
            guard case .write(let write) = step else {
                if case .deliverAll = step { try Self.deliverAll(&replicas) }
                if case .deliver(let delivery) = step, let source = replicas[delivery.from] {
                    try replicas[delivery.to]?.receive(source.log)
                }
                continue
            }
            try replicas[write.replica]?.write(entity: write.entity, id: write.id, operations: write.ops, at: write.at, schema: Self.schema)
        }
        for replica in replicas.values { all += replica.log }
        var fresh = ScenarioReplica(name: "late-joiner", id: ReplicaID(UUID(uuidString: "00000000-0000-4000-8000-0000000000ff") ?? UUID()))
        try fresh.receive(all.reversed() + all)
        try Self.deliverAll(&replicas)
        for replica in replicas.values {
            #expect(replica.records == fresh.records, "\(file): \(replica.name) differs from a replica fed in reverse order")
        }
    }

    static func replicas(of scenario: ConflictScenario) throws -> [String: ScenarioReplica] {
        var replicas: [String: ScenarioReplica] = [:]
        for replica in scenario.replicas {
            try #require(replicas[replica.name] == nil, "replica \(replica.name) is declared twice")
            replicas[replica.name] = ScenarioReplica(name: replica.name, id: replica.id)
        }
        return replicas
    }

    /// Every replica receives every change held anywhere.
    static func deliverAll(_ replicas: inout [String: ScenarioReplica]) throws {
        let all = replicas.keys.sorted().flatMap { replicas[$0]?.log ?? [] }
        for name in replicas.keys.sorted() {
            try replicas[name]?.receive(all)
        }
    }

    static func encoded(_ replica: ScenarioReplica) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(replica.records.keys.sorted().compactMap { replica.records[$0] })
    }
}
