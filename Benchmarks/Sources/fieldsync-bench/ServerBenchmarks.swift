import CRM
import Foundation
import GRDB
import LoadGeneration
import Logging
import Synchronization
import SyncClient
import SyncCore
import SyncServer
import SyncStore

/// Sync through a live `fieldsync-server` over loopback: bootstrap, incremental sync, ingest.
enum ServerBenchmarks {
    /// Figures that are not per-operation timings (bytes, memory, percentiles).
    nonisolated(unsafe) static var figures: [String: Double] = [:]
    // Written only by the benchmark's single sequential driver.

    /// Records shaped like the fixtures: accounts with contacts, opportunities and visits.
    static func territory(records: Int) -> [RecordWrite] {
        var writes: [RecordWrite] = []
        writes.reserveCapacity(records)
        let accounts = max(1, records / 10)
        let cities = ["上海", "杭州", "苏州", "南京", "Beijing", "Shenzhen"]
        var accountIDs: [String] = []
        for index in 0..<accounts {
            let id = RecordIDs.make()
            accountIDs.append(id)
            writes.append(RecordWrite(entity: "account", id: id, fields: [
                "name": .value(.string(index % 2 == 0 ? "华东精密机械有限公司 \(index)" : "Bluewater Electronics \(index) Ltd.")),
                "territory": .value(.string("east")), "city": .value(.string(cities[index % cities.count])),
                "tier": .value(.string(["A", "B", "C"][index % 3])), "lifecycle": .value(.string("repeat")),
                "owner": .value(.string("alice")), "phone": .value(.string("021-5555-\(String(format: "%04d", index % 10000))")),
                "industry": .value(.string("manufacturing")), "tags": .elements(["key", "east"]), "loyalty_points": .value(.int(Int64(index % 500))),
            ]))
        }
        var index = 0
        while writes.count < records {
            let account = accountIDs[index % accountIDs.count]
            switch index % 9 {
            case 0, 1, 2:
                writes.append(RecordWrite(entity: "contact", id: RecordIDs.make(), fields: [
                    "account": .value(.string(account)), "name": .value(.string("王芳 \(index)")), "title": .value(.string("采购经理")),
                    "phone": .value(.string("138\(String(format: "%08d", index))")), "email": .value(.string("c\(index)@example.com")),
                ]))
            case 3, 4:
                writes.append(RecordWrite(entity: "opportunity", id: RecordIDs.make(), fields: [
                    "account": .value(.string(account)), "title": .value(.string("Sensors phase \(index)")),
                    "stage": .value(.string(["qualification", "needs_analysis", "proposal", "negotiation"][index % 4])),
                    "amount": .value(.string("\(10_000 + index % 90_000).5")), "currency": .value(.string("CNY")),
                    "probability": .value(.int(Int64(index % 100))), "expected_close": .value(.string("2026-12-\(String(format: "%02d", 1 + index % 28))")),
                ]))
            default:
                writes.append(RecordWrite(entity: "activity", id: RecordIDs.make(), fields: [
                    "account": .value(.string(account)), "type": .value(.string("visit")),
                    "at": .value(.string("2026-11-\(String(format: "%02d", 1 + index % 22))T09:30:00Z")),
                    "outcome": .value(.string("客户认可方案，需要正式报价 \(index)")), "owner": .value(.string("alice")),
                    "next_follow_up": .value(.string("2026-12-\(String(format: "%02d", 1 + index % 28))")),
                ]))
            }
            index += 1
        }
        return writes
    }

