import AsyncHTTPClient
import CRM
import FieldSyncTestSupport
import Foundation
import LoadGeneration
import NIOCore
import SyncClient
import SyncCore
import SyncStore

/// Where the servers of a replay keep their data.
public enum ReplayBackend: String, Codable, Sendable, CaseIterable {
    /// A SQLite file in a temporary directory: one server.
    case sqlite
    /// A fresh database in a private PostgreSQL cluster (`PostgresTestCluster`), shared by
    /// every server.
    case postgres
}

/// One server setup the replayer measures.
public struct ReplaySetup: Codable, Sendable, Hashable, CustomStringConvertible {
    public var backend: ReplayBackend
    public var servers: Int
    public var devices: Int

    public init(backend: ReplayBackend, servers: Int, devices: Int) {
        self.backend = backend
        self.servers = servers
        self.devices = devices
    }

    public var description: String {
        "\(backend == .sqlite ? "SQLite" : "PostgreSQL"), \(servers) server\(servers == 1 ? "" : "s"), \(devices) devices"
    }
}

/// Replays pre-built sync requests open-loop against servers it starts: sets the store up from
/// the fixtures, enrolls the devices (each with its user's scope in a real device store),
/// then for each workload steps the arrival rate up until a step misses the p99 limit.
public struct Replayer: Sendable {
    public var setup: ReplaySetup
    public var plan: ReplayPlan
    public var workloads: [ReplayWorkload]
    public var serverExecutable: URL
    public var fixtures: URL
    public var log: (@Sendable (String) -> Void)?

    public init(
        setup: ReplaySetup, plan: ReplayPlan, workloads: [ReplayWorkload], serverExecutable: URL, fixtures: URL,
        log: (@Sendable (String) -> Void)? = { FileHandle.standardError.write(Data(("replay: " + $0 + "\n").utf8)) }
    ) {
        self.setup = setup
        self.plan = plan
        self.workloads = workloads
        self.serverExecutable = serverExecutable
        self.fixtures = fixtures
        self.log = log
    }

    public func run() async throws -> SetupResult {
        guard setup.backend == .postgres || setup.servers == 1 else {
            throw ReplayError("several servers need PostgreSQL: a SQLite store belongs to one server process")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-replay-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var storeArguments: [String] = []
        var database: PostgresTestDatabase?
        if setup.backend == .postgres {
            let created = try await PostgresTestCluster.shared().createDatabase()
            database = created
            storeArguments = ["--postgres-url", created.url]
        }
        defer { database?.drop() }

        log?("\(setup): seeding the store from \(fixtures.lastPathComponent), starting the server(s)")
        // Seeding and starting run child processes to their end: on a thread of their own, so
        // that the cooperative pool (which a test process shares with every other test) is free.
        let options = SpawnOptions(count: setup.servers, executable: serverExecutable, storeArguments: storeArguments, serveArguments: [], fixtures: fixtures)
        let servers = try await SpawnedServers.start(options, directory: directory)
        do {
            let result = try await run(servers: servers)
            await servers.stop()
            return result
        } catch {
            await servers.stop()
            throw error
        }
    }

    private func run(servers: SpawnedServers) async throws -> SetupResult {
        let started = ContinuousClock.now
        let (devices, admin) = try await DeviceEnrollment(servers: servers.urls, adminCode: servers.adminCode, plan: plan).devices()
        log?("\(setup): \(devices.count) devices enrolled with their scope in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s")

        var configuration = HTTPClient.Configuration()
        // One connection per device at most: a device sends one request at a time.
        configuration.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, plan.devices))
        configuration.decompression = .disabled
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await measure(devices: devices, admin: admin, servers: servers, http: http)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func measure(devices: [ReplayDevice], admin: (replica: ReplicaID, token: String), servers: SpawnedServers, http: HTTPClient) async throws -> SetupResult {
        let headBefore = try await Self.logHead(admin: admin, server: servers.urls[0], http: http)
        var series: [SeriesResult] = []
        for (number, workload) in workloads.enumerated() {
            series.append(try await runSeries(workload, number: number, devices: devices, servers: servers, http: http))
        }
        let growth = try await Self.logEntries(after: headBefore, admin: admin, server: servers.urls[0], http: http)
        return SetupResult(setup: setup, series: series, serverPeakResidentMiB: servers.peakResidentMiB(), logGrowth: growth)
    }

