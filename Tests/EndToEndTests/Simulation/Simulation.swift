import FieldSyncTestSupport
import Foundation
import SyncClient
import SyncCore
import SyncServer
import SyncStore

/// What one simulation run did, for the summary line and the figures of issue 5.
struct SimulationReport: Sendable {
    var seed: UInt64
    var backend: StorageBackend
    var steps = 0
    var edits = 0
    var refusedEdits = 0
    var syncs = 0
    var quiescentPoints = 0
    var changes = 0
    var records = 0
    var faults: [String: Int] = [:]
    /// What each narrow-scope device held at the last quiescent point.
    var scoutRecords: [String: Int] = [:]

    var summary: String {
        let faultText = faults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "simulation seed \(seed) on \(backend): \(steps) steps, \(edits) edits (\(refusedEdits) refused by the store), \(syncs) syncs, \(quiescentPoints) quiescent checks, \(changes) changes over \(records) records; scouts hold \(scoutRecords.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); faults: \(faultText); lost 0, diverged 0"
    }
}

/// A property violated at a quiescent point, or an unexpected error, with what reproduces it.
struct SimulationFailure: Error, CustomStringConvertible {
    var settings: SimulationSettings
    var step: Int
    var problems: [String]

    init(_ settings: SimulationSettings, step: Int, problems: [String]) {
        self.settings = settings
        self.step = step
        self.problems = problems
    }

    var description: String {
        "simulation seed \(settings.seed) on \(settings.backend) failed at step \(step) (reproduce: FIELDSYNC_SIM_SEED=\(settings.seed) FIELDSYNC_SIM_STEPS=\(settings.steps) swift test --filter SimulationTests):\n  " + problems.joined(separator: "\n  ")
    }
}

/// Settings of a run; the defaults are what CI runs per seed.
struct SimulationSettings: Sendable {
    var seed: UInt64
    var backend = StorageBackend.sqlite
    var steps = 1000
    var devices = 20
    /// Steps between quiescent checks (the end of the run is always one).
    var quiescentEvery = 500
}

/// A deterministic simulation of one server and many devices.
///
/// A seeded generator drives every step: local edits on any device (online or not), syncs,
/// offline periods, partitions (devices whose requests never arrive), lost requests and
/// responses, device crashes at any point of a sync, server restarts, admin writes and admin
/// conflict resolutions. Time is simulated, so the run is the same every time for a seed.
///
/// After every quiescent point (all devices online, every device synced twice) it checks that
/// all replicas converged (device dumps equal each other and the server's records), that no
/// write was lost and none appeared from nowhere (`WriteLedger`), that counters add up to the
/// increments made, and that conflict lists agree with the states.
///
/// Scope: the editing devices' users cover every territory the edits name; three more devices
/// ("scouts") belong to users with narrower scopes — a rep of east, a rep of west, and a
/// manager of north whose team is the east rep — and sync through the same faults while
/// admins move accounts between territories (and editors move them by edits). At every
/// quiescent point each scout must hold exactly the server's records in its scope, worked out
/// here independently of the server's scope code: nothing outside it, nothing missing.
final class Simulation {
    let settings: SimulationSettings
    private var rng: SplitMix64
    private let directory: TemporaryDirectory
    private let clock = SimulationClock()
    private let server: SimulatedServer
    private var devices: [SimulatedDevice] = []
    private let ledger = WriteLedger()
    private let catalog = RecordCatalog()
    private let generator = EditGenerator()
    private let faults = FaultTally()
    private var report: SimulationReport
    private var step = 0

    /// Devices of users with narrow scopes, and the territories each may see. They never
    /// edit: what they hold comes from the server alone.
    private var scouts: [(device: SimulatedDevice, territories: Set<String>)] = []

    init(_ settings: SimulationSettings) async throws {
        self.settings = settings
        rng = SplitMix64(seed: settings.seed)
        directory = try TemporaryDirectory("sim-\(settings.seed)", inMemory: true)
        server = try await SimulatedServer(backend: settings.backend, path: directory.path("server.sqlite"), clock: clock)
        report = SimulationReport(seed: settings.seed, backend: settings.backend)
    }

