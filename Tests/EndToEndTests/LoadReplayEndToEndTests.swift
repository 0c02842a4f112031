import FieldSyncTestSupport
import Foundation
import LoadReplay
import Testing

/// `fieldsync-replay`'s engine, small: a few devices, two low-rate steps of the mixed workload.
/// Every request must be answered 2xx, every pushed change accepted, and the figures it reports
/// must agree with what the server shows (the log grows by the accepted count) and with each
/// other. Timings are not asserted.
@Suite("Load replayer")
struct LoadReplayEndToEndTests {
    static var setups: [ReplaySetup] {
        var setups = [ReplaySetup(backend: .sqlite, servers: 1, devices: 6)]
        if PostgresTestCluster.shouldRun { setups.append(ReplaySetup(backend: .postgres, servers: 2, devices: 6)) }
        return setups
    }

    @Test("pre-built pulls, pushes and bootstraps are all accepted, and the reported counts match the server", arguments: setups)
    func smallRun(setup: ReplaySetup) async throws {
        let plan = ReplayPlan(
            devices: setup.devices, changesPerPush: 1...4, startRate: 15, factor: 1.5, maxSteps: 2, stepSeconds: 2,
            // A limit no loaded CI machine misses: this test checks counts, not speed.
            p99LimitMilliseconds: 600_000
        )
        let replayer = Replayer(
            setup: setup, plan: plan, workloads: [ReplayWorkload(name: "test", mix: .init(pull: 40, push: 45, bootstrap: 15))],
            serverExecutable: try Executables.url("fieldsync-server"),
            fixtures: Executables.packageRoot.appendingPathComponent("fixtures/crm-demo.json"), log: nil
        )
        let result = try await replayer.run()
        let steps = try #require(result.series.first?.steps)
        #expect(steps.count == 2, "both steps sustained under the generous limit")
        var sentByKind: [String: Int] = [:]
        for step in steps {
            #expect(step.failures.isEmpty, "every request answered 2xx, none with resync: \(step.failures)")
            #expect(step.rejected.isEmpty, "every pushed change admitted: \(step.rejected)")
            #expect(step.sustained)
            for (kind, figures) in step.kinds {
                #expect(figures.succeeded == figures.sent, "\(kind): \(figures.succeeded) of \(figures.sent) answered")
                #expect(figures.p99Milliseconds >= figures.p50Milliseconds && figures.maxMilliseconds >= figures.p99Milliseconds * 0.99)
                sentByKind[kind, default: 0] += figures.sent
            }
            #expect(step.accepted == step.changesSent, "each change pushed once, each accepted (none a duplicate)")
            #expect(step.duplicates == 0)
            #expect(abs(step.acceptedPerSecond - Double(step.accepted) / step.seconds) < 1e-6)
            #expect(step.seconds >= plan.stepSeconds * 0.5)
            #expect(step.serverCPUSeconds > 0 && step.replayerCPUSeconds > 0)
            #expect(step.serverMicrosecondsPerAcceptedChange.map { abs($0 - step.serverCPUSeconds / Double(step.accepted) * 1e6) < 1e-6 } ?? false)
        }
        // Snapshot records come only with bootstrap requests (a pull or push answered with a
        // snapshot would be a resync: the device was not set up as the server's own).
        let bootstrapOnly = result.series.flatMap(\.steps).allSatisfy { $0.snapshotRecords == 0 || $0.kinds["bootstrap"] != nil }
        #expect(bootstrapOnly)
        #expect(sentByKind["pull", default: 0] > 0 && sentByKind["push", default: 0] > 0 && sentByKind["bootstrap", default: 0] > 0, "\(sentByKind)")
        #expect(result.accepted > 0)
        #expect(result.logGrowth == result.accepted, "the server log grew by exactly the changes the replayer counted as accepted")
        #expect(result.serverPeakResidentMiB.count == setup.servers)
    }
}
