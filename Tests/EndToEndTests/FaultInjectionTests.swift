import FieldSyncTestSupport
import Foundation
import Synchronization
import SyncClient
import SyncCore
import Testing

/// Seeded network faults between real `SyncClient`s (URLSession) and a live server: first a
/// fault-injecting `SyncTransport` wrapper, then a real TCP proxy on 127.0.0.1. Devices edit
/// and sync concurrently while requests are dropped, answers are lost after the server applied
/// the push, exchanges are delayed, bodies are cut, and requests are duplicated or replayed.
/// After recovery every replica converges and no accepted write is lost or counted twice.
@Suite("Fault injection between real clients and a live server")
struct FaultInjectionTests {
    /// Every seed on SQLite; two of them on PostgreSQL too.
    static let transportCases: [(StorageBackend, UInt64)] =
        [(.sqlite, 1), (.sqlite, 2), (.sqlite, 3)] + (StorageBackend.all.contains(.postgres) ? [(.postgres, 1), (.postgres, 2)] : [])

    @Test("a fault-injecting transport: drops, lost answers, delays, truncation, duplicates, replays", arguments: transportCases)
    func faultyTransport(backend: StorageBackend, seed: UInt64) async throws {
        let tally = FaultTally()
        let transports = Locked<[FaultInjectingTransport]>([])
        let cluster = try await InProcessCluster.start(label: "faulty-transport", deviceCount: 4, backend: backend) { index, url in
            let transport = FaultInjectingTransport(URLSessionTransport(baseURL: url), seed: seed * 1000 + UInt64(index), tally: tally)
            transports.withLock { $0.append(transport) }
            return transport
        }
        let failures = try await runFaultPhase(cluster, seed: seed, rounds: 12)
        transports.withLock { $0.forEach { $0.setEnabled(false) } }
        let problems = try await cluster.recoverAndCheck()
        await cluster.tearDown()
        #expect(problems.isEmpty, "seed \(seed):\n\(problems.joined(separator: "\n"))")
        #expect(tally.total > 0)
        print(tally.summary("transport wrapper, seed \(seed)") + "; \(failures.summary); \(cluster.ledger.changeCount) changes, lost 0, diverged 0")
    }

