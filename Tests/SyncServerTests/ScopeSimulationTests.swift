import CRM
import FieldSyncTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncClient
import SyncCore
import SyncStore
import Testing

@testable import SyncServer

/// SplitMix64: a small seeded generator, so a failing seed replays exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A lowercase UUID text drawn from the generator, so record ids (and the order of lists
    /// sorted by them) replay with the seed.
    mutating func recordID() -> RecordID {
        let high = next(), low = next()
        let hex = String(format: "%016llx%016llx", high, low)
        let digits = Array(hex)
        func part(_ range: Range<Int>) -> String { String(digits[range]) }
        return "\(part(0..<8))-\(part(8..<12))-4\(part(13..<16))-8\(part(17..<20))-\(part(20..<32))"
    }
}

/// Many devices of reps, a manager and an admin edit offline, sync at random, while accounts
/// move between territories (admin server writes and edits of `territory` on devices) and
/// users' territories and teams change. Every sync answer is audited (no record or change
/// outside the device user's scope at that moment), and at the end every device holds exactly
/// the server's records in its scope, and no change any device made is lost.
@Suite("Scope: randomized multi-device replication", .serialized)
struct ScopeSimulationTests {
    static let territories = ["east", "north", "south", "west", "central"]

    /// The seeds: five fixed ones, or FIELDSYNC_SCOPE_SIM_SEEDS ("7" or "1-20").
    static var seeds: [UInt64] {
        guard let text = ProcessInfo.processInfo.environment["FIELDSYNC_SCOPE_SIM_SEEDS"] else { return [11, 23, 37, 41, 59] }
        let bounds = text.split(separator: "-").compactMap { UInt64($0) }
        guard let first = bounds.first else { return [11] }
        return Array(first...(bounds.last ?? first))
    }

    /// Every seed on SQLite, and the first on PostgreSQL (FIELDSYNC_SCOPE_SIM_POSTGRES_SEEDS:
    /// how many of the seeds, e.g. 5 for all of the fixed ones).
    static var cases: [(StorageBackend, UInt64)] {
        let postgres = ProcessInfo.processInfo.environment["FIELDSYNC_SCOPE_SIM_POSTGRES_SEEDS"].flatMap { Int($0) } ?? 1
        return seeds.map { (.sqlite, $0) } + (StorageBackend.all.contains(.postgres) ? seeds.prefix(postgres).map { (.postgres, $0) } : [])
    }

    /// Steps per seed: 260, or FIELDSYNC_SCOPE_SIM_STEPS for a longer run.
    static var steps: Int {
        ProcessInfo.processInfo.environment["FIELDSYNC_SCOPE_SIM_STEPS"].flatMap { Int($0) } ?? 260
    }

    struct Figures {
        var steps = 0, edits = 0, refusedLocally = 0, syncs = 0, moves = 0, scopeChanges = 0
        var evicted = 0, arrived = 0, resyncs = 0, rejectedOutOfScope = 0
    }

