import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

/// Each change and record state is stored once in its canonical JSON and goes out in pull pages,
/// arrivals and snapshot pages as stored: the server does not parse it and write it again.
@Suite("Canonical bytes on the sync path")
struct CanonicalBytesTests {
    /// A byte the encoder never writes (white space after the opening brace) marks the stored
    /// text: an answer holding it was spliced from storage, not re-encoded.
    static func mark(_ text: String) -> String {
        "{ " + text.dropFirst()
    }

    @Test("stored changes and states are spliced into log and snapshot pages byte for byte", arguments: StorageBackend.all)
    func storedBytesPassThrough(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                try await client.syncUntilDone(&alice)
                try await client.syncUntilDone(&bob)
                let account = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", account, accountFields(name: "Acme Foods"))])

                // The stored forms are the canonical texts of the values.
                let (change, state) = try await fixture.storage.read { db in
                    (try await String.fetchOne(db, sql: TestSQL.changeOfRecord, arguments: [account]) ?? "",
                     try await String.fetchOne(db, sql: TestSQL.stateOfRecord, arguments: [account]) ?? "")
                }
                let stored = try #require(try await fixture.storage.record(entity: "account", id: account))
                #expect(state == CanonicalJSON(stored).text)
                #expect(try CanonicalJSON(stored: change).decoded(as: Change.self).recordID == account)
                #expect(change == CanonicalJSON(try CanonicalJSON(stored: change).decoded(as: Change.self)).text)

                try await fixture.storage.write(.log) { db in
                    try await db.execute(sql: TestSQL.setChangeOfRecord, arguments: [Self.mark(change), account])
                    try await db.execute(sql: TestSQL.setStateOfRecord, arguments: [Self.mark(state), account])
                }
                // Bob pulls the log entry, a new device bootstraps the state.
                let pull = try await client.postJSON("/v1/sync", bob.request(pushing: []), token: bob.token)
                #expect(String(buffer: pull.body).contains(#"{"change":\#(Self.mark(change)),"seq":"#))
                let carol = try await fixture.enroll("carol")
                let bootstrap = try await client.postJSON("/v1/sync", carol.request(pushing: []), token: carol.token)
                #expect(String(buffer: bootstrap.body).contains(Self.mark(state)))
                // And a device reads them as the values they are.
                #expect(try decodeBody(SyncResponse.self, pull).changes.map(\.change.recordID) == [account])
                #expect(try decodeBody(SyncResponse.self, bootstrap).snapshot?.records == [stored])
            }
        }
    }
}
