import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

@Suite("Sync round trips")
struct SyncRoundTripTests {
    @Test("a change pushed by device A reaches device B, and both match the server", arguments: StorageBackend.all)
    func twoDevicesRoundTrip(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                // Both bootstrap from an empty server.
                try await client.syncUntilDone(&alice)
                try await client.syncUntilDone(&bob)
                #expect(alice.cursor == 0)

                let account = newRecordID()
                let change = try alice.write("account", account, accountFields(name: "Acme Foods"))
                let results = try await client.syncUntilDone(&alice, pushing: [change])
                #expect(results.map(\.status) == [.accepted])
                #expect(results.first?.sequence == 1)

                try await client.syncUntilDone(&bob)
                #expect(bob.record("account", account)?.value(of: "name") == .string("Acme Foods"))
                #expect(bob.cursor == 1)

                // Bob edits, Alice pulls the edit.
                let edit = try bob.write("account", account, [.set("city", "Shanghai")])
                try await client.syncUntilDone(&bob, pushing: [edit])
                try await client.syncUntilDone(&alice)
                #expect(alice.record("account", account)?.value(of: "city") == .string("Shanghai"))

                let server = try await fixture.storage.records()
                #expect(alice.sortedRecords == server)
                #expect(bob.sortedRecords == server)
            }
        }
    }

    @Test("pushing the same change twice: accepted, then duplicate, and nothing changes", arguments: StorageBackend.all)
    func duplicatePushIsIdempotent(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                try await client.syncUntilDone(&alice)
                let change = try alice.write("account", newRecordID(), accountFields(name: "Acme"))
                let first = try await client.sync(&alice, pushing: [change])
                #expect(first.results.map(\.status) == [.accepted])
                let before = try await fixture.dump()

                // A retry after a lost response, and the same dot twice in one request.
                let second = try await client.sync(&alice, pushing: [change, change])
                #expect(second.results.map(\.status) == [.duplicate, .duplicate])
                #expect(try await fixture.dump() == before)
                #expect(before.logCount == 1)
            }
        }
    }

    @Test("bootstrap pages deliver every record exactly once, then the log brings what happened meanwhile", arguments: StorageBackend.all)
    func bootstrapPaging(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: { $0.defaultPageLimit = 7 }) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var writer = try await fixture.enroll("writer")
                var fresh = try await fixture.enroll("fresh")
                try await client.syncUntilDone(&writer)
                var changes: [Change] = []
                var ids: [RecordID] = []
                for index in 0..<23 {
                    let id = newRecordID()
                    ids.append(id)
                    changes.append(try writer.write("account", id, accountFields(name: "Account \(index)")))
                }
                // A deleted record is state too and must be in the snapshot.
                changes.append(try writer.write("account", ids[0], [.delete]))
                try await client.syncUntilDone(&writer, pushing: changes)

                // First page of the fresh device.
                var seen: [String] = []
                var response = try await client.sync(&fresh)
                let highWater = try #require(response.snapshot?.highWater)
                #expect(highWater == 24)
                seen += response.snapshot?.records.map { "\($0.entity)/\($0.id)" } ?? []

                // While it bootstraps: a new record (sorting anywhere) and an edit of a record
                // that may already have been sent.
                let late = newRecordID()
                let lateChange = try writer.write("account", late, accountFields(name: "Late"))
                let editChange = try writer.write("account", ids[5], [.set("city", "Hangzhou")])
                try await client.syncUntilDone(&writer, pushing: [lateChange, editChange])

                var pages = 1
                while response.snapshot?.next != nil {
                    response = try await client.sync(&fresh)
                    seen += response.snapshot?.records.map { "\($0.entity)/\($0.id)" } ?? []
                    pages += 1
                }
                #expect(pages >= 4)
                #expect(seen.count == Set(seen).count, "a record came twice")
                #expect(Set(ids.map { "account/\($0)" }).isSubset(of: Set(seen)))
                #expect(response.cursor == highWater)
                #expect(response.hasMore)

                // Follow the log from the high-water mark.
                try await client.syncUntilDone(&fresh)
                #expect(fresh.record("account", late)?.value(of: "name") == .string("Late"))
                #expect(fresh.record("account", ids[5])?.value(of: "city") == .string("Hangzhou"))
                #expect(fresh.record("account", ids[0])?.isDeleted(policy: .updateWins) == true)
                #expect(fresh.sortedRecords == (try await fixture.storage.records()))
            }
        }
    }

    @Test("pages are bounded by bytes as well as by count", arguments: StorageBackend.all)
    func logPagesBoundedByBytes(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: { $0.maxPageBytes = 2000 }) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var writer = try await fixture.enroll("writer")
                var reader = try await fixture.enroll("reader")
                try await client.syncUntilDone(&writer)
                try await client.syncUntilDone(&reader)
                var changes: [Change] = []
                for index in 0..<10 {
                    changes.append(try writer.write("account", newRecordID(), accountFields(name: "Account \(index)") + [.set("notes", String(repeating: "n", count: 500))]))
                }
                try await client.syncUntilDone(&writer, pushing: changes)
                let first = try await client.sync(&reader)
                #expect(first.changes.count < 10 && first.changes.count >= 1)
                #expect(first.hasMore)
                try await client.syncUntilDone(&reader)
                #expect(reader.cursor == 10)
                #expect(reader.records.count == 10)
            }
        }
    }

    @Test("concurrent edits open a conflict; an edit that saw both closes it", arguments: StorageBackend.all)
    func conflictsAreRecorded(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                let account = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", account, accountFields(name: "Acme"))])
                try await client.syncUntilDone(&bob)
                let fromAlice = try alice.write("account", account, [.set("phone", "111")])
                let fromBob = try bob.write("account", account, [.set("phone", "222")])
                try await client.syncUntilDone(&alice, pushing: [fromAlice])
                try await client.syncUntilDone(&bob, pushing: [fromBob])
                let open = try await fixture.storage.conflicts(openOnly: true)
                #expect(open.map(\.key) == [ConflictKey(entity: "account", recordID: account, field: "phone", kind: .concurrentValues)])
                #expect(open.first?.openedSequence == 3)

                // Bob now holds both siblings; his next write covers them.
                let resolution = try bob.write("account", account, [.set("phone", "333")])
                try await client.syncUntilDone(&bob, pushing: [resolution])
                #expect(try await fixture.storage.conflicts(openOnly: true).isEmpty)
                let all = try await fixture.storage.conflicts(openOnly: false)
                #expect(all.count == 1)
                #expect(all.first?.status == .resolvedByEdit)
                #expect(all.first?.closedSequence == 4)
            }
        }
    }

    @Test("gzip request bodies are accepted and responses are gzip when the client accepts it", arguments: StorageBackend.all)
    func gzipBothWays(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                let change = try alice.write("account", newRecordID(), accountFields(name: "Gzip GmbH"))
                let response = try await client.postJSON("/v1/sync", alice.request(pushing: [change]), token: alice.token, gzip: true, acceptGzip: true)
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == "gzip")
                let decoded = try decodeBody(SyncResponse.self, response)
                #expect(decoded.results.map(\.status) == [.accepted])

                let plain = try await client.postJSON("/v1/sync", alice.request(), token: alice.token)
                #expect(plain.headers[.contentEncoding] == nil)
                #expect(try decodeBody(SyncResponse.self, plain).serverTime > 0)
            }
        }
    }

    @Test("health answers without a token", arguments: StorageBackend.all)
    func health(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/v1/health", method: .get)
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(body?["status"] as? String == "ok")
                #expect(body?["protocol"] as? Int == SyncProtocol.version)
            }
        }
    }
}
