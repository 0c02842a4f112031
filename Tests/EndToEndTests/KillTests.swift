import FieldSyncTestSupport
import Foundation
import Synchronization
import SyncCore
import SyncStore
import Testing

/// Issue 3's kill tests, with the real executables from `.build/debug`: SIGKILL of a
/// `fieldsync sync` process between push and acknowledgement (exactly, and at random
/// points), and SIGKILL of `fieldsync-server` in the middle of a push; after a restart and a
/// retry nothing is lost and nothing is counted twice.
@Suite("Kill tests: SIGKILL of client and server processes", .serialized)
struct KillTests {
    @Test("client killed after the server applied its push, before acknowledging: the retry is all duplicates", arguments: StorageBackend.all)
    func clientKilledBetweenPushAndAcknowledge(backend: StorageBackend) async throws {
        let cluster = try await LiveCluster.start(label: "kill-ack", deviceCount: 2, seed: 11, backend: backend)
        defer { cluster.tearDown() }
        var rng = SplitMix64(seed: 11)
        try cluster.edit(0, count: 25, rng: &rng)
        let pending = try cluster.outboxCount(0)
        #expect(pending >= 25)
        let before = try await cluster.serverState().logCount

        // The proxy lets the push reach the server, waits for its answer, kills the client
        // and withholds the answer: the server applied everything, the device acknowledged
        // nothing.
        let slot = ProcessSlot()
        cluster.proxy.setHooks(.init(beforeReply: { exchange in
            guard exchange.pushes else { return true }
            slot.killProcess()
            return false
        }))
        let child = try await cluster.startSync(0)
        slot.set(child)
        let killed = await child.wait()
        #expect(killed.killed, "the client should have died of SIGKILL: \(killed)")
        #expect(slot.didKill)
        cluster.tally.count("client SIGKILL between push and acknowledge")
        #expect(try cluster.outboxCount(0) == pending, "the device must still hold every unacknowledged change")
        #expect(try await cluster.serverState().logCount == before + pending, "the server applied the push before the kill")

        // The retry pushes the same changes again: every one is a duplicate, nothing is added.
        cluster.proxy.setHooks(.init())
        let retry = try await cluster.sync(0)
        #expect(retry.succeeded, "retry failed: \(retry.stderr)")
        let summary = try JSONDecoder().decode(SyncSummaryLine.self, from: Data(retry.stdout.utf8))
        #expect(summary.accepted == 0)
        #expect(summary.duplicates == pending)
        #expect(try cluster.outboxCount(0) == 0)
        #expect(try await cluster.serverState().logCount == before + pending, "the retry must not append anything")

        let problems = try await cluster.recoverAndCheck()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        print(cluster.tally.summary("client killed between push and acknowledge, server on \(backend)") + "; lost 0, duplicated 0")
    }

    @Test("clients killed at random points of their syncs lose nothing and count nothing twice", arguments: StorageBackend.all)
    func clientKilledAtRandomPoints(backend: StorageBackend) async throws {
        let cluster = try await LiveCluster.start(label: "kill-random", deviceCount: 3, seed: 23, backend: backend)
        defer { cluster.tearDown() }
        var rng = SplitMix64(seed: 23)
        var landed = 0
        for round in 0..<10 {
            // Others push so the victim also pulls pages while it may be killed.
            let other = 1 + round % 2
            try cluster.edit(other, count: rng.int(5...40), rng: &rng)
            _ = try await cluster.sync(other)
            let victim = round % 3 == 2 ? other : 0
            try cluster.edit(victim, count: rng.int(5...40), rng: &rng)
            let child = try await cluster.startSync(victim)
            try await Task.sleep(for: .milliseconds(rng.int(0...700)))
            if child.isRunning {
                child.kill()
                landed += 1
                cluster.tally.count("client SIGKILL at a random point of a sync")
            }
            let result = await child.wait()
            #expect(result.killed || result.succeeded, "sync failed on its own: \(result.stderr)")
            // The killed device's database opens and is consistent.
            _ = try cluster.withStore(victim) { try $0.status() }
        }
        let problems = try await cluster.recoverAndCheck()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        print(cluster.tally.summary("clients killed at random points, server on \(backend)") + "; \(landed) of 10 kills landed mid-sync; \(cluster.ledger.changeCount) changes, lost 0, duplicated 0")
    }

    /// Where the server dies during a push.
    enum ServerKillPoint: Sendable, CustomStringConvertible {
        /// This many milliseconds after the request reached it (usually before its commit).
        case after(milliseconds: Int)
        /// Once its transaction committed, before its answer leaves the proxy.
        case afterCommit

        var description: String {
            switch self {
            case .after(let milliseconds): return "\(milliseconds) ms into the push"
            case .afterCommit: return "after the push committed, before the answer"
            }
        }

