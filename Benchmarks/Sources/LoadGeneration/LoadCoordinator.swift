import CRM
import Foundation
import SyncClient
import SyncStore

/// Runs a load test: sets up (or reaches) the servers, spawns worker processes that each
/// drive a share of the devices, steps them through load, flush and verify together, and
/// merges what they report.
public struct LoadCoordinator: Sendable {
    public var plan: LoadPlan
    public var processes: Int
    public var target: ServerTarget
    /// How to start a worker: this executable and the arguments that make it one.
    public var workerExecutable: URL
    public var workerArguments: [String]
    /// Only these users' devices are simulated (all but admins when nil).
    public var users: [String]?
    /// Compares every device with a fresh bootstrap of its scope after the load; a benchmark
    /// that measures only ingest may skip it (the outboxes are still flushed).
    public var verify: Bool
    /// Progress lines go here (stderr by default); nil keeps quiet.
    public var log: (@Sendable (String) -> Void)?

    public init(
        plan: LoadPlan, processes: Int, target: ServerTarget, workerExecutable: URL, workerArguments: [String],
        users: [String]? = nil, verify: Bool = true, log: (@Sendable (String) -> Void)? = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) {
        self.plan = plan
        self.processes = processes
        self.target = target
        self.workerExecutable = workerExecutable
        self.workerArguments = workerArguments
        self.users = users
        self.verify = verify
        self.log = log
    }

    public func run() async throws -> LoadReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-load-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let spawned: SpawnedServers?
        let urls: [URL]
        let adminCode: String
        switch target {
        case .running(let given, let code):
            spawned = nil
            (urls, adminCode) = (given, code)
        case .spawn(let options):
            log?("seeding the store from \(options.fixtures.lastPathComponent) and starting \(options.count) server(s)")
            let servers = try await SpawnedServers.start(options, directory: directory)
            spawned = servers
            (urls, adminCode) = (servers.urls, servers.adminCode)
        }
        defer { spawned?.terminate() }

        // An admin device of our own: it issues the devices' enrollment codes and lists users.
        let adminStore = try DeviceStore(path: nil, schema: CRMSchema.schema)
        let adminDevice = SyncClient(store: adminStore, transport: URLSessionTransport(baseURL: urls[0]), logger: SimulatedDevice.quietLogger)
        try await adminDevice.enroll(code: adminCode, deviceName: "fieldsync-load admin", serverURL: urls[0].absoluteString)
        guard let adminToken = try adminStore.setting("token") else { throw LoadError("enrolling the admin device gave no token") }
        let admin = AdminClient(transport: URLSessionTransport(baseURL: urls[0]), token: adminToken)
        let people = try await admin.users().filter { user in users.map { $0.contains(user.name) } ?? (user.role != "admin") }.map(\.name).sorted()
        guard !people.isEmpty else { throw LoadError("the server has no users to simulate devices for") }

        // Device n belongs to user n mod U; all of a user's devices run in one worker (user
        // mod K), because a user's devices must enroll one at a time (see EnrollmentGate).
        let workerCount = max(1, min(processes, plan.devices, people.count))
        let assignments = (0..<workerCount).map { worker in
            WorkerAssignment(
                worker: worker, plan: plan, servers: urls, adminToken: adminToken,
                devices: (0..<plan.devices).filter { ($0 % people.count) % workerCount == worker }.map { DeviceSlot(number: $0, user: people[$0 % people.count]) },
                directory: directory.appendingPathComponent("worker-\(worker)").path
            )
        }
        for assignment in assignments {
            try FileManager.default.createDirectory(atPath: assignment.directory, withIntermediateDirectories: true)
        }

        log?("starting \(workerCount) worker process(es) for \(plan.devices) devices of \(people.count) users; enrolling and bootstrapping")
        let workers = try assignments.map { try WorkerProcess(executable: workerExecutable, arguments: workerArguments, assignment: $0) }
        defer { workers.forEach { $0.stop() } }

        let setup = try await collect(workers, expecting: .ready)

        log?("load: \(plan.rounds.map { "\($0) actions per device" } ?? "\(plan.durationSeconds) s"), mix \(plan.mix)")
        let before = Usage(spawned)
        let clock = ContinuousClock.now
        try workers.forEach { try $0.send(WorkerCommand(command: .start)) }
        let load = try await collect(workers, expecting: .loaded)
        let loadSeconds = (ContinuousClock.now - clock).seconds
        let after = Usage(spawned)

