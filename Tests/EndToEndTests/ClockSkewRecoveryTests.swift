import Foundation
import SyncCore
import SyncServer
import SyncStore
import Testing

/// A device whose clock was wrong for a while. The server refuses changes stamped more than the
/// allowed skew ahead of its clock; they stay in the outbox (nothing is lost) and the device
/// corrects its clock offset on every sync.
@Suite("Clock skew: a device whose clock was far ahead")
struct ClockSkewRecoveryTests {
    @Test("an edit stamped a day ahead is refused and kept; edits made after the clock is right sync again")
    func recoversFromAClockFarAhead() async throws {
        let directory = try TemporaryDirectory("clock-skew", inMemory: true)
        defer { directory.remove() }
        let clock = SimulationClock()
        let server = try SimulatedServer(path: directory.path("server.sqlite"), clock: clock)
        var rng = SplitMix64(seed: 42)
        let device = SimulatedDevice(index: 1, path: directory.path("device.sqlite"), replica: rng.replicaID(), skew: 0, joinsAt: 0, clock: clock)
        let created = try await server.accounts.createUser(name: "rep01", role: .rep, territories: ["east"])
        device.token = try await server.accounts.enroll(EnrollRequest(code: created.enrollmentCode, replica: device.replica, deviceName: device.name)).token
        let sync = SimulatedSync(server: server)
        _ = try await sync.run(device)

        // Someone sets the phone's clock a day ahead and makes an edit offline.
        device.skew = 86_400_000
        let store = try device.open()
        let early = try store.apply(.create("account", id: rng.recordID(), [.set("name", .string("Early")), .set("territory", .string("east"))]))
        _ = try await sync.run(device)
        let refused = try store.outbox().first { $0.change.dot == early.dot }
        #expect(refused?.rejectCode == "clock_skew", "a change stamped a day ahead must be refused for clock skew and kept")

        // The clock is right again, and the device has synced (its offset is corrected).
        device.skew = 0
        clock.advance(by: 1_000)
        _ = try await sync.run(device)
        let later = try store.apply(.create("account", id: rng.recordID(), [.set("name", .string("Later")), .set("territory", .string("east"))]))
        _ = try await sync.run(device)

        // Nothing is lost either way: the early change waits in the outbox.
        let outbox = try store.outbox().map(\.change.dot)
        #expect(outbox.contains(early.dot))
        let now = clock.now
        withKnownIssue(
            """
            HLCs never go backwards: once one change was stamped a day ahead, every later change of \
            the device is stamped a day ahead too, and the server refuses all of them for clock skew \
            until its own clock catches up (a day later), although the device clock is right again
            """
        ) {
            #expect(later.hlc.physical <= now + 60_000, "the later edit is stamped \(later.hlc.physical - now) ms ahead of the server")
            #expect(!outbox.contains(later.dot), "the later edit, made with a correct clock, was refused")
        }
        await server.close()
    }
}