    /// Runs the whole simulation; throws `SimulationFailure` naming the seed and step.
    func run() async throws -> SimulationReport {
        defer { directory.remove() }
        do {
            try await setUp()
            for index in 1...settings.steps {
                step = index
                // Each step runs synchronous store work; yielding between steps shares the few
                // threads of the cooperative pool with the tests running alongside.
                await Task.yield()
                try await runStep()
                if index % settings.quiescentEvery == 0 || index == settings.steps {
                    try await quiesceAndCheck()
                }
            }
        } catch let failure as SimulationFailure {
            await server.close()
            throw failure
        } catch {
            await server.close()
            throw SimulationFailure(settings, step: step, problems: ["unexpected error: \(error)"])
        }
        await server.close()
        report.steps = settings.steps
        report.changes = ledger.changeCount
        report.records = catalog.all.count
        report.faults = faults.snapshot
        return report
    }

    private func setUp() async throws {
        for index in 1...settings.devices {
            let replica = rng.replicaID()
            // Most clocks are a little off; a few are minutes off (their first changes are
            // refused for clock skew, stamped again from the corrected clock, and must not be
            // lost).
            let skew: Int64 = rng.chance(0.15) ? Int64(rng.int(-180_000...180_000)) : Int64(rng.int(-20_000...20_000))
            // A fifth of the devices join later and bootstrap from a snapshot.
            let joinsAt = index <= settings.devices * 4 / 5 ? 0 : rng.int(1...max(1, settings.steps * 2 / 3))
            let device = SimulatedDevice(
                index: index, path: directory.path("device\(index).sqlite"), replica: replica, skew: skew, joinsAt: joinsAt, clock: clock
            )
            let user = String(format: "rep%02d", index)
            let created = try await server.accounts.createUser(name: user, role: .rep, territories: EditGenerator.territories)
            let enrolled = try await server.accounts.enroll(EnrollRequest(code: created.enrollmentCode, replica: replica, deviceName: device.name))
            device.token = enrolled.token
            devices.append(device)
        }
        let scoutUsers: [(name: String, role: Role, territories: [String], team: [String], sees: Set<String>)] = [
            ("scout-east", .rep, ["east"], [], ["east"]),
            ("scout-west", .rep, ["west"], [], ["west"]),
            ("lead-north", .manager, ["north"], ["scout-east"], ["north", "east"]),
        ]
        for (offset, user) in scoutUsers.enumerated() {
            let replica = rng.replicaID()
            let index = settings.devices + offset + 1
            let device = SimulatedDevice(index: index, path: directory.path("device\(index).sqlite"), replica: replica, skew: 0, joinsAt: 0, clock: clock)
            let created = try await server.accounts.createUser(name: user.name, role: user.role, territories: user.territories, team: user.team)
            device.token = try await server.accounts.enroll(EnrollRequest(code: created.enrollmentCode, replica: replica, deviceName: user.name)).token
            scouts.append((device, user.sees))
        }
    }

    private var activeDevices: [SimulatedDevice] { devices.filter { $0.joinsAt <= step } }

    private func runStep() async throws {
        clock.advance(by: Int64(rng.int(0...1_500)))
        let active = activeDevices
        guard !active.isEmpty else { return }
        let device = rng.pick(active)
        switch rng.weighted([14, 50, 4, 2, 5, 4, 4, 1, 3, 3, 3, 2, 2]) {
        case 0:
            try edit(on: device)
        case 1:
            if rng.chance(0.2), !scouts.isEmpty {
                let scout = rng.pick(scouts).device
                let round = rng.int(1...3)
                let interruption: SyncInterruption = rng.weighted([6, 1, 1]) == 0
                    ? .none : (rng.chance(0.5) ? .responseLost(round: round) : .crashAfterAction(round: round, action: rng.int(0...2)))
                try await sync(scout, interruption: interruption)
            } else {
                try await sync(device, interruption: .none)
            }
        case 2:
            device.offlineUntil = step + rng.int(10...200)
            faults.count("offline period")
        case 3:
            partitionOrHeal()
        case 4:
            let round = rng.int(1...3)
            let interruption: SyncInterruption = rng.chance(0.5) ? .crashBeforeAcknowledge(round: round) : .crashAfterAction(round: round, action: rng.int(0...2))
            try await sync(device, interruption: interruption)
        case 5:
            try await sync(device, interruption: .responseLost(round: rng.int(1...2)))
        case 6:
            try await sync(device, interruption: .requestLost(round: rng.int(1...2)))
        case 7:
            try await server.restart()
            faults.count("server restart")
        case 8:
            try await adminWrite()
        case 9:
            try await adminResolution()
        case 10:
            device.crash()
            faults.count("device crash while idle")
        case 11:
            try await territoryMove()
        default:
            // Someone sets the device clock minutes or days off, ahead or back: until its next
            // sync corrects the offset its changes are stamped by the wrong clock; those too far
            // ahead are refused for clock skew, stamped again from the corrected clock and
            // pushed again (with the changes that depend on them) without being lost, and the
            // device's later changes are stamped right even while its clock stays wrong.
            let jump: Int64
            if rng.chance(0.25) {
                let days = Int64(rng.int(1...3)) * 86_400_000
                jump = rng.chance(0.7) ? days : -days
                faults.count("device clock jump by days")
            } else {
                jump = Int64(rng.chance(0.7) ? rng.int(90_000...400_000) : -rng.int(0...300_000))
            }
            device.skew = min(max(device.skew + jump, -3 * 86_400_000), 3 * 86_400_000)
            faults.count("device clock jump")
            for _ in 0..<rng.int(1...3) { try edit(on: device) }
        }
    }