        log?("flushing every outbox")
        try workers.forEach { try $0.send(WorkerCommand(command: .flush)) }
        let flush = try await collect(workers, expecting: .flushed)

        var references: [String: ScopeReference] = [:]
        var verification = (stats: LoadStats(), checks: [DeviceCheck]())
        if verify {
            log?("bootstrapping a fresh reference device per user")
            for user in Set(assignments.flatMap(\.devices).map(\.user)).sorted() {
                references[user] = try await reference(for: user, admin: admin, url: urls[0], directory: directory)
            }
            log?("verifying every device against its user's reference")
            try workers.forEach { try $0.send(WorkerCommand(command: .verify, references: references)) }
            verification = try await collect(workers, expecting: .verified)
        }
        let checks = verification.checks.sorted { $0.device < $1.device }

        return LoadReport(
            plan: plan, processes: workerCount, servers: urls.map(\.absoluteString), backend: spawned?.backend ?? "running servers",
            users: people.count, setup: setup.stats, load: load.stats, quiescence: { var q = flush.stats; q.merge(verification.stats); return q }(),
            loadSeconds: loadSeconds,
            cpu: CPUReport(
                loadSeconds: loadSeconds, cores: ProcessInfo.processInfo.activeProcessorCount,
                generatorSeconds: load.stats.cpuSeconds + (after.coordinator - before.coordinator),
                serverSeconds: spawned == nil ? nil : after.servers - before.servers,
                machineBusySeconds: after.machine.flatMap { end in before.machine.map { end - $0 } }
            ),
            serverPeakResidentMiB: spawned?.peakResidentMiB() ?? [], workerPeakResidentMiB: load.stats.peakResidentMiB,
            references: references, checks: checks, verified: verify
        )
    }

    /// CPU counters at one instant.
    private struct Usage {
        var coordinator: Double
        var servers: Double
        var machine: Double?

        init(_ spawned: SpawnedServers?) {
            coordinator = ProcessUsage.selfCPUSeconds()
            servers = spawned?.cpuSeconds() ?? 0
            machine = ProcessUsage.machineBusySeconds()
        }
    }

    /// Waits for every worker's answer to the current phase and merges them.
    private func collect(_ workers: [WorkerProcess], expecting kind: WorkerEvent.Kind) async throws -> (stats: LoadStats, checks: [DeviceCheck]) {
        var stats = LoadStats()
        var checks: [DeviceCheck] = []
        for worker in workers {
            guard let event = try await worker.channel.receive(WorkerEvent.self) else {
                throw LoadError("worker \(worker.index) exited during the \(kind.rawValue) phase")
            }
            guard event.event == kind else {
                throw LoadError(event.message ?? "worker \(worker.index) answered \(event.event.rawValue), expected \(kind.rawValue)")
            }
            if let part = event.stats { stats.merge(part) }
            checks += event.checks ?? []
        }
        return (stats, checks)
    }

    /// What a brand-new device of `user` bootstraps now: the server's data for the user's scope.
    private func reference(for user: String, admin: AdminClient, url: URL, directory: URL) async throws -> ScopeReference {
        let code = try await SimulatedDevice.retryingRateLimits { try await admin.issueEnrollmentCode(for: user) }
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema)
        let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: url), logger: SimulatedDevice.quietLogger)
        try await client.enroll(code: code, deviceName: "fieldsync-load reference", serverURL: url.absoluteString)
        _ = try await client.sync()
        let dump = try store.canonicalDump()
        let path = directory.appendingPathComponent("reference-\(user).json").path
        try dump.write(to: URL(fileURLWithPath: path))
        let records = try store.status().records.values.reduce(0, +)
        return ScopeReference(path: path, digest: LoadWorker.digest(dump), records: records)
    }
}

/// One worker child process and its pipes.
final class WorkerProcess: @unchecked Sendable {
    // @unchecked: the process and pipes are set up in init and only read afterwards.
    let index: Int
    let channel: LineChannel
    private let process: Process
    private let input: Pipe

    init(executable: URL, arguments: [String], assignment: WorkerAssignment) throws {
        index = assignment.worker
        process = Process()
        input = Pipe()
        let output = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        channel = LineChannel(reading: output.fileHandleForReading, writing: input.fileHandleForWriting)
        try channel.send(assignment)
    }

    func send(_ command: WorkerCommand) throws {
        try channel.send(command)
    }

    /// Closes the worker's stdin (it exits when its command loop ends) and waits for it.
    func stop() {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
