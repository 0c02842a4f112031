import FieldSyncTestSupport
import Foundation
import SyncClient
import Testing

/// The device token lives in the device store: `fieldsync` keeps it where the user's
/// environment says and readable by its owner only.
@Suite("Device secrets at rest") struct DeviceSecretsTests {
    static func mode(_ url: URL) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    /// Runs `fieldsync ARGS` with no --db, HOME and XDG_DATA_HOME as given.
    static func fieldsync(_ arguments: [String], home: URL, dataHome: String = "") async throws -> CommandResult {
        let executable = try FieldSyncCLI.require(#_sourceLocation)
        return try await runCommand(executable, arguments, environment: ["HOME": home.path, "XDG_DATA_HOME": dataHome, "FIELDSYNC_DB": ""])
    }

    @Test func initCreatesTheStoreUnderHomeInAFolderOnlyItsOwnerCanOpen() async throws {
        let home = try TemporaryDirectory("secrets-home")
        defer { home.remove() }
        let result = try await Self.fieldsync(["init"], home: home.url)
        #expect(result.succeeded, "\(result.stderr)")
        let folder = home.url.appendingPathComponent(".fieldsync")
        let store = folder.appendingPathComponent("device.sqlite")
        #expect(result.stdout.contains(store.path))
        #expect(try Self.mode(folder) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.contains("device.sqlite"))
        for file in files {
            #expect(try Self.mode(folder.appendingPathComponent(file)) == 0o600, "\(file)")
        }
    }

    @Test func xdgDataHomeIsUsedWhenSet() async throws {
        let home = try TemporaryDirectory("secrets-xdg")
        defer { home.remove() }
        let data = home.url.appendingPathComponent("data")
        let result = try await Self.fieldsync(["init"], home: home.url, dataHome: data.path)
        #expect(result.succeeded, "\(result.stderr)")
        let store = data.appendingPathComponent("fieldsync/device.sqlite")
        #expect(result.stdout.contains(store.path))
        #expect(try Self.mode(store) == 0o600)
        #expect(try Self.mode(store.deletingLastPathComponent()) == 0o700)
        #expect(!FileManager.default.fileExists(atPath: home.url.appendingPathComponent(".fieldsync").path))
    }

    @Test func aStoreAnOlderVersionLeftReadableIsNarrowed() async throws {
        let home = try TemporaryDirectory("secrets-old")
        defer { home.remove() }
        let folder = home.url.appendingPathComponent(".fieldsync")
        let store = folder.appendingPathComponent("device.sqlite")
        #expect(try await Self.fieldsync(["init"], home: home.url).succeeded)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store.path)
        let status = try await Self.fieldsync(["status"], home: home.url)
        #expect(status.succeeded, "\(status.stderr)")
        #expect(try Self.mode(folder) == 0o700)
        #expect(try Self.mode(store) == 0o600)
    }
}
