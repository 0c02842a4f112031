import FieldSyncTestSupport
import CRM
import Foundation
import SyncClient
import SyncCore
import SyncServer
import SyncStore
import Testing

/// The built `fieldsync` executable, when it was built (`swift build` builds it).
private let fieldsync = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".build/debug/fieldsync")

/// `fieldsync admin …` against an in-process server, from a device database enrolled as admin.
@Suite("fieldsync admin commands", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: fieldsync.path)))
struct AdminCommandTests {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the CLI to completion (suspending: the in-process server needs the pool meanwhile).
    static func run(_ arguments: [String]) async throws -> Output {
        let result = try await runCommand(fieldsync, arguments, environment: ["FIELDSYNC_DB": ""])
        return Output(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    @Test("list, show, resolve --pick, history; tables and --json; a rep's device is refused", arguments: StorageBackend.all)
    func adminCommands(backend: StorageBackend) async throws {
        try await withAdminWorld(backend: backend) { world in
            let alice = try await world.device("alice")
            let bob = try await world.device("bob")
            let create = LocalEdit.create("account", [.set("name", .string("Acme Tea")), .set("territory", .string("east"))])
            try alice.edit(create)
            try await alice.sync()
            try await bob.sync()
            try alice.edit(.update("account", id: create.recordID, [.set("phone", .string("111"))]))
            try bob.edit(.update("account", id: create.recordID, [.set("phone", .string("222"))]))
            try await alice.sync()
            try await bob.sync()

            let database = world.directory.appendingPathComponent("admin-device.sqlite").path
            let code = try await AccountService(storage: world.storage, logger: world.logger)
                .createUser(name: "root", role: .admin, territories: []).enrollmentCode
            let enroll = try await Self.run(["enroll", "--db", database, "--server", world.server.baseURL, "--code", code, "--name", "laptop"])
            #expect(enroll.status == 0, "\(enroll.stderr)")

            let table = try await Self.run(["admin", "conflicts", "list", "--db", database])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("1 conflict(s) match"))
            #expect(table.stdout.contains("concurrent_values"))
            #expect(table.stdout.contains("account Acme Tea"))

            let json = try await Self.run(["admin", "conflicts", "list", "--db", database, "--json", "--user", "bob"])
            let list = try JSONDecoder().decode(ConflictList.self, from: Data(json.stdout.utf8))
            let entry = try #require(list.conflicts.first)
            #expect(Set(entry.users) == ["alice", "bob"])

            let show = try await Self.run(["admin", "conflicts", "show", String(entry.id), "--db", database])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("alice's phone"))
            #expect(show.stdout.contains("bob's phone"))
            #expect(show.stdout.contains("resolve with: fieldsync admin conflicts resolve \(entry.id) --pick N | --value TEXT"))

            // The same in Chinese: the words translated, values, names and codes as they are.
            let chinese = ["LANG": "zh_CN.UTF-8", "FIELDSYNC_DB": ""]
            let values = ["Acme Tea", "alice's phone", "bob's phone", "bob,alice", "alice,bob", "east"]
            let zhTable = try await runCommand(fieldsync, ["admin", "conflicts", "list", "--db", database], environment: chinese)
            #expect(zhTable.stdout.contains("符合条件的冲突 1 个") && zhTable.stdout.contains("并发修改"), "\(zhTable.stdout)")
            let zhShow = try await runCommand(fieldsync, ["admin", "conflicts", "show", String(entry.id), "--db", database], environment: chinese)
            #expect(zhShow.stdout.contains("处理方式：fieldsync admin conflicts resolve \(entry.id)"), "\(zhShow.stdout)")
            for output in [zhTable.stdout, zhShow.stdout] {
                #expect(EnglishProse.lines(in: output, values: values).isEmpty, "\(EnglishProse.lines(in: output, values: values))")
            }

            let bad = try await Self.run(["admin", "conflicts", "resolve", String(entry.id), "--db", database, "--keep", "--delete"])
            #expect(bad.status != 0)
            let second = entry.competitors[1].value
            let resolve = try await Self.run(["admin", "conflicts", "resolve", String(entry.id), "--pick", "2", "--note", "checked", "--db", database])
            #expect(resolve.status == 0, "\(resolve.stderr)")
            #expect(resolve.stdout.contains("resolved_by_admin"))
            try await alice.sync()
            #expect(try alice.value("account", create.recordID, "phone") == second)

            let again = try await Self.run(["admin", "conflicts", "dismiss", String(entry.id), "--reason", "late", "--db", database])
            #expect(again.status == 1)
            #expect(again.stderr.contains("conflict_not_open"))

            let history = try await Self.run(["admin", "history", "account", create.recordID, "--db", database])
            #expect(history.status == 0, "\(history.stderr)")
            #expect(history.stdout.contains("root"))
            #expect(history.stdout.contains("phone"))
            let zhHistory = try await runCommand(fieldsync, ["admin", "history", "account", create.recordID, "--db", database], environment: chinese)
            #expect(zhHistory.stdout.contains("电话") && zhHistory.stdout.contains("日志号"), "\(zhHistory.stdout)")
            #expect(EnglishProse.lines(in: zhHistory.stdout, values: values).isEmpty, "\(zhHistory.stdout)")
            let historyJSON = try await Self.run(["admin", "history", "account", create.recordID, "--db", database, "--json"])
            let decoded = try JSONDecoder().decode(RecordHistory.self, from: Data(historyJSON.stdout.utf8))
            #expect(decoded.entries.map(\.author.user) == ["alice", "alice", "bob", "root"])

            // A rep's device has a token too, but the server refuses it.
            let repDatabase = world.directory.appendingPathComponent("rep-device.sqlite").path
            let repCode = try await AccountService(storage: world.storage, logger: world.logger).issueEnrollmentCode(for: "alice")
            _ = try await Self.run(["enroll", "--db", repDatabase, "--server", world.server.baseURL, "--code", repCode])
            let refused = try await Self.run(["admin", "conflicts", "list", "--db", repDatabase])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("HTTP 403"))
        }
    }
}