    @Test(
        "no device ever receives a record outside its scope; every device converges to its scope; no write is lost",
        arguments: ScopeSimulationTests.cases
    )
    func randomized(backend: StorageBackend, seed: UInt64) async throws {
        try await withFixture(backend: backend, configure: { $0.rateLimitPerSecond = 0 }) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let world = ScopeWorld(fixture: fixture, client: client)
                var random = SeededGenerator(seed: seed)
                try await Self.seedServer(fixture, random: &random)

                var devices = [
                    try await world.device("alice-phone", user: "alice", territories: ["east"]),
                    try await world.device("alice-tablet", user: "alice"),
                    try await world.device("bob-phone", user: "bob", territories: ["east", "south"]),
                    try await world.device("zhang-phone", user: "zhang", territories: ["north"]),
                    try await world.device("carol-phone", user: "carol", territories: ["south"]),
                ]
                devices.append(try await world.device("mgr-phone", user: "mgr", role: .manager, territories: ["west"], team: ["zhang"]))
                devices.append(try await world.device("root-laptop", user: "root", role: .admin))
                var made: [[Change]] = Array(repeating: [], count: devices.count)
                var online = Array(repeating: true, count: devices.count)
                var figures = Figures()
                for device in devices { try await device.sync() }

                for _ in 0..<Self.steps {
                    figures.steps += 1
                    // Shares the cooperative pool with the tests running alongside.
                    await Task.yield()
                    let roll = Int.random(in: 0..<100, using: &random)
                    let index = Int.random(in: 0..<devices.count, using: &random)
                    let device = devices[index]
                    switch roll {
                    case 0..<38:
                        do {
                            if let change = try await Self.randomEdit(on: device, world: world, random: &random) {
                                made[index].append(change)
                                figures.edits += 1
                            }
                        } catch is StoreError {
                            figures.refusedLocally += 1
                        }
                    case 38..<62:
                        guard online[index] else { continue }
                        let summary = try await device.sync()
                        figures.syncs += 1
                        figures.evicted += summary.evicted
                        figures.arrived += summary.arrived
                        figures.resyncs += summary.resyncs
                        figures.rejectedOutOfScope += summary.rejections["out_of_scope"] ?? 0
                    case 62..<70:
                        online[index].toggle()
                    case 70..<80:
                        let accounts = try await fixture.storage.records().filter { $0.entity == "account" }
                        guard let account = accounts.randomElement(using: &random) else { continue }
                        let territory = Self.territories.randomElement(using: &random) ?? "east"
                        _ = try await fixture.syncService().writeAsServer([
                            RecordWrite(entity: "account", id: account.id, fields: ["territory": .value(.string(territory))])
                        ])
                        figures.moves += 1
                    case 80..<84:
                        if Bool.random(using: &random) {
                            var territories = ["east", "south", "north"].filter { _ in Bool.random(using: &random) }
                            if territories.isEmpty { territories = ["south"] }
                            _ = try await fixture.accounts.updateUser(name: "bob", territories: territories, team: [])
                        } else {
                            let teams = [["zhang"], [], ["zhang", "carol"], ["alice"]]
                            let team = teams.randomElement(using: &random) ?? []
                            _ = try await fixture.accounts.updateUser(name: "mgr", territories: ["west"], team: team)
                        }
                        figures.scopeChanges += 1
                    default:
                        let states = try await fixture.storage.records().filter { $0.entity == "contact" }
                        guard let contact = states.randomElement(using: &random) else { continue }
                        _ = try await fixture.syncService().writeAsServer([
                            RecordWrite(entity: "contact", id: contact.id, fields: ["title": .value(.string("Title \(figures.steps)"))])
                        ])
                    }
                }

                // Quiescence: everyone online, full rounds until a round changes nothing on the
                // server — then every device pulled the final log. More than two rounds can be
                // needed: a refused change pushed again is accepted once a later device's move
                // brought its record back into scope.
                var rounds = 0
                while true {
                    let before = try await fixture.storage.logCount()
                    for device in devices {
                        let summary = try await device.sync()
                        figures.evicted += summary.evicted
                        figures.arrived += summary.arrived
                        figures.resyncs += summary.resyncs
                    }
                    rounds += 1
                    if try await fixture.storage.logCount() == before { break }
                    try #require(rounds < 10, "seed \(seed): the devices keep changing the server")
                }
                #expect(world.audit.violations.isEmpty, "\(world.audit.violations.prefix(5))")
                #expect(world.audit.checked > 100)
                for (device, changes) in zip(devices, made) {
                    try await world.expectConverged(device, made: changes)
                    for entry in try device.store.outbox() {
                        #expect(["out_of_scope", "missing_dependency"].contains(entry.rejectCode ?? "pending"), "\(device.name): \(entry.rejectCode ?? "pending") \(entry.rejectMessage ?? "")")
                    }
                }
                #expect(figures.moves > 0 && figures.evicted > 0 && figures.arrived > 0, "seed \(seed) exercised no move: \(figures)")
                print(
                    "scope simulation seed \(seed) on \(backend): \(figures.steps) steps, \(figures.edits) edits (\(figures.refusedLocally) refused locally), \(figures.syncs) syncs, \(figures.moves) admin moves, \(figures.scopeChanges) scope changes, \(figures.evicted) evicted, \(figures.arrived) arrived, \(figures.resyncs) resyncs, \(figures.rejectedOutOfScope) out_of_scope rejections, \(world.audit.checked) records audited, \(world.audit.violations.count) violations"
                )
            }
        }
    }

    /// Accounts with contacts and opportunities in every territory, leads, and products.
    static func seedServer(_ fixture: ServerFixture, random: inout SeededGenerator) async throws {
        var writes: [RecordWrite] = []
        for index in 0..<3 {
            writes.append(RecordWrite(entity: "product", id: random.recordID(), fields: [
                "sku": .value(.string("P-\(index)")), "name": .value(.string("Product \(index)")), "unit_price": .value(.string("9.5")),
            ]))
        }
        for territory in territories {
            for index in 0..<3 {
                let account = random.recordID()
                writes.append(RecordWrite(entity: "account", id: account, fields: [
                    "name": .value(.string("\(territory) customer \(index)")), "territory": .value(.string(territory)),
                ]))
                for person in 0..<2 {
                    writes.append(RecordWrite(entity: "contact", id: random.recordID(), fields: [
                        "account": .value(.string(account)), "name": .value(.string("Person \(person)")),
                    ]))
                }
                writes.append(RecordWrite(entity: "opportunity", id: random.recordID(), fields: [
                    "account": .value(.string(account)), "title": .value(.string("Deal")), "stage": .value(.string("proposal")),
                ]))
            }
            writes.append(RecordWrite(entity: "lead", id: random.recordID(), fields: [
                "name": .value(.string("Lead")), "company": .value(.string("\(territory) prospect")),
                "status": .value(.string("new")), "territory": .value(.string(territory)),
            ]))
        }
        _ = try await fixture.syncService().writeAsServer(writes)
    }

    /// One random local edit a person could make on `device`; nil when there is nothing to edit.
    static func randomEdit(on device: ScopeWorld.Device, world: ScopeWorld, random: inout SeededGenerator) async throws -> Change? {
        let store = device.store
        let accounts = try store.records("account")
        let contacts = try store.records("contact")
        let scope = try await world.scope(of: device.user)
        let own = scope.sortedTerritories ?? territories
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<25:
            guard let account = accounts.randomElement(using: &random) else { return nil }
            return try store.apply(.update("account", id: account.id, [.set("phone", .string("021-\(Int.random(in: 1000...9999, using: &random))"))]))
        case 25..<40:
            guard let account = accounts.randomElement(using: &random) else { return nil }
            return try store.apply(.create("contact", id: random.recordID(), CRMRecords.contact("New person", account: account.id)))
        case 40..<50:
            // Mostly in the user's territories; sometimes elsewhere, which the server refuses.
            let foreign = Int.random(in: 0..<100, using: &random) < 20
            let territory = (foreign ? territories : own).randomElement(using: &random) ?? "east"
            return try store.apply(.create("account", id: random.recordID(), CRMRecords.account("Created on \(device.name)", territory: territory)))
        case 50..<60:
            guard let account = accounts.randomElement(using: &random) else { return nil }
            return try store.apply(.update("account", id: account.id, [.increment("samples_given", by: 5)]))
        case 60..<75:
            // A move by an edit of `territory`, to another territory the user covers.
            guard let account = accounts.randomElement(using: &random),
                let target = own.filter({ $0 != account.value("territory").stringValue }).randomElement(using: &random)
            else { return nil }
            return try store.apply(.update("account", id: account.id, [.set("territory", .string(target))]))
        case 75..<85:
            guard let contact = contacts.randomElement(using: &random) else { return nil }
            return try store.apply(.update("contact", id: contact.id, [.set("title", .string("Buyer"))]))
        case 85..<90:
            guard let contact = contacts.randomElement(using: &random) else { return nil }
            return try store.apply(.delete("contact", id: contact.id))
        default:
            let territory = own.randomElement(using: &random) ?? "east"
            return try store.apply(.create("lead", id: random.recordID(), CRMRecords.lead("Prospect of \(device.name)", territory: territory)))
        }
    }
}
