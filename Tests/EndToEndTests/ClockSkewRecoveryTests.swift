import Foundation
import SyncCore
import SyncServer
import SyncStore
import Testing

/// A device whose clock was wrong for a while. The server refuses changes stamped more than the
/// allowed skew ahead of its clock and stores nothing of them; the device corrects its clock
/// offset from the same answer, stamps the refused changes again (same dots) and pushes them
/// again in the same sync, and its clock restarts from the corrected time.
@Suite("Clock skew: a device whose clock was far ahead")
struct ClockSkewRecoveryTests {
    static let twoDays: Int64 = 172_800_000

    /// A server, and enrolled devices of reps of east that have synced once.
    struct World {
        let directory: TemporaryDirectory
        let clock = SimulationClock()
        let server: SimulatedServer
        var rng = SplitMix64(seed: 42)
        var devices: [SimulatedDevice] = []

        init(devices count: Int) async throws {
            directory = try TemporaryDirectory("clock-skew", inMemory: true)
            server = try await SimulatedServer(backend: .sqlite, path: directory.path("server.sqlite"), clock: clock)
            for index in 1...count {
                let device = SimulatedDevice(
                    index: index, path: directory.path("device\(index).sqlite"), replica: rng.replicaID(), skew: 0, joinsAt: 0, clock: clock
                )
                let created = try await server.accounts.createUser(name: "rep0\(index)", role: .rep, territories: ["east"])
                device.token = try await server.accounts.enroll(
                    EnrollRequest(code: created.enrollmentCode, replica: device.replica, deviceName: device.name)
                ).token
                devices.append(device)
                _ = try await sync(device)
            }
        }

        /// An account the first device creates and every device then holds.
        mutating func sharedAccount() async throws -> RecordID {
            let account = rng.recordID()
            try devices[0].open().apply(.create("account", id: account, [.set("name", .string("上海华科")), .set("territory", .string("east"))]))
            for device in devices { _ = try await sync(device) }
            return account
        }

        /// Syncs `device`; returns the server's rejections by code.
        func sync(_ device: SimulatedDevice) async throws -> [String: Int] {
            let rejections = FaultTally()
            _ = try await SimulatedSync(server: server, rejections: rejections).run(device)
            return rejections.snapshot
        }

        func close() async {
            await server.close()
            directory.remove()
        }
    }

    @Test("a phone two days ahead: its offline edit is refused once, stamped again at the time it was made, and accepted in the same sync")
    func recoversInTheSameSync() async throws {
        var world = try await World(devices: 2)
        let (phone, other) = (world.devices[0], world.devices[1])
        let account = try await world.sharedAccount()
        let phoneStore = try phone.open()

        // The phone's clock jumps two days ahead while it is offline, and the rep edits.
        phone.skew = Self.twoDays
        let editedAt = world.clock.now
        let offline = try phoneStore.apply(.update("account", id: account, [.set("notes", .string("phone, offline"))]))
        #expect(offline.hlc.physical > editedAt + Self.twoDays - 1_000, "the edit is stamped by the wrong clock")

        // Ten minutes later another rep writes the same field, and syncs.
        world.clock.advance(by: 600_000)
        try other.open().apply(.update("account", id: account, [.set("notes", .string("other, later"))]))
        #expect(try await world.sync(other).isEmpty)

        // Ten more minutes, and the phone syncs, its clock still two days ahead.
        world.clock.advance(by: 600_000)
        let rejections = try await world.sync(phone)
        #expect(rejections == ["rejected clock_skew": 1], "refused once, then accepted after the new stamp")
        #expect(try phoneStore.outbox().isEmpty, "nothing waits: the re-stamped change was pushed again in the same sync")

        // Stamped again at the time it was made (the device clock then, plus the corrected offset).
        let history = try phoneStore.history("account", id: account)
        let restamped = try #require(history.first { $0.change.dot == offline.dot }?.change)
        #expect(abs(restamped.hlc.physical - editedAt) < 1_000, "re-stamped \(restamped.hlc.physical - editedAt) ms from when it was made")
        let onServer = try #require(try await world.server.storage.record(entity: "account", id: account))
        let serverSibling = try #require(onServer.fields["notes"]?.register?.siblings.first { $0.dot == offline.dot })
        #expect(serverSibling.hlc == restamped.hlc, "the server holds the change with its new stamp")

        // The phone's clock restarted from the corrected time: a later edit is accepted at once.
        let later = try phoneStore.apply(.update("account", id: account, [.set("city", .string("苏州"))]))
        #expect(abs(later.hlc.physical - world.clock.now) < 60_000, "stamped \(later.hlc.physical - world.clock.now) ms from the server clock")
        #expect(try await world.sync(phone).isEmpty)
        #expect(try phoneStore.outbox().isEmpty)

        // Everyone converges, and the genuinely later write is the one shown; the phone's is
        // its concurrent sibling in an open conflict, nothing lost.
        _ = try await world.sync(other)
        _ = try await world.sync(phone)
        let records = try await world.server.storage.records()
        #expect(try Convergence.problems(devices: world.devices.map { ($0.name, try $0.open()) }, server: records).isEmpty)
        let shown = try #require(try phoneStore.record("account", id: account))
        #expect(shown.value("notes") == .string("other, later"))
        #expect(shown.conflicts["notes"]?.map(\.value).sorted { $0.description < $1.description } == [.string("other, later"), .string("phone, offline")])
        await world.close()
    }