    /// A loaded machine can put a device's clock estimate a minute or more ahead (the offset is
    /// taken from a round trip that includes the retries before it), so some of its edits are
    /// refused for clock skew and stamped again: the check follows the stamps the server holds.
    @Test("a device whose clock estimate ran ahead: its edits are stamped again, and the check follows the server's stamps")
    func restampedEditsPassTheCheck() async throws {
        let cluster = try await InProcessCluster.start(label: "restamped", deviceCount: 2) { _, url in URLSessionTransport(baseURL: url) }
        var rng = SplitMix64(seed: 5)
        try cluster.edit(0, count: 4, rng: &rng)
        _ = try await cluster.devices[0].client.sync()
        try cluster.devices[1].store.setClockOffset(5 * 60 * 1000)
        try cluster.edit(1, count: 4, rng: &rng)
        let summary = try await cluster.devices[1].client.sync()
        let problems = try await cluster.recoverAndCheck()
        await cluster.tearDown()
        #expect((summary.rejections["clock_skew"] ?? 0) > 0, "the edits made five minutes ahead were refused once")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    static let proxyCases: [(StorageBackend, UInt64)] = [(.sqlite, 1), (.sqlite, 2)] + (StorageBackend.all.contains(.postgres) ? [(.postgres, 1)] : [])

    @Test("a TCP proxy between URLSession and the server: the same faults on the wire", arguments: proxyCases)
    func faultyProxy(backend: StorageBackend, seed: UInt64) async throws {
        let tally = FaultTally()
        let proxy = Locked<FaultProxy?>(nil)
        let cluster = try await InProcessCluster.start(label: "faulty-proxy", deviceCount: 4, backend: backend) { _, url in
            let shared = try proxy.withLock { existing in
                if let existing { return existing }
                let created = try FaultProxy(upstreamPort: url.port ?? 0, seed: seed, plan: FaultPlan(), tally: tally)
                existing = created
                return created
            }
            return URLSessionTransport(baseURL: shared.url, timeout: 20)
        }
        let failures = try await runFaultPhase(cluster, seed: seed, rounds: 10)
        proxy.withLock { $0?.setPlan(.none) }
        let problems = try await cluster.recoverAndCheck()
        proxy.withLock { $0?.stop() }
        await cluster.tearDown()
        #expect(problems.isEmpty, "\(backend), seed \(seed):\n\(problems.joined(separator: "\n"))")
        #expect(tally.total > 0)
        print(tally.summary("TCP proxy, server on \(backend), seed \(seed)") + "; \(failures.summary); \(cluster.ledger.changeCount) changes, lost 0, diverged 0")
    }

    @Test("the proxy cuts an answer's body behind a whole head, and its head before the blank line")
    func proxyCuts() {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
        let reply = Data((head + #"{"ok": true}"#).utf8)
        for step in 0..<100 {
            let fraction = Double(step) / 100
            let body = FaultProxy.cut(reply, at: fraction, inHead: false)
            #expect(body.starts(with: Data(head.utf8)) && body.count < reply.count, "body cut at \(fraction): \(body.count) bytes")
            let cutHead = FaultProxy.cut(reply, at: fraction, inHead: true)
            #expect(!cutHead.isEmpty && cutHead.count < head.utf8.count && Data(head.utf8).starts(with: cutHead), "head cut at \(fraction): \(cutHead.count) bytes")
        }
    }

    /// URLSession on Linux stops the process on an answer cut inside its head (see
    /// `Fault.cutResponseHead`), so this runs real `fieldsync` processes, as a phone's app
    /// would be its own process: each sync whose answer is cut fails (with an error, or by that
    /// trap), the server may have applied its push, and nothing the device holds is lost.
    @Test("answers cut inside their head: `fieldsync sync` fails, loses nothing, and the next sync converges", arguments: StorageBackend.all)
    func cutHeads(backend: StorageBackend) async throws {
        let cluster = try await LiveCluster.start(label: "cut-heads", deviceCount: 2, seed: 41, backend: backend)
        defer { cluster.tearDown() }
        var rng = SplitMix64(seed: 41)
        cluster.proxy.setPlan(.cutHeads)
        var trapped = 0
        for round in 0..<4 {
            for index in cluster.devices.indices {
                try cluster.edit(index, count: rng.int(2...8), rng: &rng)
                let pending = try cluster.outboxCount(index)
                let result = try await cluster.sync(index)
                #expect(!result.succeeded, "round \(round), device\(index): a sync whose every answer is cut cannot succeed")
                if result.killed { trapped += 1 }
                // Whether the server applied the push or not, the device keeps every change
                // until an answer acknowledges it.
                #expect(try cluster.outboxCount(index) == pending, "round \(round), device\(index): the outbox lost changes")
                _ = try cluster.withStore(index) { try $0.status() }
            }
        }
        #expect(cluster.proxy.exchanges > 0)
        let problems = try await cluster.recoverAndCheck()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        print("answers cut in their head, server on \(backend): 8 syncs failed, \(trapped) of them stopped by a signal (URLSession's trap); \(cluster.ledger.changeCount) changes, lost 0, diverged 0")
    }

    /// Every device edits and syncs, all at once, for `rounds` rounds; a sync that gives up is
    /// counted (the device retries in a later round).
    private func runFaultPhase(_ cluster: InProcessCluster, seed: UInt64, rounds: Int) async throws -> SyncFailures {
        let failures = SyncFailures()
        for round in 0..<rounds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in cluster.devices.indices {
                    group.addTask {
                        var rng = SplitMix64(seed: seed &* 7919 &+ UInt64(round * 31 + index))
                        try cluster.edit(index, count: rng.int(1...6), rng: &rng)
                        do {
                            _ = try await cluster.devices[index].client.sync()
                            failures.succeeded()
                        } catch let error as SyncClientError {
                            failures.failed(error.code)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        return failures
    }
}

/// Syncs that completed or gave up during a fault phase, by error code.
final class SyncFailures: Sendable {
    private let counts = Mutex<(succeeded: Int, failed: [String: Int])>((0, [:]))

    func succeeded() { counts.withLock { $0.succeeded += 1 } }

    func failed(_ code: String) { counts.withLock { $0.failed[code, default: 0] += 1 } }

    var failedCodes: [String: Int] { counts.withLock { $0.failed } }

    var summary: String {
        counts.withLock { counts in
            let failed = counts.failed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "\(counts.succeeded) syncs completed, gave up: \(failed.isEmpty ? "none" : failed)"
        }
    }
}