    /// The baseline: the same rows as plain SQLite tables, bulk-inserted in one transaction.
    static func plainBulkInsert(_ writes: [RecordWrite], path: String) throws {
        let pool = try DatabasePool(path: path)
        try pool.write { db in
            var created = Set<String>()
            for write in writes where created.insert(write.entity).inserted {
                let columns = CRMSchema.schema.entity(write.entity)?.fields.map { "\"\($0.name)\"" } ?? []
                try db.execute(sql: "CREATE TABLE \"\(write.entity)\" (id TEXT PRIMARY KEY, \(columns.map { "\($0) TEXT" }.joined(separator: ", ")))")
            }
            for write in writes {
                let names = write.fields.keys.sorted()
                let sql = "INSERT INTO \"\(write.entity)\" (id, \(names.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (?\(String(repeating: ", ?", count: names.count)))"
                var arguments: [any DatabaseValueConvertible] = [write.id]
                for name in names {
                    switch write.fields[name] {
                    case .value(let value)?: arguments.append(value.description)
                    case .elements(let elements)?: arguments.append(elements.joined(separator: ","))
                    case nil: arguments.append(DatabaseValue.null)
                    }
                }
                try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments))
            }
        }
    }

    /// Counts the bytes that cross the transport, and times each request to its answer.
    final class CountingTransport: SyncTransport {
        let inner: any SyncTransport
        let sent = Mutex(0)
        let received = Mutex(0)
        /// Seconds from each request's sending to its answer, in order.
        let roundTrips = Mutex<[Double]>([])

        init(_ inner: any SyncTransport) { self.inner = inner }

        func send(_ request: TransportRequest) async throws -> TransportResponse {
            sent.withLock { $0 += request.body.count }
            let start = ContinuousClock.now
            let response = try await inner.send(request)
            let seconds = (ContinuousClock.now - start).seconds
            roundTrips.withLock { $0.append(seconds) }
            // URLSession decodes gzip transparently: the bytes that crossed the wire are the
            // Content-Length the server sent.
            let wire = response.headers["content-length"].flatMap(Int.init) ?? response.body.count
            received.withLock { $0 += wire }
            return response
        }
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "fieldsync.bench")
        logger.logLevel = ProcessInfo.processInfo.environment["FIELDSYNC_BENCH_VERBOSE"] == nil ? .error : .warning
        return logger
    }

    /// Devices A and B (stores `PREFIXa.sqlite` and `PREFIXb.sqlite`), enrolled with the next two
    /// codes and synced once.
    static func enrolledPair(_ prefix: String, directory: URL, url: URL, codes: inout [String]) async throws -> (SyncClient, SyncClient) {
        var clients: [SyncClient] = []
        for name in ["a", "b"] {
            let store = try DeviceStore(path: directory.appendingPathComponent("\(prefix)\(name).sqlite").path, schema: CRMSchema.schema)
            let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: url), logger: quietLogger())
            try await client.enroll(code: codes.removeFirst(), deviceName: "\(prefix)\(name)", serverURL: url.absoluteString)
            _ = try await client.sync()
            clients.append(client)
        }
        return (clients[0], clients[1])
    }

    static func run(quick: Bool, directory: URL, serverExecutable: URL) async throws -> [BenchmarkRow] {
        let recordCount = ProcessInfo.processInfo.environment["FIELDSYNC_BENCH_RECORDS"].flatMap(Int.init) ?? (quick ? 10_000 : 100_000)
        let runs = quick ? 2 : 3
        // FIELDSYNC_BENCH_PHASES=bootstrap,incremental,live,ingest (default: all) runs some of the
        // phases, e.g. under a profiler.
        let phases = Set((ProcessInfo.processInfo.environment["FIELDSYNC_BENCH_PHASES"] ?? "bootstrap,incremental,live,ingest").split(separator: ",").map(String.init))
        var rows: [BenchmarkRow] = []

        // Server with the territory.
        let serverDB = directory.appendingPathComponent("server.sqlite").path
        let writes = territory(records: recordCount)
        let importFile = directory.appendingPathComponent("territory.json")
        try JSONEncoder().encode(RecordImport(records: writes)).write(to: importFile)
        _ = try await ServerProcess.run(serverExecutable, ["import", importFile.path, "--db", serverDB])
        var codes: [String] = []
        for index in 0..<(runs * 2 + 4) {
            let output = try await ServerProcess.run(serverExecutable, ["user", "add", "rep\(index)", "--role", "rep", "--territory", "east", "--db", serverDB])
            guard let code = output.split(separator: "\n").first(where: { $0.contains("enrollment code: ") })?.split(separator: " ").last else {
                throw SyncClientError(code: "bench", message: "no code in \(output)")
            }
            codes.append(String(code))
        }
        // The ingest devices' users (one each, in a territory with no records yet) and an admin
        // to enroll them.
        let ingestUsers = (0..<(ProcessInfo.processInfo.environment["FIELDSYNC_BENCH_DEVICES"].flatMap(Int.init) ?? 50)).map { "ingest\($0)" }
        // Each in a territory of its own (FIELDSYNC_BENCH_SHARED_TERRITORY=1: all in one), so the
        // row measures the server taking changes in, not 50 devices each pulling the other 49's
        // changes (that fan-out is the load generator's default mix, see Benchmarks/README.md).
        let sharedTerritory = ProcessInfo.processInfo.environment["FIELDSYNC_BENCH_SHARED_TERRITORY"] == "1"
        for (index, user) in ingestUsers.enumerated() {
            let territory = sharedTerritory ? "expo" : "expo-\(index)"
            _ = try await ServerProcess.run(serverExecutable, ["user", "add", user, "--role", "rep", "--territory", territory, "--db", serverDB])
        }
        let adminOutput = try await ServerProcess.run(serverExecutable, ["user", "add", "bench-admin", "--role", "admin", "--db", serverDB])
        guard let adminCode = adminOutput.split(separator: "\n").first(where: { $0.hasPrefix("enrollment code: ") })?.split(separator: " ").last.map(String.init) else {
            throw SyncClientError(code: "bench", message: "no code in \(adminOutput)")
        }
        let server = ServerProcess(executable: serverExecutable, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", serverDB, "--log-level", "error", "--max-clock-skew", "3600",
        ])
        let url = try await server.start()
        defer { server.terminate() }

        // Bootstrap.
        var bootstrapSamples: [Double] = []
        var firstPageSamples: [Double] = []
        var baselineSamples: [Double] = []
        var wire = (compressed: 0, plain: 0)
        // CPU each side spent on a bootstrap, per record: the server's from /proc, the device's
        // (this process) from getrusage; with both cores busy the wall time alone cannot say
        // which side a change helped.
        var serverCPUSamples: [Double] = []
        var deviceCPUSamples: [Double] = []
        // From sending a page request to its answer: the server's part of the chain of pages
        // (the device asks for page N+1 with the cursor of page N), with the transfer.
        var pageRoundTrips: [Double] = []
        for run in 0..<runs where phases.contains("bootstrap") {
            for compress in [true, false] where run == 0 || compress {
                let store = try DeviceStore(path: directory.appendingPathComponent("boot-\(run)-\(compress).sqlite").path, schema: CRMSchema.schema)
                let counting = CountingTransport(compress ? URLSessionTransport(baseURL: url) : PlainTransport(URLSessionTransport(baseURL: url)))
                let client = SyncClient(store: store, transport: counting, logger: quietLogger())
                try await client.enroll(code: codes.removeFirst(), deviceName: "bench", serverURL: url.absoluteString)
                let clock = ContinuousClock()
                let start = clock.now
                // When the first page is stored: the rep can work with today's accounts from then.
                let firstPage = Mutex<Duration?>(nil)
                let cpuBefore = (server: ProcessUsage.cpuSeconds(pid: server.processIdentifier), device: ProcessUsage.selfCPUSeconds())
                let elapsed = try await clock.measure {
                    _ = try await client.sync { progress in
                        guard progress.snapshotRecords > 0 else { return }
                        firstPage.withLock { $0 = $0 ?? start.duration(to: clock.now) }
                    }
                }
                if compress {
                    bootstrapSamples.append(elapsed.seconds / Double(recordCount))
                    if let before = cpuBefore.server, let after = ProcessUsage.cpuSeconds(pid: server.processIdentifier) {
                        serverCPUSamples.append((after - before) / Double(recordCount))
                    }
                    deviceCPUSamples.append((ProcessUsage.selfCPUSeconds() - cpuBefore.device) / Double(recordCount))
                    let stored = firstPage.withLock { $0 }
                    precondition(stored != nil, "the bootstrap reported no page stored")
                    firstPageSamples.append(stored?.seconds ?? 0)
                    wire.compressed = counting.received.withLock { $0 }
                    // The first request enrolls and the second starts the snapshot (its `total`
                    // walks the scope): the pages that continue it.
                    pageRoundTrips += counting.roundTrips.withLock { $0.dropFirst(2) }
                } else {
                    wire.plain = counting.received.withLock { $0 }
                }
                let count = try store.status().records.values.reduce(0, +)
                precondition(count == recordCount, "bootstrap got \(count) of \(recordCount) records")
            }
            let plainPath = directory.appendingPathComponent("plain-\(run).sqlite").path
            baselineSamples.append(try ContinuousClock().measure { try plainBulkInsert(writes, path: plainPath) }.seconds / Double(recordCount))
        }
        if phases.contains("bootstrap") {
            rows.append(row("bootstrap \(recordCount) records over loopback (per record)", baseline: "plain SQLite bulk insert of the same rows, one transaction",
                            bootstrapSamples, baselineSamples, target: "≤ 3× baseline, < 5 s total", operations: recordCount))
            figures["bootstrap total seconds (median)"] = median(bootstrapSamples) * Double(recordCount)
            figures["bootstrap total seconds (fastest run)"] = (bootstrapSamples.min() ?? 0) * Double(recordCount)
            figures["bootstrap total seconds (slowest run)"] = (bootstrapSamples.max() ?? 0) * Double(recordCount)
            figures["bootstrap first page stored, seconds (median)"] = median(firstPageSamples)
            if !serverCPUSamples.isEmpty { figures["bootstrap server CPU µs per record (median)"] = median(serverCPUSamples) * 1e6 }
            figures["bootstrap device (bench process) CPU µs per record (median)"] = median(deviceCPUSamples) * 1e6
            if !pageRoundTrips.isEmpty { figures["bootstrap page round trip ms, request to answer (median)"] = median(pageRoundTrips) * 1e3 }
            figures["bootstrap bytes received, gzip"] = Double(wire.compressed)
            figures["bootstrap bytes received, no gzip"] = Double(wire.plain)
            if wire.plain > 0 { figures["gzip payload share (target ≤ 0.25)"] = Double(wire.compressed) / Double(wire.plain) }
            figures["server peak RSS MiB"] = ProcessUsage.peakResidentMiB(pid: server.processIdentifier)
            figures["client (bench process) peak RSS MiB"] = ProcessUsage.peakResidentMiB()
        }

        if phases.contains("incremental") {
            // Incremental: 1,000 edits on A visible on B.
            let editCount = quick ? 200 : 1000
            let (clientA, clientB) = try await enrolledPair("", directory: directory, url: url, codes: &codes)
            let deviceA = clientA.store
            let accounts = writes.filter { $0.entity == "account" }.map(\.id)
            var incremental: [Double] = []
            var pushes: [Double] = []
            for run in 0..<runs {
                try deviceA.apply((0..<editCount).map { index in
                    LocalEdit.update("account", id: accounts[index % accounts.count], [.set("city", .string("City \(run)-\(index)"))])
                })
                let push = try await ContinuousClock().measure { _ = try await clientA.sync() }
                let pull = try await ContinuousClock().measure { _ = try await clientB.sync() }
                incremental.append(push.seconds + pull.seconds)
                pushes.append(push.seconds)
            }
            figures["incremental: A's push seconds (median)"] = median(pushes)
            rows.append(row("\(editCount) edits A → server → B, end to end (per batch)", baseline: "none (absolute)",
                            incremental, nil, target: "< 1 s", operations: 1))
        }

        if phases.contains("live") {
            // Live sync: B watches (polling only every 10 minutes, so every arrival came through
            // the news stream); A edits one account and syncs; the time runs from A's edit to the
            // moment B's store shows it.
            let edits = quick ? 20 : 100
            let (clientA, clientB) = try await enrolledPair("live-", directory: directory, url: url, codes: &codes)
            let (deviceA, deviceB) = (clientA.store, clientB.store)
            let listening = Mutex(false)
            let watch = Task {
                try await clientB.watch(WatchOptions(pollInterval: .seconds(600))) { report in
                    if case .listening = report { listening.withLock { $0 = true } }
                }
            }
            defer { watch.cancel() }
            while !listening.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            let account = writes.first { $0.entity == "account" }!.id
            var latencies: [Double] = []
            for index in 0..<edits {
                let city = Value.string("Live \(index)")
                let started = ContinuousClock.now
                try deviceA.apply([LocalEdit.update("account", id: account, [.set("city", city)])])
                _ = try await clientA.sync()
                while try deviceB.record("account", id: account)?.values["city"] != city {
                    try await Task.sleep(for: .milliseconds(1))
                }
                latencies.append((ContinuousClock.now - started).seconds)
            }
            watch.cancel()
            _ = await watch.result
            let sorted = latencies.sorted()
            figures["live: edit on A seen on watching B, p50 ms (target < 200)"] = sorted[sorted.count / 2] * 1000
            figures["live: edit on A seen on watching B, p99 ms (target < 1000)"] = sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1000
            rows.append(row("live sync: an edit on A seen on B, which watches (per edit; A's push included)", baseline: "none (absolute)",
                            latencies, nil, target: "p50 < 200 ms, p99 < 1 s", operations: 1))
        }

        if phases.contains("ingest") {
            // Ingest: 50 devices pushing concurrently. The devices run in worker processes (copies
            // of this executable, through the load generator's code): 50 clients in this one process
            // measured the client's own queueing (GRDB, JSON, gzip on the same 2 cores), not the
            // server. Their users' territory holds no accounts, so their bootstrap is small and
            // their staged edits are new leads; the clock runs only while they push.
            let deviceCount = ingestUsers.count
            let workerCount = ProcessInfo.processInfo.environment["FIELDSYNC_BENCH_LOAD_PROCESSES"].flatMap(Int.init) ?? 2
            let changesPerDevice = quick ? 40 : 200
            let ingest = LoadCoordinator(
                plan: LoadPlan(
                    devices: deviceCount, rounds: 1, thinkMilliseconds: 0, mix: ActionMix(pull: 0, push: 1, bootstrap: 0), editsPerPush: 0...0,
                    prestagedEdits: changesPerDevice, batchSize: 100, switchProbability: 0, inMemoryStores: true
                ),
                processes: workerCount, target: .running(urls: [url], adminCode: adminCode),
                workerExecutable: URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(), workerArguments: ["load-worker"],
                users: ingestUsers, verify: false, log: nil
            )
            let report = try await ingest.run()
            guard report.errors == 0, report.load.accepted == deviceCount * changesPerDevice else {
                throw SyncClientError(code: "bench", message: "ingest: \(report.load.accepted) of \(deviceCount * changesPerDevice) accepted, errors \(report.load.errors) \(report.load.failedSyncs)")
            }
            rows.append(row("server ingest, \(deviceCount) devices pushing concurrently (per change)", baseline: "none (absolute)",
                            [report.loadSeconds / Double(report.load.accepted)], nil, target: "≥ 20,000 changes/s", operations: report.load.accepted))
            let push = report.load.latency["push"]
            let request = report.load.latency["request"]
            figures["ingest sync p50 seconds"] = (push?.p50 ?? 0) / 1000
            figures["ingest sync p99 seconds (target < 0.25)"] = (push?.p99 ?? 0) / 1000
            figures["ingest request p99 seconds"] = (request?.p99 ?? 0) / 1000
            figures["ingest CPU share of load generator (\(workerCount) processes)"] = report.cpu.generatorSeconds / max(report.loadSeconds * Double(report.cpu.cores), 1e-9)
            if let busy = report.cpu.machineBusySeconds {
                // On an idle machine, what is not the generator is the server.
                figures["ingest CPU µs per accepted change outside the generator (the server, on an idle machine)"] =
                    (busy - report.cpu.generatorSeconds) / Double(max(report.load.accepted, 1)) * 1e6
            }
        }
        return rows
    }
}

/// A transport that asks the server not to compress responses.
struct PlainTransport: SyncTransport {
    let inner: any SyncTransport

    init(_ inner: any SyncTransport) { self.inner = inner }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        var request = request
        request.headers["Accept-Encoding"] = "identity"
        return try await inner.send(request)
    }
}