    private func runSeries(_ workload: ReplayWorkload, number: Int, devices: [ReplayDevice], servers: SpawnedServers, http: HTTPClient) async throws -> SeriesResult {
        var steps: [StepResult] = []
        for index in 0..<plan.maxSteps {
            let rate = plan.rate(step: index)
            let lanes = try schedule(workload, rate: rate, seed: plan.seed &+ UInt64(number) &* 1_000_003 &+ UInt64(index), devices: devices)
            let before = Counters(servers)
            let (tally, start) = await OpenLoopStep(http: http, devices: devices, lanes: lanes).run()
            let after = Counters(servers)
            let seconds = max(((tally.lastAnswer ?? ContinuousClock.now) - start).seconds, 1e-3)
            let answered = tally.succeeded.values.reduce(0, +) + tally.failures.values.reduce(0, +)
            var step = StepResult(
                offeredRate: rate, answeredRate: Double(answered) / seconds, seconds: seconds, kinds: tally.kindResults(),
                changesSent: tally.changesSent, accepted: tally.accepted, duplicates: tally.duplicates,
                acceptedPerSecond: Double(tally.accepted) / seconds, failures: tally.failures, rejected: tally.rejected,
                logEntriesPulled: tally.logEntriesPulled, snapshotRecords: tally.snapshotRecords,
                serverCPUSeconds: after.server - before.server, replayerCPUSeconds: after.replayer - before.replayer,
                machineBusySeconds: after.machine.flatMap { end in before.machine.map { end - $0 } }, sustained: false
            )
            step.sustained = tally.failures.isEmpty && step.kinds.values.allSatisfy { $0.p99Milliseconds < plan.p99LimitMilliseconds }
            steps.append(step)
            log?(Self.progressLine(setup: setup, workload: workload, step: step))
            guard step.sustained else { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return SeriesResult(workload: workload, steps: steps, p99LimitMilliseconds: plan.p99LimitMilliseconds)
    }

    /// The server log's last sequence, as the first page of an admin's bootstrap gives it
    /// (`highWater`), where the run's count of log entries starts (`logEntries`).
    static func logHead(admin: (replica: ReplicaID, token: String), server: URL, http: HTTPClient) async throws -> LogSequence {
        let request = SyncRequest(
            replica: admin.replica, clientTime: DeviceStore.systemMilliseconds(), cursor: nil, changes: [], bootstrap: BootstrapCursor(), limit: 1
        )
        guard let page = try await adminSync(request, admin: admin, server: server, http: http, reading: "the log head").snapshot else {
            throw ReplayError("reading the log head: the answer has no snapshot page")
        }
        return page.highWater
    }

    /// How many entries the log holds after `cursor`, counted in an admin's pulls (an admin's
    /// scope is everything): the log grows by one entry per accepted change, so the count checks
    /// the accepted count the replayer claims. Not the difference of two heads: on PostgreSQL a
    /// transaction run again (a deadlock between two servers' pushes) leaves the sequence
    /// numbers it had drawn unused, so sequences have gaps.
    static func logEntries(after cursor: LogSequence, admin: (replica: ReplicaID, token: String), server: URL, http: HTTPClient) async throws -> Int {
        var count = 0
        var cursor = cursor
        while true {
            let request = SyncRequest(replica: admin.replica, clientTime: DeviceStore.systemMilliseconds(), cursor: cursor, changes: [], limit: 1000)
            let page = try await adminSync(request, admin: admin, server: server, http: http, reading: "the log")
            count += page.changes.count
            guard page.hasMore, let next = page.cursor, next > cursor else { return count }
            cursor = next
        }
    }

    /// One sync round of the admin's device, decoded.
    private static func adminSync(
        _ request: SyncRequest, admin: (replica: ReplicaID, token: String), server: URL, http: HTTPClient, reading what: String
    ) async throws -> SyncResponse {
        var post = HTTPClientRequest(url: server.absoluteString.trimmingSuffix("/") + "/v1/sync")
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/json")
        post.headers.add(name: "Authorization", value: "Bearer \(admin.token)")
        let body = try PreparedBody(request).body(cursor: request.cursor)
        if body.gzipped { post.headers.add(name: "Content-Encoding", value: "gzip") }
        post.body = .bytes(ByteBuffer(bytes: body.bytes))
        let response = try await http.execute(post, timeout: .seconds(120))
        var answer = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        if Gzip.isCompressed(answer) { answer = try Gzip.decompress(answer) }
        guard response.status.code == 200 else {
            throw ReplayError("reading \(what): HTTP \(response.status.code) \(String(decoding: answer.prefix(300), as: UTF8.self))")
        }
        return try SyncResponse(jsonBytes: Array(answer))
    }

    /// The step's arrivals, drawn ahead of time: a Poisson process at `rate` (independent
    /// people, not a drumbeat), each arrival from a random device, its kind from the mix, and
    /// every push's changes made and encoded now, before the clock starts.
    func schedule(_ workload: ReplayWorkload, rate: Double, seed: UInt64, devices: [ReplayDevice]) throws -> [[ScheduledRequest]] {
        var rng = SplitMix64(seed: seed)
        var lanes = Array(repeating: [ScheduledRequest](), count: devices.count)
        var time = 0.0
        while true {
            time += -Foundation.log(1 - Double.random(in: 0..<1, using: &rng)) / rate
            guard time < plan.stepSeconds else { break }
            let index = Int.random(in: 0..<devices.count, using: &rng)
            let device = devices[index]
            let kind = workload.pick(Int.random(in: 0..<Int.max, using: &rng))
            let body = switch kind {
            case .pull: device.pullBody
            case .bootstrap: device.bootstrapBody
            case .push: try device.preparePush(changes: device.randomInt(in: plan.changesPerPush))
            }
            lanes[index].append(ScheduledRequest(due: time, kind: kind, body: body))
        }
        return lanes
    }

    /// CPU counters at one instant: the servers', this process's and the machine's.
    private struct Counters {
        var server: Double
        var replayer: Double
        var machine: Double?

        init(_ servers: SpawnedServers) {
            server = servers.cpuSeconds()
            replayer = ProcessUsage.selfCPUSeconds()
            machine = ProcessUsage.machineBusySeconds()
        }
    }

    static func progressLine(setup: ReplaySetup, workload: ReplayWorkload, step: StepResult) -> String {
        let parts: [String] = step.kinds.sorted { $0.key < $1.key }.map { name, kind in
            "\(name) p99 \(String(format: "%.0f", kind.p99Milliseconds)) ms"
        }
        let kinds = parts.joined(separator: ", ")
        return "\(setup), \(workload.name): \(String(format: "%.0f", step.offeredRate)) req/s offered, "
            + "\(String(format: "%.0f", step.answeredRate)) answered, \(String(format: "%.0f", step.acceptedPerSecond)) changes/s, \(kinds), "
            + "server \(String(format: "%.0f", step.serverMicrosecondsPerAcceptedChange ?? 0)) µs/change, "
            + "replayer \(String(format: "%.0f", step.replayerCoreShare * 100)) % of a core"
            + (step.failures.isEmpty ? "" : ", failures \(step.failures)") + (step.sustained ? "" : " — not sustained")
    }
}
