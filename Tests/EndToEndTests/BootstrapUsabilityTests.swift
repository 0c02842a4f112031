import CRM
import Foundation
import SyncCore
import SyncStore
import Testing

/// While a bootstrap is under way the rep works with what has arrived: the commands list and
/// edit it, and the edit survives the pages that follow.
@Suite struct BootstrapUsabilityTests {
    @Test func commandsWorkMidBootstrapAndEditsSurviveLaterPages() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("rep.sqlite")
        let cli = FieldSyncCLI(database: path)
        try await cli.succeed(["init"])

        // The server's account as the first snapshot page delivers it, with more pages to come.
        let server = ReplicaID()
        let account = RecordIDs.make()
        let created = Change(
            entity: "account", recordID: account, dot: Dot(replica: server, counter: 1), hlc: HLC(physical: 1_760_000_000_000, logical: 0),
            context: VersionVector(), operations: [
                FieldOperation(field: "name", operation: .assign(.string("杭州恒信科技有限公司"))),
                FieldOperation(field: "territory", operation: .assign(.string("east"))),
            ]
        )
        let state = try RecordState(entity: "account", id: account).merging(created).state
        let next = BootstrapCursor(highWater: 1, afterEntity: "account", afterID: account, phase: .priority, priority: [account])
        do {
            let store = try DeviceStore(path: path, schema: CRMSchema.schema)
            try store.applySnapshot(SnapshotPage(records: [state], next: next, highWater: 1))
        }

        await #expect(try cli.succeed(["status"]).contains("bootstrapping"))
        let midway = try await cli.run(["list", "account"])
        #expect(midway.stdout.contains("杭州恒信科技有限公司"))
        #expect(midway.stderr.hasPrefix("warning: the first sync of this device is not finished (1 record(s) so far)"), "reads warn: \(midway.stderr)")
        try await cli.succeed(["edit", "account", account, "phone=0571-5555-0100"])

        // A later page carries the same account again (it was written during the bootstrap on
        // the server, say): the join keeps the rep's edit.
        let store = try DeviceStore(path: path, schema: CRMSchema.schema)
        #expect(try store.outbox().count == 1)
        try store.applySnapshot(SnapshotPage(records: [state], next: nil, highWater: 1))
        #expect(try store.record("account", id: account)?.value("phone") == .string("0571-5555-0100"))
        #expect(try store.record("account", id: account)?.value("name") == .string("杭州恒信科技有限公司"))
        #expect(try store.cursor() == 1)
        #expect(try store.bootstrapCursor() == nil)
        #expect(try store.outbox().count == 1, "the edit still waits for the server")
        let finished = try await cli.run(["list", "account"])
        #expect(finished.status == 0 && finished.stderr.isEmpty, "no warning once the bootstrap is through: \(finished.stderr)")
    }
}
