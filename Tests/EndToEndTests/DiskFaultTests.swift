import CRM
import Foundation
import SyncClient
import SyncCore
import SyncStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A device whose disk fills up, and a device whose database file is read-only: an edit (and a
/// sync) fails with a clear error, nothing is half-applied, and once the disk has room again
/// (or the file is writable) the device edits and syncs and everything converges.
@Suite("Disk faults on the device", .serialized)
struct DiskFaultTests {
    @Test("full disk: the edit is refused whole with a clear error; after space is freed, edits and syncs work")
    func fullDisk() async throws {
        let tally = FaultTally()
        let base = try TemporaryDirectory("full-disk")
        defer { base.remove() }
        let mountPoint = base.url.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        do {
            try await Mounts.tmpfs(at: mountPoint, kibibytes: 16 * 1024)
        } catch {
            // No mount rights: the read-only test below still covers a device that cannot write.
            print("full-disk test: \(error); cannot simulate a full disk here")
            return
        }
        var problems: [String] = []
        do {
            problems = try await exerciseFullDisk(deviceDirectory: mountPoint, tally: tally)
        } catch {
            Issue.record("full-disk scenario failed: \(error)")
        }
        try? await Mounts.unmount(mountPoint)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        print(tally.summary("device disk full") + "; nothing half-applied, lost 0, diverged 0")
    }

    private func exerciseFullDisk(deviceDirectory: URL, tally: FaultTally) async throws -> [String] {
        // Device 0 lives on a 16 MiB tmpfs, device 1 on the normal disk.
        let cluster = try await InProcessCluster.start(label: "full-disk-cluster", deviceCount: 1, deviceDirectory: deviceDirectory) { _, url in
            URLSessionTransport(baseURL: url)
        }
        do {
            let problems = try await fullDiskScenario(cluster, deviceDirectory: deviceDirectory, tally: tally)
            await cluster.tearDown()
            return problems
        } catch {
            await cluster.tearDown()
            throw error
        }
    }

    private func fullDiskScenario(_ cluster: InProcessCluster, deviceDirectory: URL, tally: FaultTally) async throws -> [String] {
        let other = try await cluster.enrollExtra(name: "device1", path: cluster.directory.path("device1.sqlite"))
        var rng = SplitMix64(seed: 5)
        try cluster.edit(0, count: 10, rng: &rng)
        _ = try await cluster.devices[0].client.sync()
        // The other device writes a lot, for device 0 to pull later.
        let notes = String(repeating: "n", count: 2000)
        for index in 0..<150 {
            let edit = LocalEdit.create("account", id: rng.recordID(), [
                .set("name", .string("Bulk \(index)")), .set("territory", .string("east")), .set("notes", .string(notes)),
            ])
            try other.store.applyTracked([edit], ledger: cluster.ledger, catalog: cluster.catalog)
        }
        _ = try await other.client.sync()

        let store = cluster.devices[0].store
        let filler = deviceDirectory.appendingPathComponent("filler")
        fillDisk(at: filler)
        tally.count("disk filled")

        let before = try store.canonicalDump()
        let outboxBefore = try store.outbox().count
        let statusBefore = try store.status()
        let accounts = try store.records("account").map(\.id)
        let big = String(repeating: "x", count: 4000)
        let batch = accounts.prefix(20).map { LocalEdit.update("account", id: $0, [.set("notes", .string(big)), .increment("samples_given", by: 1)]) }
        var problems: [String] = []
        do {
            try store.apply(batch)
            problems.append("an edit batch of \(batch.count) × 4 KB succeeded on a full disk")
        } catch {
            tally.count("edit refused: disk full")
            print("full disk, edit: \(error)")
            if !"\(error)".lowercased().contains("full") {
                problems.append("the full-disk error does not say so: \(error)")
            }
        }
        do {
            _ = try await cluster.devices[0].client.sync()
            problems.append("pulling 150 large changes succeeded on a full disk")
        } catch {
            tally.count("sync refused: disk full")
            print("full disk, sync: \(error)")
            if !"\(error)".lowercased().contains("full") {
                problems.append("the full-disk sync error does not say so: \(error)")
            }
        }
        // Nothing half-applied: same records, same outbox, no dot consumed, cursor unmoved.
        if try store.canonicalDump() != before { problems.append("the refused edit or sync changed records") }
        if try store.outbox().count != outboxBefore { problems.append("the outbox changed during the refused edit") }
        let statusAfter = try store.status()
        if statusAfter.lastDot != statusBefore.lastDot { problems.append("a refused edit consumed dots \(statusBefore.lastDot) → \(statusAfter.lastDot)") }
        if statusAfter.cursor != statusBefore.cursor { problems.append("a refused pull moved the cursor \(String(describing: statusBefore.cursor)) → \(String(describing: statusAfter.cursor))") }

        // Recovery: free the space, redo the same edit, sync, converge.
        try FileManager.default.removeItem(at: filler)
        let changes = try store.apply(batch)
        cluster.ledger.record(changes)
        cluster.ledger.recordIntents(of: batch)
        problems += try await cluster.recoverAndCheck(extra: [other])
        return problems
    }

    @Test("read-only database file: the edit fails with a clear error and changes nothing; writable again, it syncs")
    func readOnlyDatabase() async throws {
        let tally = FaultTally()
        let base = try TemporaryDirectory("read-only")
        defer { base.remove() }
        let deviceDirectory = base.url.appendingPathComponent("device")
        let readOnlyView = base.url.appendingPathComponent("device-ro")
        try FileManager.default.createDirectory(at: deviceDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: readOnlyView, withIntermediateDirectories: true)
        let cluster = try await InProcessCluster.start(label: "read-only-cluster", deviceCount: 2) { _, url in URLSessionTransport(baseURL: url) }
        do {
            try await readOnlyScenario(cluster, deviceDirectory: deviceDirectory, readOnlyView: readOnlyView, tally: tally)
        } catch {
            Issue.record("read-only scenario failed: \(error)")
        }
        await cluster.tearDown()
    }

    private func readOnlyScenario(_ cluster: InProcessCluster, deviceDirectory: URL, readOnlyView: URL, tally: FaultTally) async throws {
        var rng = SplitMix64(seed: 9)
        try cluster.edit(0, count: 10, rng: &rng)
        _ = try await cluster.devices[0].client.sync()
        _ = try await cluster.devices[1].client.sync()

        // A device database enrolled like any other, that we close and reopen.
        let path = deviceDirectory.appendingPathComponent("device.sqlite").path
        do {
            let device = try await cluster.enrollExtra(name: "device-ro", path: path)
            _ = try await device.client.sync()
        }

        // Make the file read-only: a read-only bind mount when we are root (root ignores file
        // modes), chmod otherwise.
        let readOnlyPath: String
        var mounted = false
        if geteuid() == 0 {
            do {
                try await Mounts.readOnlyBind(deviceDirectory, at: readOnlyView)
                mounted = true
                readOnlyPath = readOnlyView.appendingPathComponent("device.sqlite").path
            } catch {
                print("read-only test: \(error); cannot make a file read-only for root here")
                return
            }
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: deviceDirectory.path)
            readOnlyPath = path
        }
        tally.count("database made read-only")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var problems: [String] = []
        do {
            let store = try DeviceStore(path: readOnlyPath, schema: CRMSchema.schema)
            let account = try store.records("account").first?.id ?? "00000000-0000-4000-8000-000000000000"
            do {
                try store.apply(.update("account", id: account, [.set("notes", .string("offline note")), .increment("samples_given", by: 3)]))
                problems.append("an edit succeeded on a read-only database")
            } catch {
                tally.count("edit refused: read-only database")
                print("read-only database, edit: \(error)")
                if !"\(error)".lowercased().contains("readonly") && !"\(error)".lowercased().contains("read-only") {
                    problems.append("the read-only error does not say so: \(error)")
                }
            }
        } catch {
            // Refusing to open a database it cannot write is also a clear, safe failure.
            tally.count("open refused: read-only database")
            print("read-only database, open: \(error)")
            if !"\(error)".lowercased().contains("readonly") && !"\(error)".lowercased().contains("unable to open") {
                problems.append("the read-only open error is unclear: \(error)")
            }
        }
        if mounted {
            try await Mounts.unmount(readOnlyView)
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: deviceDirectory.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        if try Data(contentsOf: URL(fileURLWithPath: path)) != before {
            problems.append("the database file changed while it was read-only")
        }

        // Writable again: edits and syncs work and everything converges.
        let store = try DeviceStore(path: path, schema: CRMSchema.schema)
        let account = try #require(try store.records("account").first)
        let edit = LocalEdit.update("account", id: account.id, [.set("notes", .string("offline note")), .increment("samples_given", by: 3)])
        cluster.ledger.record(try store.apply([edit]))
        cluster.ledger.recordIntents(of: [edit])
        let reopened = InProcessCluster.Device(name: "device-ro", store: store, client: try cluster.directClient(store))
        _ = try await reopened.client.sync()
        problems += try await cluster.recoverAndCheck(extra: [reopened])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        print(tally.summary("device database read-only") + "; nothing half-applied, lost 0, diverged 0")
    }

    /// Writes a filler file until the file system refuses more.
    private func fillDisk(at url: URL) {
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forWritingAtPath: url.path) else { return }
        defer { try? handle.close() }
        let chunk = Data(repeating: 0x55, count: 16 * 1024)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        let byte = Data([0x55])
        while (try? handle.write(contentsOf: byte)) != nil {}
    }
}