    // MARK: Events

    private func edit(on device: SimulatedDevice) throws {
        let store = try device.open()
        let edits = try generator.edits(for: store, catalog: catalog, rng: &rng)
        guard !edits.isEmpty else { return }
        if try store.applyTracked(edits, ledger: ledger, catalog: catalog) {
            report.edits += edits.count
        } else {
            report.refusedEdits += edits.count
        }
    }

    private func sync(_ device: SimulatedDevice, interruption: SyncInterruption) async throws {
        guard device.offlineUntil <= step else { return }
        if device.partitioned {
            faults.count("partitioned request")
            return
        }
        report.syncs += 1
        let outcome = try await SimulatedSync(server: server, rejections: faults).run(device, interruption: interruption)
        if outcome == .interrupted {
            switch interruption {
            case .none: break
            case .requestLost: faults.count("request lost")
            case .responseLost: faults.count("response lost after the server applied it")
            case .crashBeforeAcknowledge: faults.count("device crash before acknowledge")
            case .crashAfterAction: faults.count("device crash mid-sync")
            }
        }
    }

    private func partitionOrHeal() {
        if devices.contains(where: \.partitioned) {
            for device in devices { device.partitioned = false }
            return
        }
        let size = rng.int(2...max(2, settings.devices / 3))
        var indices = Array(devices.indices)
        for _ in 0..<size where !indices.isEmpty {
            devices[indices.remove(at: rng.int(0...indices.count - 1))].partitioned = true
        }
        faults.count("partition")
    }

    /// An admin changes a few fields of an account on the server (like an import or the admin
    /// UI); devices get it through the log.
    private func adminWrite() async throws {
        let accounts = catalog.of("account")
        guard !accounts.isEmpty else { return }
        let reference = rng.pick(accounts)
        guard let current = try await server.storage.record(entity: "account", id: reference.id) else { return }
        var fields: [String: RecordWrite.FieldValue] = [:]
        switch rng.int(0...2) {
        case 0:
            fields["tier"] = .value(.string(rng.pick(["A", "B", "C"])))
        case 1:
            fields["tags"] = .elements(Array(Set((0..<rng.int(0...3)).map { _ in rng.pick(EditGenerator.tags) })).sorted())
        default:
            let before = current.fields["samples_given"]?.counter?.value ?? 0
            let total = max(0, before + Int64(rng.int(-20...40)))
            fields["samples_given"] = .value(.int(total))
            if total != before {
                ledger.recordIncrement(entity: "account", id: reference.id, field: "samples_given", by: total - before)
            }
        }
        let summary = try await server.service.writeAsServer([RecordWrite(entity: "account", id: reference.id, fields: fields)])
        ledger.record(try await server.loggedChanges(at: summary.sequences))
        faults.count("admin write")
    }

    /// An admin moves an account to another territory: scouts that lose it must drop it with
    /// its children, scouts that gain it must receive it with them.
    private func territoryMove() async throws {
        let accounts = catalog.of("account")
        guard !accounts.isEmpty else { return }
        let reference = rng.pick(accounts)
        guard let current = try await server.storage.record(entity: "account", id: reference.id) else { return }
        let territories = EditGenerator.territories.filter { .string($0) != current.value(of: "territory") }
        let summary = try await server.service.writeAsServer([
            RecordWrite(entity: "account", id: reference.id, fields: ["territory": .value(.string(rng.pick(territories)))]),
        ])
        ledger.record(try await server.loggedChanges(at: summary.sequences))
        faults.count("territory move")
    }

