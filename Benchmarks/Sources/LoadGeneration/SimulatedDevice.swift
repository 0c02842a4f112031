import CRM
import Foundation
import Logging
import SyncClient
import SyncCore
import SyncStore

/// One simulated device: a real `DeviceStore` and `SyncClient`, enrolled as a user's device,
/// doing what the plan's mix says and recording what happened.
///
/// A device is driven by one task at a time; phases hand it from one task group to the next.
final class SimulatedDevice: @unchecked Sendable {
    let slot: DeviceSlot
    let plan: LoadPlan
    private let admin: AdminClient
    private let gate: EnrollmentGate
    private let servers: [URL]
    private let recorder: StatsRecorder
    private let directory: String
    private(set) var store: DeviceStore
    private var client: SyncClient
    private var transport: LoadTransport
    private var edits: FieldEdits
    private var rng: SplitMix64
    /// How many stores this device has had (a bootstrap replaces it with a new one).
    private var generation = 0

    private init(slot: DeviceSlot, assignment: WorkerAssignment, admin: AdminClient, gate: EnrollmentGate, recorder: StatsRecorder) throws {
        self.slot = slot
        self.plan = assignment.plan
        self.admin = admin
        self.gate = gate
        self.servers = assignment.servers
        self.recorder = recorder
        self.directory = assignment.directory
        self.rng = SplitMix64(seed: assignment.plan.seed &+ UInt64(slot.number) &* 0x9E37_79B9)
        self.edits = FieldEdits(user: slot.user)
        (store, client, transport) = try Self.makeClient(
            slot: slot, plan: assignment.plan, servers: assignment.servers, directory: assignment.directory, generation: 0, recorder: recorder
        )
    }