        var seed: UInt64 {
            switch self {
            case .after(let milliseconds): return UInt64(100 + milliseconds)
            case .afterCommit: return 99
            }
        }
    }

    /// Every kill point on SQLite; on PostgreSQL (the server's transaction dies with its
    /// connection) one before the commit and one after it.
    static let serverKillCases: [(StorageBackend, ServerKillPoint)] =
        [ServerKillPoint.after(milliseconds: 0), .after(milliseconds: 5), .after(milliseconds: 40), .after(milliseconds: 120), .afterCommit].map { (.sqlite, $0) }
        + (StorageBackend.all.contains(.postgres) ? [ServerKillPoint.after(milliseconds: 40), .afterCommit].map { (.postgres, $0) } : [])

    @Test(
        "server killed in the middle of a push: it kept all of it or none, and the retry completes it once",
        arguments: serverKillCases
    )
    func serverKilledMidPush(backend: StorageBackend, point: ServerKillPoint) async throws {
        let cluster = try await LiveCluster.start(label: "kill-server", deviceCount: 2, seed: point.seed, backend: backend)
        defer { cluster.tearDown() }
        var rng = SplitMix64(seed: point.seed)
        try cluster.edit(0, count: 300, rng: &rng)
        let pending = try cluster.outboxCount(0)
        let before = try await cluster.serverState().logCount

        let killed = Locked(false)
        cluster.proxy.setHooks(.init(
            afterForward: { exchange in
                guard exchange.pushes, killed.withLock({ done in defer { done = true }; return !done }) else { return }
                switch point {
                case .after(let milliseconds):
                    usleep(UInt32(milliseconds) * 1000)
                case .afterCommit:
                    // Watch the server's database until the push is in it.
                    let deadline = Date().addingTimeInterval(60)
                    while Date() < deadline, ((try? blocking { try await cluster.serverState().logCount }) ?? 0) < before + pending {
                        usleep(2000)
                    }
                }
                cluster.killServer()
            },
            beforeReply: { exchange in
                // An answer the dead server managed to write still must not arrive when the
                // test wants the commit without the answer.
                if case .afterCommit = point, exchange.pushes { return false }
                return true
            }
        ))
        let child = try await cluster.startSync(0)
        // Restart the server as soon as it died; the client's own retries reach the new one.
        let deadline = ContinuousClock.now + .seconds(90)
        while !killed.value || cluster.serverProcess?.isRunning == true {
            try #require(ContinuousClock.now < deadline, "the push never reached the server")
            try await Task.sleep(for: .milliseconds(5))
        }
        cluster.tally.count("server SIGKILL during a push")
        let afterCrash = try await cluster.serverState().logCount
        // One transaction per push: after the crash the server holds all of it or none.
        #expect(afterCrash == before || afterCrash == before + pending, "the server kept \(afterCrash - before) of \(pending) pushed changes")
        try await cluster.restartServer()
        cluster.proxy.setHooks(.init())
        var result = await child.wait()
        if !result.succeeded {
            // The client gave up retrying while the server was down: the user syncs again.
            result = try await cluster.sync(0)
        }
        #expect(result.succeeded, "sync after the server restart failed: \(result.stderr)")
        let summary = try JSONDecoder().decode(SyncSummaryLine.self, from: Data(result.stdout.utf8))
        #expect(summary.accepted == 0 || summary.duplicates == 0, "the server kept part of a push: \(summary)")
        #expect(summary.accepted + summary.duplicates == pending)
        if case .afterCommit = point {
            #expect(summary.duplicates == pending, "the push had committed: the retry must be all duplicates (\(summary))")
        }
        #expect(try await cluster.serverState().logCount == before + pending, "every pushed change must be in the log exactly once")
        let problems = try await cluster.recoverAndCheck()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        let kept = afterCrash == before ? "none of it committed" : "all of it committed"
        print(cluster.tally.summary("server on \(backend) killed \(point), push of \(pending) changes: \(kept); retry \(summary)") + "; lost 0, duplicated 0")
    }
}

/// Runs async work from a plain thread (a proxy hook) and waits for it.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Locked<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let outcome: Result<T, any Error>
        do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
        result.withLock { $0 = outcome }
        done.signal()
    }
    done.wait()
    guard let outcome = result.value else { throw ProxyError("blocking work produced nothing") }
    return try outcome.get()
}

/// The fields of `fieldsync sync --json` that the kill tests read.
struct SyncSummaryLine: Decodable, CustomStringConvertible {
    var pushed: Int
    var accepted: Int
    var duplicates: Int
    var rejected: Int

    var description: String { "pushed \(pushed), accepted \(accepted), duplicates \(duplicates), rejected \(rejected)" }
}
