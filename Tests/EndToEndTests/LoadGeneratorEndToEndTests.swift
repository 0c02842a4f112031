import Foundation
import LoadGeneration
import Testing

/// `fieldsync-load` end to end, small: a spawned server seeded from the fixtures, six devices
/// in two worker processes, a few rounds of pulls, pushes and fresh bootstraps, then the
/// convergence check. Timings are not asserted; counts, errors and divergences are.
@Suite("Load generator")
struct LoadGeneratorEndToEndTests {
    @Test("six devices in two worker processes push changes, see no error and converge")
    func smallRun() async throws {
        let load = try Executables.url("fieldsync-load")
        _ = try Executables.url("fieldsync-server")
        let directory = try TemporaryDirectory("load")
        defer { directory.remove() }
        let output = directory.path("report.json")
        let result = try await LoggedProcess.run(load, [
            "--devices", "6", "--processes", "2", "--rounds", "5", "--think-ms", "20", "--mix", "pull:40,push:45,bootstrap:15",
            "--spawn-servers", "1", "--fixtures", Executables.packageRoot.appendingPathComponent("fixtures/crm-demo.json").path,
            "--output", output,
        ], logDirectory: directory.url)
        #expect(result.succeeded, "fieldsync-load failed: \(result.stdout)\n\(result.stderr)")
        let report = try JSONDecoder().decode(LoadReport.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(report.processes == 2)
        #expect(report.load.accepted > 0)
        #expect(report.load.syncs["push", default: 0] > 0)
        #expect(report.errors == 0, "errors: \(report.load.errors) \(report.load.failedSyncs) \(report.quiescence.errors) \(report.quiescence.failedSyncs)")
        #expect(report.devicesChecked == 6)
        #expect(report.divergences == 0, "\(report.divergenceDetails)")
        #expect(report.scopeRecords.values.allSatisfy { $0 > 0 }, "every user's scope holds records: \(report.scopeRecords)")
        #expect(report.passed)
        #expect(result.stdout.contains("divergences"))
    }
}