    /// An admin resolves an open conflict on the server: a write whose context covers every
    /// sibling. The conflict must close, and devices must follow.
    private func adminResolution() async throws {
        let open = try await server.storage.conflicts(openOnly: true)
            .filter { $0.key.kind == .concurrentValues || $0.key.kind == .deleteVsEdit }
            .sorted { $0.key < $1.key }
        guard !open.isEmpty else { return }
        let conflict = rng.pick(open).key
        guard let record = try await server.storage.record(entity: conflict.entity, id: conflict.recordID) else {
            throw SimulationFailure(settings, step: step, problems: ["the server lists a conflict on \(conflict) but has no such record"])
        }
        var fields: [String: RecordWrite.FieldValue] = [:]
        if conflict.kind == .concurrentValues, let register = record.fields[conflict.field]?.register {
            // The smallest value, not the display winner: the choice must not depend on ids.
            fields[conflict.field] = .value(register.siblings.map(\.value).sorted().first ?? .null)
        }
        let summary = try await server.service.writeAsServer([RecordWrite(entity: conflict.entity, id: conflict.recordID, fields: fields)])
        ledger.record(try await server.loggedChanges(at: summary.sequences))
        let stillOpen = try await server.storage.conflicts(openOnly: true).contains { $0.key == conflict }
        if stillOpen {
            throw SimulationFailure(settings, step: step, problems: ["admin resolution of \(conflict) left it open"])
        }
        faults.count("admin resolution")
    }

    // MARK: Quiescent check

    /// Brings every device online, lets a few minutes pass (not as long as any clock was
    /// ahead: a change refused for clock skew is stamped again from the corrected clock, so no
    /// device waits for the server's clock to catch up with its wrong one), syncs every device
    /// twice, then checks every property.
    private func quiesceAndCheck() async throws {
        let active = activeDevices
        for device in devices {
            device.partitioned = false
            device.offlineUntil = 0
        }
        clock.advance(by: 240_000)
        for _ in 1...2 {
            for device in active {
                report.syncs += 1
                _ = try await SimulatedSync(server: server, rejections: faults).run(device, interruption: .none)
            }
        }
        let records = try await server.storage.records()
        var problems = ledger.adoptStamps(from: records)
        problems += ledger.problems(in: records)
        problems += try Convergence.problems(devices: active.map { ($0.name, try $0.open()) }, server: records)
        problems += Convergence.serverConflictProblems(open: try await server.storage.conflicts(openOnly: true), records: records)
        for (device, _) in scouts {
            device.partitioned = false
            device.offlineUntil = 0
            for _ in 1...2 {
                report.syncs += 1
                _ = try await SimulatedSync(server: server, rejections: faults).run(device, interruption: .none)
            }
        }
        for (device, territories) in scouts {
            let check = try Self.scopeProblems(device.name, try device.open(), sees: territories, server: records)
            problems += check.problems
            report.scoutRecords[device.name] = check.held
        }
        report.quiescentPoints += 1
        if !problems.isEmpty {
            throw SimulationFailure(settings, step: step, problems: problems)
        }
    }
}

extension Simulation {
    /// One line per record a scout holds outside its scope, lacks inside it, or holds in
    /// another state than the server; and per change left in its outbox (it never edits).
    static func scopeProblems(
        _ name: String, _ store: DeviceStore, sees territories: Set<String>, server records: [RecordState]
    ) throws -> (problems: [String], held: Int) {
        let expected = ScopeOracle.visible(records, territories: territories)
        let held = try JSONDecoder().decode([RecordState].self, from: try store.canonicalDump())
        var problems: [String] = []
        let expectedKeys = Set(expected.map { "\($0.entity)/\($0.id)" })
        let heldKeys = Set(held.map { "\($0.entity)/\($0.id)" })
        for key in heldKeys.subtracting(expectedKeys).sorted().prefix(5) {
            problems.append("SCOPE: \(name) (sees \(territories.sorted())) holds \(key), which is outside its scope")
        }
        for key in expectedKeys.subtracting(heldKeys).sorted().prefix(5) {
            problems.append("SCOPE: \(name) (sees \(territories.sorted())) lacks \(key)")
        }
        if problems.isEmpty && held != expected {
            problems.append("DIVERGED: \(name) differs from the server inside its scope: \(Convergence.firstDifference(held, expected))")
        }
        if try !store.outbox().isEmpty {
            problems.append("STUCK: \(name) never edits but has an outbox")
        }
        return (problems, held.count)
    }
}
