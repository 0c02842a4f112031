import FieldSyncTestSupport
import Foundation
import SyncClient
import Testing

/// Validation users expect (issue 15 item 10): territories from the server's list, empty
/// required fields refused with their code, tags re-added against a concurrent remove.
@Suite("Validation users expect", .serialized)
struct ValidationEndToEndTests {
    static let account = "0192f0c4-0000-7000-8000-0000000000a1"

    static let seed = """
        {"records": [
          {"entity": "account", "id": "\(account)", "fields": {"name": "杭州星辰科技有限公司", "territory": "east", "city": "杭州", "tags": ["key"]}}
        ]}
        """

    /// Runs `fieldsync-server ARGS --db STORE`.
    static func server(_ arguments: [String], _ store: CLIServerStore) async throws -> CommandResult {
        try await runCommand(Executables.server, arguments + ["--db", store.database])
    }

    @Test func territoriesComeFromTheServersListOnServerAndDevice() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-territories")
        defer { directory.remove() }
        let (store, server) = try await CLIServerStore.seeded(Self.seed, in: directory)

        // The admin keeps the list.
        let added = try await Self.server(["territory", "add", "华东", "--code", "east"], store)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try await Self.server(["territory", "add", "华北", "--code", "north"], store).status == 0)
        #expect(try await Self.server(["territory", "add", "临时", "--code", "temp"], store).status == 0)
        let listed = try await Self.server(["territory", "list"], store)
        #expect(listed.stdout == "east\t华东\nnorth\t华北\ntemp\t临时\n")
        let removed = try await Self.server(["territory", "remove", "temp"], store)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try await Self.server(["territory", "list"], store).stdout == "east\t华东\nnorth\t华北\n")

        // Users work only in territories on the list, typed by code or title.
        let typo = try await Self.server(["user", "add", "alice", "--territory", "eats"], store)
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("unknown_territory") && typo.stderr.contains("did you mean 'east'?"), "\(typo.stderr)")
        #expect(!(try await Self.server(["user", "list"], store).stdout.contains("alice")), "a refused user add stores nothing")
        let created = try await Self.server(["user", "add", "alice", "--territory", "华东"], store)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("territories: east"), "\(created.stdout)")
        let code = try #require(created.stdout.split(separator: "\n").first { $0.contains("enrollment code: ") }?.split(separator: " ").last)
        let inUse = try await Self.server(["territory", "remove", "east"], store)
        #expect(inUse.status == 1)
        #expect(inUse.stderr.contains("territory_in_use"), "\(inUse.stderr)")

        // The device learns the list when it syncs and refuses others in create and edit.
        let url = try await server.start()
        defer { server.terminate() }
        let device = CLIDevice(name: "alice", database: directory.path("alice.sqlite"))
        try await device.run(["enroll", "--server", url.absoluteString, "--code", String(code), "--name", "alice-phone"])
        try await device.run(["sync"])
        let unknown = try await device.fail(["create", "account", "name=苏州新客户", "territory=esat"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown_territory") && unknown.stderr.contains("did you mean 'east'?"), "\(unknown.stderr)")
        let byTitle = try await device.run(["create", "account", "name=苏州新客户", "territory=华东", "--json"])
        let record = try #require(try JSONSerialization.jsonObject(with: Data(byTitle.utf8)) as? [String: Any], "create --json prints one object: \(byTitle)")
        #expect((record["fields"] as? [String: Any])?["territory"] as? String == "east")
        let edit = try await device.fail(["edit", "account", Self.account, "territory=west"])
        #expect(edit.stderr.contains("unknown_territory"), "\(edit.stderr)")
    }

    @Test func anEmptyRequiredFieldIsRefusedWithItsCode() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, base) = try await DemoDevice.copy(into: scratch)
        let output = try await cli.run(["edit", "account", base.account, "name="])
        #expect(output.status == 1)
        #expect(output.stderr.hasPrefix("error: missing_required_field: "), "\(output.stderr)")
    }

    /// `tag add` of a tag already there records an add, so it survives a remove made
    /// concurrently on another device, as the add-wins help text promises.
    @Test(arguments: [true, false])
    func aReAddedTagSurvivesAConcurrentRemove(removerSyncsFirst: Bool) async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-readd")
        defer { directory.remove() }
        let (store, server, devices) = try await CLIServerStore.serving(Self.seed, devices: ["alice", "bob"], in: directory)
        defer { server.terminate() }
        let (alice, bob) = (devices[0], devices[1])

        // Offline, at once: alice re-adds the tag both see, bob removes it.
        try await alice.run(["tag", "add", Self.account, "key"])
        try await bob.run(["tag", "remove", Self.account, "key"])
        let order = removerSyncsFirst ? [bob, alice, bob] : [alice, bob, alice]
        for device in order { try await device.run(["sync"]) }

        for device in [alice, bob] {
            let shown = try await device.run(["show", "account", Self.account, "--json"])
            let record = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])
            let tags = (record["fields"] as? [String: Any])?["tags"] as? [String]
            #expect(tags == ["key"], "\(device.name) shows \(String(describing: tags))")
        }
        await #expect(try alice.states() == store.states())
    }
}
