import FieldSyncTestSupport
import Foundation
import SyncClient
import SyncStore
import Testing

/// What `fieldsync sync` tells a person and a script: offline edits are kept when the server
/// cannot be reached (exit 4, JSON on stdout with --json), refused changes exit 3.
@Suite("fieldsync sync: exit status and the unreachable server")
struct SyncExitStatusTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func anUnreachableServerKeepsTheEditsAndSaysSo() async throws {
        let cluster = try await LiveCluster.start(label: "sync-exit", deviceCount: 1, seed: 5)
        defer { cluster.tearDown() }
        var rng = SplitMix64(seed: 5)
        try cluster.edit(0, count: 2, rng: &rng)
        let unsynced = try cluster.outboxCount(0)
        #expect(unsynced >= 2)
        cluster.killServer()

        let scripted = try await LoggedProcess.run(cluster.client, ["sync", "--db", cluster.devices[0], "--json"], logDirectory: cluster.directory.url)
        #expect(scripted.status == 4, "\(scripted.stderr)")
        let failure = try Self.json(scripted.stdout)
        #expect(failure["ok"] as? Bool == false)
        #expect(failure["code"] as? String == "network_error")
        #expect(failure["unsyncedChanges"] as? Int == unsynced)

        let person = try await LoggedProcess.run(cluster.client, ["sync", "--db", cluster.devices[0]], logDirectory: cluster.directory.url)
        #expect(person.status == 4)
        #expect(person.stderr.contains("your \(unsynced) unsynced change(s) are kept on this device"), "\(person.stderr)")
        #expect(try cluster.outboxCount(0) == unsynced)

        try await cluster.restartServer()
        let back = try await cluster.sync(0)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try cluster.outboxCount(0) == 0)
    }

    @Test func refusedChangesExitThree() async throws {
        let cluster = try await LiveCluster.start(label: "sync-refused", deviceCount: 1, seed: 6)
        defer { cluster.tearDown() }
        try cluster.withStore(0) { store in
            _ = try store.apply(.create("account", [.set("name", .string("Nowhere Ltd")), .set("territory", .string("nowhere"))]))
        }
        let result = try await cluster.sync(0)
        #expect(result.status == 3, "\(result.stderr)")
        let summary = try Self.json(result.stdout)
        #expect(summary["rejected"] as? Int == 1)
        #expect((summary["rejections"] as? [String: Int]) == ["out_of_scope": 1])
        let text = try await LoggedProcess.run(cluster.client, ["sync", "--db", cluster.devices[0]], logDirectory: cluster.directory.url)
        #expect(text.status == 3)
        #expect(text.stdout.contains("rejected 1 × out_of_scope"), "\(text.stdout)")
    }

    @Test func versionIsPrinted() async throws {
        let result = try await runCommand(try Executables.url("fieldsync"), ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("fieldsync 0."), "\(result.stdout)")
        #expect(result.stdout.contains("sync protocol 1"))
    }
}

/// A mistyped subcommand is a usage error that names the command meant.
@Suite struct SubcommandSuggestionTests {
    @Test(arguments: [(["lst", "account"], "fieldsync list"), (["tag", "ad", "x", "y"], "fieldsync tag add"), (["reprot", "pipeline"], "fieldsync report")])
    func aMistypedSubcommandIsNamed(arguments: [String], meant: String) async throws {
        let result = try await runCommand(try Executables.url("fieldsync"), arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Did you mean '\(meant)'?"), "\(result.stderr)")
    }

    @Test func aWordFarFromEverySubcommandGetsNoGuess() async throws {
        let result = try await runCommand(try Executables.url("fieldsync"), ["xyzzyplugh"])
        #expect(result.status == 2)
        #expect(!result.stderr.contains("Did you mean"))
    }
}