    /// When the original request of a change refused for clock skew arrives again (a network
    /// that duplicates or delays requests, a replaying proxy), relative to the device's push of
    /// the same dot with its new stamp.
    enum Replay: String, CaseIterable, CustomTestStringConvertible {
        /// The refused request comes again once the server's clock has caught up with its stamp,
        /// before the re-stamped push reaches the server: the server takes the old stamp.
        case beforeTheRestampedPush
        /// The re-stamped push was accepted first: the old request is a duplicate.
        case afterTheRestampedPush
        /// The re-stamped push was accepted but its answer lost; the old request comes, then
        /// the device pushes the new stamp again.
        case afterTheRestampedPushWhoseAnswerWasLost
        /// The refusal's answer was lost, so the device never stamped again; the old request is
        /// accepted later, then the device pushes the same stamp again.
        case afterALostRefusal

        var testDescription: String { rawValue }
    }

    @Test("a replay of a push refused for clock skew: every replica holds the one stamp the server kept for the dot", arguments: Replay.allCases)
    func replayOfARefusedPush(_ replay: Replay) async throws {
        var world = try await World(devices: 2)
        let (phone, other) = (world.devices[0], world.devices[1])
        let account = try await world.sharedAccount()
        let phoneStore = try phone.open()

        // The phone's clock runs five minutes ahead while it is offline, and the rep edits.
        let fiveMinutes: Int64 = 300_000
        phone.skew = fiveMinutes
        let edit = try phoneStore.apply(.update("account", id: account, [.set("notes", .string("phone, ahead"))]))
        let original = SyncRequest(
            replica: phone.replica, clientTime: phone.now, cursor: try phoneStore.cursor(), changes: try phoneStore.pendingChanges()
        )
        #expect(original.changes.map(\.dot) == [edit.dot])

        // The phone syncs: refused for clock skew, stamped again, pushed again (or not).
        let interruption: SyncInterruption = switch replay {
        case .beforeTheRestampedPush: .requestLost(round: 2)
        case .afterTheRestampedPush: .none
        case .afterTheRestampedPushWhoseAnswerWasLost: .responseLost(round: 2)
        case .afterALostRefusal: .responseLost(round: 1)
        }
        _ = try await SimulatedSync(server: world.server).run(phone, interruption: interruption)
        let pending = try phoneStore.pendingChanges()
        if replay == .afterALostRefusal {
            #expect(pending.map(\.hlc) == [edit.hlc], "no answer, no new stamp")
        } else if replay != .afterTheRestampedPush {
            #expect(pending.map(\.hlc.physical) == [edit.hlc.physical - fiveMinutes], "stamped again from the corrected clock")
        }

        // Five minutes on, the server's clock has caught up with the old stamp, and the
        // original request arrives again.
        world.clock.advance(by: fiveMinutes)
        let device = try await world.server.accounts.authenticate(authorization: "Bearer \(phone.token)")
        let replayed = try await world.server.service.sync(original, from: device)
        let expected: ChangeResult.Status = switch replay {
        case .beforeTheRestampedPush, .afterALostRefusal: .accepted
        case .afterTheRestampedPush, .afterTheRestampedPushWhoseAnswerWasLost: .duplicate
        }
        #expect(replayed.results.map(\.status) == [expected])

        // Everyone syncs; the phone pushes what it still has.
        for _ in 1...2 {
            _ = try await world.sync(phone)
            _ = try await world.sync(other)
        }
        let stored = try #require(try await world.server.storage.record(entity: "account", id: account))
        let held = try #require(stored.fields["notes"]?.register?.siblings.first { $0.dot == edit.dot }?.hlc)
        let onPhone = try #require(try phoneStore.history("account", id: account).first { $0.change.dot == edit.dot }?.change)
        #expect(onPhone.hlc == held, "the phone's own history holds the stamp the server kept")
        #expect(try phoneStore.outbox().isEmpty)
        let problems = try Convergence.problems(devices: world.devices.map { ($0.name, try $0.open()) }, server: try await world.server.storage.records())
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        await world.close()
    }

    @Test("a clock put right before the sync: the refused edit is stamped now, and edits made after the clock is right are never refused")
    func clockPutRightBeforeSyncing() async throws {
        var world = try await World(devices: 1)
        let device = world.devices[0]
        let store = try device.open()

        // Someone sets the phone's clock a day ahead and makes an edit offline.
        device.skew = 86_400_000
        let early = try store.apply(.create("account", id: world.rng.recordID(), [.set("name", .string("Early")), .set("territory", .string("east"))]))

        // The clock is right again before the phone syncs; the rep edits once more.
        device.skew = 0
        world.clock.advance(by: 1_000)
        let rejections = try await world.sync(device)
        #expect(rejections == ["rejected clock_skew": 1])
        #expect(try store.outbox().isEmpty, "the early edit was stamped again and accepted in the same sync")
        let later = try store.apply(.create("account", id: world.rng.recordID(), [.set("name", .string("Later")), .set("territory", .string("east"))]))
        let now = world.clock.now
        #expect(later.hlc.physical <= now + 60_000, "the later edit is stamped \(later.hlc.physical - now) ms ahead of the server")
        #expect(try await world.sync(device).isEmpty, "the later edit, made with a correct clock, is accepted")
        #expect(try store.outbox().isEmpty)

        // The early edit is on the server with a stamp no later than when it was accepted.
        let stored = try #require(try await world.server.storage.record(entity: "account", id: early.recordID))
        let sibling = try #require(stored.existence.siblings.first { $0.dot == early.dot })
        #expect(sibling.hlc.physical <= now)
        #expect(try Convergence.problems(devices: [(device.name, store)], server: try await world.server.storage.records()).isEmpty)
        await world.close()
    }
}
