import FieldSyncTestSupport
import Foundation
import Testing

/// Seeds and length of the simulation: 20 seeds of 1,000 steps on SQLite in CI, and the first
/// 2 of them on PostgreSQL; more by environment:
/// `FIELDSYNC_SIM_SEEDS=200 FIELDSYNC_SIM_STEPS=20000 swift test --filter SimulationTests`,
/// `FIELDSYNC_SIM_SEEDS=201-400` for a range, or one seed with `FIELDSYNC_SIM_SEED=7`;
/// `FIELDSYNC_SIM_POSTGRES_SEEDS` the same for PostgreSQL (default: the first 2 SQLite seeds).
enum SimulationRun {
    static let environment = ProcessInfo.processInfo.environment

    static let seeds: [UInt64] = {
        if let text = environment["FIELDSYNC_SIM_SEED"], let seed = UInt64(text) { return [seed] }
        return seeds(environment["FIELDSYNC_SIM_SEEDS"] ?? "20")
    }()

    /// A PostgreSQL round trip costs what SQLite's statement does many times over, so CI runs
    /// fewer seeds there.
    static let postgresSeeds: [UInt64] = environment["FIELDSYNC_SIM_POSTGRES_SEEDS"].map(seeds) ?? Array(seeds.prefix(2))

    /// "200" is seeds 1…200; "201-400" those.
    private static func seeds(_ text: String) -> [UInt64] {
        let bounds = text.split(separator: "-").compactMap { UInt64($0) }
        if bounds.count == 2, bounds[0] <= bounds[1] { return Array(bounds[0]...bounds[1]) }
        return Array(1...max(bounds.first ?? 20, 1))
    }

    static let steps: Int = environment["FIELDSYNC_SIM_STEPS"].flatMap { Int($0) } ?? 1000
}

@Suite("Deterministic simulation: one server, 20 devices, faults, crashes and restarts")
struct SimulationTests {
    @Test("every quiescent point converges, loses no write and counts every increment once", arguments: SimulationRun.seeds)
    func simulate(seed: UInt64) async throws {
        try await Self.run(SimulationSettings(seed: seed, steps: SimulationRun.steps))
    }

    @Test("the same on PostgreSQL: every quiescent point converges, loses no write and counts every increment once",
          .enabled(if: PostgresTestCluster.shouldRun), arguments: SimulationRun.postgresSeeds)
    func simulateOnPostgres(seed: UInt64) async throws {
        try await Self.run(SimulationSettings(seed: seed, backend: .postgres, steps: SimulationRun.steps))
    }

    private static func run(_ settings: SimulationSettings) async throws {
        let started = ContinuousClock.now
        let simulation = try await Simulation(settings)
        do {
            let report = try await simulation.run()
            print("\(report.summary) in \(ContinuousClock.now - started)")
        } catch let failure as SimulationFailure {
            Issue.record("\(failure)")
        }
    }
}