    private static func makeClient(
        slot: DeviceSlot, plan: LoadPlan, servers: [URL], directory: String, generation: Int, recorder: StatsRecorder
    ) throws -> (DeviceStore, SyncClient, LoadTransport) {
        let path = plan.inMemoryStores ? nil : "\(directory)/device-\(slot.number)-\(generation).sqlite"
        let store = try DeviceStore(path: path, schema: CRMSchema.schema, rule: { input in
            try CRMRules.assignments(for: input.entity, current: input.current, proposed: input.assignments, now: input.now, reopen: input.reopen)
        }, logger: quietLogger)
        let transport = LoadTransport(servers: servers, first: slot.number &+ generation, recorder: recorder)
        let client = SyncClient(store: store, transport: transport, batchSize: plan.batchSize, logger: quietLogger)
        return (store, client, transport)
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "fieldsync.load")
        logger.logLevel = .critical
        return logger
    }()

    /// Creates the device, enrolls it and bootstraps its scope (not timed as load).
    static func start(
        slot: DeviceSlot, assignment: WorkerAssignment, admin: AdminClient, gate: EnrollmentGate, recorder: StatsRecorder
    ) async throws -> SimulatedDevice {
        let device = try SimulatedDevice(slot: slot, assignment: assignment, admin: admin, gate: gate, recorder: recorder)
        try await device.enroll()
        _ = try await device.sync(as: "initial bootstrap")
        try device.edits.refresh(from: device.store)
        if assignment.plan.prestagedEdits > 0 {
            var staged: [LocalEdit] = []
            while staged.count < assignment.plan.prestagedEdits, let edit = try device.edits.next(in: device.store, rng: &device.rng) {
                staged.append(edit)
            }
            try device.applyEdits(staged, oneTransaction: true)
        }
        return device
    }

    private func enroll() async throws {
        let (admin, client, user) = (self.admin, self.client, slot.user)
        let name = "load-\(slot.number)-\(generation)"
        let server = servers[0].absoluteString
        try await gate.serialized(user) {
            let code = try await Self.retryingRateLimits { try await admin.issueEnrollmentCode(for: user) }
            try await client.enroll(code: code, deviceName: name, serverURL: server)
        }
        recorder.update { $0.enrollments += 1 }
    }

    /// Admin calls are not retried by `AdminClient` (a POST might have happened); issuing a
    /// code twice is harmless, so a rate-limited or failed call is tried again here.
    static func retryingRateLimits<T>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let error as SyncClientError where error.isRetryable && attempt < 5 {
                attempt += 1
                try await Task.sleep(for: error.retryAfter ?? .milliseconds(200 * attempt))
            }
        }
    }

    // MARK: Load

    /// Runs the plan's actions until the round count or the deadline is reached.
    func runLoad(until deadline: ContinuousClock.Instant) async {
        var round = 0
        while plan.rounds.map({ round < $0 }) ?? (ContinuousClock.now < deadline) {
            round += 1
            if plan.thinkMilliseconds > 0 {
                // Exponential think time: arrivals like independent people, not a drumbeat.
                let pause = -log(1 - Double.random(in: 0..<1, using: &rng)) * plan.thinkMilliseconds
                try? await Task.sleep(for: .milliseconds(pause))
                if plan.rounds == nil && ContinuousClock.now >= deadline { break }
            }
            transport.maybeSwitch(chance: plan.switchProbability, rng: &rng)
            let action = plan.mix.pick(Int.random(in: 0..<Int.max, using: &rng))
            do {
                switch action {
                case .pull:
                    _ = try await sync(as: "pull")
                case .push:
                    try makeEdits(Int.random(in: plan.editsPerPush, using: &rng))
                    _ = try await sync(as: "push")
                case .bootstrap:
                    try await replaceWithFreshDevice()
                }
            } catch is RecordedFailure {
                // Counted by `sync`; the device carries on, as a real one would on its next turn.
            } catch {
                let code = (error as? SyncClientError)?.code ?? String(describing: error)
                recorder.update { $0.failedSyncs["\(action.rawValue) setup: \(code)", default: 0] += 1 }
            }
        }
    }

    private func makeEdits(_ count: Int) throws {
        var made: [LocalEdit] = []
        for _ in 0..<count {
            guard let edit = try edits.next(in: store, rng: &rng) else { break }
            made.append(edit)
        }
        try applyEdits(made, oneTransaction: false)
    }

    /// Applies edits; one per transaction as a person makes them, or all in one (setup).
    private func applyEdits(_ made: [LocalEdit], oneTransaction: Bool) throws {
        if oneTransaction {
            // Staged edits were drawn from the state before any of them: two moves of the same
            // opportunity may not chain, and then the batch goes in one edit at a time.
            if (try? store.apply(made)) != nil {
                recorder.update { $0.editsMade += made.count }
                return
            }
        }
        var applied = 0
        var refused: [String: Int] = [:]
        for edit in made {
            do {
                _ = try store.apply(edit)
                applied += 1
            } catch let error as ValidationError {
                refused["\(edit.entity) \(error.code.rawValue)", default: 0] += 1
            } catch let error as StoreError {
                refused["\(edit.entity) \(error.code)", default: 0] += 1
            } catch {
                refused["\(edit.entity) \(type(of: error))", default: 0] += 1
            }
        }
        recorder.update { stats in
            stats.editsMade += applied
            stats.editsRefused.merge(refused, uniquingKeysWith: +)
        }
    }

    /// A new phone for the same rep: a new store enrolls and bootstraps; the old one is
    /// dropped once its outbox is empty (otherwise this turn pushes instead).
    private func replaceWithFreshDevice() async throws {
        guard try store.status().pendingChanges == 0 else {
            _ = try await sync(as: "push")
            return
        }
        generation += 1
        let old = (store, generation - 1)
        (store, client, transport) = try Self.makeClient(
            slot: slot, plan: plan, servers: servers, directory: directory, generation: generation, recorder: recorder
        )
        try await enroll()
        _ = try await sync(as: "bootstrap")
        try edits.refresh(from: store)
        if !plan.inMemoryStores {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: "\(directory)/device-\(slot.number)-\(old.1).sqlite\(suffix)")
            }
        }
    }

    /// One timed sync; its outcome goes into the stats under `kind`.
    @discardableResult
    func sync(as kind: String) async throws -> SyncSummary {
        let start = ContinuousClock.now
        do {
            let summary = try await client.sync()
            let elapsed = (ContinuousClock.now - start).seconds
            recorder.update { stats in
                stats.record(kind, seconds: elapsed)
                stats.syncs[kind, default: 0] += 1
                stats.accepted += summary.accepted
                stats.duplicates += summary.duplicates
                stats.pulled += summary.pulled
                stats.snapshotRecords += summary.snapshotRecords
                stats.rejected.merge(summary.rejections, uniquingKeysWith: +)
            }
            return summary
        } catch {
            let code = (error as? SyncClientError)?.code ?? String(describing: type(of: error))
            recorder.update { $0.failedSyncs["\(kind): \(code)", default: 0] += 1 }
            throw RecordedFailure(underlying: error)
        }
    }

    // MARK: Quiescence

    /// Syncs until the outbox holds nothing the server has not answered (at most 5 times).
    func flush() async {
        for _ in 0..<5 {
            guard (try? await sync(as: "flush")) != nil else { continue }
            if let status = try? store.status(), status.pendingChanges == status.rejectedChanges { return }
        }
    }
}

/// A failed sync already counted in the stats.
struct RecordedFailure: Error, CustomStringConvertible {
    var underlying: any Error

    var description: String { "\(underlying)" }
}
