import Foundation
import Testing

/// Seeds and length of the simulation: 20 seeds of 1,000 steps in CI; more by environment:
/// `FIELDSYNC_SIM_SEEDS=200 FIELDSYNC_SIM_STEPS=20000 swift test --filter SimulationTests`,
/// `FIELDSYNC_SIM_SEEDS=201-400` for a range, or one seed with `FIELDSYNC_SIM_SEED=7`.
enum SimulationRun {
    static let environment = ProcessInfo.processInfo.environment

    static let seeds: [UInt64] = {
        if let text = environment["FIELDSYNC_SIM_SEED"], let seed = UInt64(text) { return [seed] }
        // "200" runs seeds 1…200; "201-400" runs those.
        let text = environment["FIELDSYNC_SIM_SEEDS"] ?? "20"
        let bounds = text.split(separator: "-").compactMap { UInt64($0) }
        if bounds.count == 2, bounds[0] <= bounds[1] { return Array(bounds[0]...bounds[1]) }
        return Array(1...max(bounds.first ?? 20, 1))
    }()

    static let steps: Int = environment["FIELDSYNC_SIM_STEPS"].flatMap { Int($0) } ?? 1000
}

@Suite("Deterministic simulation: one server, 20 devices, faults, crashes and restarts")
struct SimulationTests {
    @Test("every quiescent point converges, loses no write and counts every increment once", arguments: SimulationRun.seeds)
    func simulate(seed: UInt64) async throws {
        let started = ContinuousClock.now
        let simulation = try Simulation(SimulationSettings(seed: seed, steps: SimulationRun.steps))
        do {
            let report = try await simulation.run()
            print("\(report.summary) in \(ContinuousClock.now - started)")
        } catch let failure as SimulationFailure {
            Issue.record("\(failure)")
        }
    }
}
