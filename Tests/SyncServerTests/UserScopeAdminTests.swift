import FieldSyncTestSupport
import Foundation
import SyncClient
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

/// Setting territories and teams: the admin API and the `fieldsync-server user` commands.
@Suite("Users' territories and teams")
struct UserScopeAdminTests {
    @Test("PATCH /v1/admin/users/{name} replaces territories and team; only admins may; unknown users are 404", arguments: StorageBackend.all)
    func patchUser(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let root = try await fixture.enroll("root", role: .admin, territories: [])
                let alice = try await fixture.enroll("alice", territories: ["east"])
                _ = try await fixture.enroll("mgr", role: .manager, territories: ["west"])
                let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(root.token)"]

                let moved = try await client.execute(
                    uri: "/v1/admin/users/alice", method: .patch, headers: headers, body: ByteBuffer(string: #"{"territories":["north","south"]}"#)
                )
                #expect(moved.status == .ok)
                #expect(try decodeBody(UserAccount.self, moved).territories == ["north", "south"])

                let team = try await client.execute(uri: "/v1/admin/users/mgr", method: .patch, headers: headers, body: ByteBuffer(string: #"{"team":["alice"]}"#))
                let manager = try decodeBody(UserAccount.self, team)
                #expect(manager.team == ["alice"] && manager.territories == ["west"])
                #expect(try await fixture.accounts.accessScope(of: manager) == .territories(["west", "north", "south"]))

                let repTeam = try await client.execute(uri: "/v1/admin/users/alice", method: .patch, headers: headers, body: ByteBuffer(string: #"{"team":["mgr"]}"#))
                #expect(try errorCode(repTeam) == "invalid_user")
                let missing = try await client.execute(uri: "/v1/admin/users/nobody", method: .patch, headers: headers, body: ByteBuffer(string: "{}"))
                #expect(missing.status == .notFound)
                let asRep = try await client.execute(
                    uri: "/v1/admin/users/alice", method: .patch,
                    headers: [.contentType: "application/json", .authorization: "Bearer \(alice.token)"], body: ByteBuffer(string: #"{"territories":["east","north","south","west"]}"#)
                )
                #expect(try errorCode(asRep) == "forbidden")
                #expect(try await fixture.storage.user(named: "alice")?.territories == ["north", "south"])
            }
        }
    }

    private static let executable = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/fieldsync-server")

    private func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await runCommand(Self.executable, arguments)
        return (result.status, result.stdout + result.stderr)
    }

    @Test("fieldsync-server user add --team and user set change what a manager sees")
    func commands() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the executables first: swift build")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-team-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("server.sqlite").path

        #expect(try await run(["user", "add", "alice", "--territory", "east", "--db", db]).status == 0)
        #expect(try await run(["user", "add", "bob", "--territory", "north", "--db", db]).status == 0)
        let created = try await run(["user", "add", "mgr", "--role", "manager", "--territory", "west", "--team", "alice", "--team", "bob", "--db", db])
        #expect(created.status == 0)
        #expect(created.output.contains("team: alice, bob"), "\(created.output)")
        #expect(try await run(["user", "add", "carol", "--territory", "south", "--team", "alice", "--db", db]).status != 0)
        #expect(try await run(["user", "add", "boss", "--role", "manager", "--territory", "west", "--team", "ghost", "--db", db]).status != 0)

        let changed = try await run(["user", "set", "mgr", "--team", "alice", "--db", db])
        #expect(changed.status == 0, "\(changed.output)")
        let moved = try await run(["user", "set", "alice", "--territory", "south", "--db", db])
        #expect(moved.status == 0)
        let list = try await run(["user", "list", "--db", db]).output
        #expect(list.contains("mgr\tmanager\twest\talice"), "\(list)")
        #expect(list.contains("alice\trep\tsouth"), "\(list)")
        #expect(try await run(["user", "set", "mgr", "--no-team", "--db", db]).status == 0)
        #expect(try await run(["user", "set", "nobody", "--territory", "x", "--db", db]).status != 0)
    }
}
