import CRM
import Foundation
import LoadGeneration
import Synchronization
import SyncClient
import SyncCore
import SyncServer
import SyncStore

/// Live sync over loopback: device A edits and syncs, device B watches (`LiveWatch`, as
/// `fieldsync sync --watch` runs it, polling only every 10 minutes); each sample is the time
/// from A's edit until B has applied it. The baseline is A's sync alone in the same sample:
/// the ratio is what the announcement and B's pull add to the push.
enum LiveSyncBenchmarks {
    static func run(quick: Bool, directory: URL, serverExecutable: URL) async throws -> [BenchmarkRow] {
        let samples = quick ? 40 : 200
        let serverDB = directory.appendingPathComponent("live-server.sqlite").path
        let accountID = RecordIDs.make()
        let seed = [RecordWrite(entity: "account", id: accountID, fields: [
            "name": .value(.string("杭州星辰科技有限公司")), "territory": .value(.string("east")), "city": .value(.string("杭州")),
        ])]
        let importFile = directory.appendingPathComponent("live-seed.json")
        try JSONEncoder().encode(RecordImport(records: seed)).write(to: importFile)
        _ = try ServerProcess.run(serverExecutable, ["import", importFile.path, "--db", serverDB])
        var codes: [String] = []
        for name in ["live-a", "live-b"] {
            let output = try ServerProcess.run(serverExecutable, ["user", "add", name, "--role", "rep", "--territory", "east", "--db", serverDB])
            guard let code = output.split(separator: "\n").first(where: { $0.contains("enrollment code: ") })?.split(separator: " ").last else {
                throw SyncClientError(code: "bench", message: "no code in \(output)")
            }
            codes.append(String(code))
        }
        let server = ServerProcess(executable: serverExecutable, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", serverDB, "--log-level", "error", "--rate-limit", "0",
        ])
        let url = try server.start()
        defer { server.stop() }

        let deviceA = try DeviceStore(path: directory.appendingPathComponent("live-a.sqlite").path, schema: CRMSchema.schema)
        let deviceB = try DeviceStore(path: directory.appendingPathComponent("live-b.sqlite").path, schema: CRMSchema.schema)
        let transport = URLSessionTransport(baseURL: url)
        let clientA = SyncClient(store: deviceA, transport: transport, logger: ServerBenchmarks.quietLogger())
        let clientB = SyncClient(store: deviceB, transport: transport, logger: ServerBenchmarks.quietLogger())
        try await clientA.enroll(code: codes[0], deviceName: "live-a", serverURL: url.absoluteString)
        try await clientB.enroll(code: codes[1], deviceName: "live-b", serverURL: url.absoluteString)
        _ = try await clientA.sync()

        // B's syncs that pulled something, as they happen.
        let (pulls, pulled) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
        let connected = AsyncStream.makeStream(of: Void.self)
        let watch = LiveWatch(client: clientB, transport: transport, options: LiveWatch.Options(pollInterval: .seconds(600)))
        let watching = Task {
            try await watch.run { event in
                switch event {
                case .synced(let summary, _) where summary.pulled > 0: pulled.yield(.now)
                case .connected: connected.continuation.yield()
                default: break
                }
            }
        }
        defer { watch.stop() }
        var waitConnected = connected.stream.makeAsyncIterator()
        _ = await waitConnected.next()

        var latencies: [Double] = []
        var pushes: [Double] = []
        var arrivals = pulls.makeAsyncIterator()
        for sample in 0..<samples {
            let city = "City \(sample)"
            let start = ContinuousClock.now
            try deviceA.apply([LocalEdit.update("account", id: accountID, [.set("city", .string(city))])])
            _ = try await clientA.sync()
            let pushed = ContinuousClock.now
            // B's next pull that brings this edit (an earlier pull may still be in flight).
            while true {
                guard let arrived = await arrivals.next() else { throw SyncClientError(code: "bench", message: "the watch ended") }
                if try deviceB.state("account", id: accountID)?.value(of: "city") == .string(city) {
                    latencies.append((arrived - start).seconds)
                    pushes.append((pushed - start).seconds)
                    break
                }
            }
        }
        watch.stop()
        try await watching.value

        let sorted = latencies.sorted()
        let p50 = sorted[sorted.count / 2]
        let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        ServerBenchmarks.figures["live sync edit-to-other-device p50 seconds (target < 0.2)"] = p50
        ServerBenchmarks.figures["live sync edit-to-other-device p99 seconds (target < 1)"] = p99
        ServerBenchmarks.figures["live sync edit-to-other-device max seconds"] = sorted.last ?? 0
        return [row(
            "live sync: edit on A → applied on B watching (p50 of \(samples))", baseline: "A's edit and sync alone, same samples",
            latencies, pushes, target: "p50 < 200 ms, p99 < 1 s", operations: 1
        )]
    }
}
