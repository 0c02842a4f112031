import CRM
import Foundation
import HummingbirdTesting
import Logging
import Synchronization
import SyncClient
import SyncCore
import SyncStore
import Testing

@testable import SyncServer

/// A server and real devices (a `DeviceStore` and a `SyncClient` each) syncing through the
/// router. Every sync answer is audited before the device applies it: each record and change
/// it carries must be in the device user's scope at that moment, as an oracle independent of
/// the server's SQL computes it.
final class ScopeWorld: Sendable {
    let fixture: ServerFixture
    let client: any TestClientProtocol
    let audit = ScopeAudit()

    init(fixture: ServerFixture, client: any TestClientProtocol) {
        self.fixture = fixture
        self.client = client
    }

    /// One enrolled device.
    struct Device: Sendable {
        let name: String
        let user: String
        let store: DeviceStore
        let client: SyncClient

        var replica: ReplicaID { store.replicaID }

        /// Syncs until the server has nothing more.
        @discardableResult
        func sync() async throws -> SyncSummary { try await client.sync() }
    }

    /// Creates `user` if needed and enrolls a new device for them.
    func device(_ name: String, user: String, role: Role = .rep, territories: [String] = [], team: [String] = []) async throws -> Device {
        let code: String
        if try await fixture.storage.user(named: user) == nil {
            code = try await fixture.accounts.createUser(name: user, role: role, territories: territories, team: team).enrollmentCode
        } else {
            code = try await fixture.accounts.issueEnrollmentCode(for: user)
        }
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema, logger: fixture.logger)
        let transport = RouterTransport(client: client) { [audit, fixture] response in
            try await audit.check(response, user: user, device: name, fixture: fixture)
        }
        var logger = Logger(label: "scope-world.\(name)")
        logger.logLevel = .critical
        let syncClient = SyncClient(
            store: store, transport: transport, retry: RetryPolicy(maxAttempts: 1), compressRequests: true,
            batchSize: 500, pageLimit: 50, logger: logger
        )
        try await syncClient.enroll(code: code, deviceName: name, serverURL: "http://router")
        return Device(name: name, user: user, store: store, client: syncClient)
    }

    /// Where a record sits now, computed from the server's record states alone.
    static func key(of state: RecordState, in states: [String: RecordState]) -> ScopeKey {
        guard let entity = CRMSchema.schema.entity(state.entity) else { return .unassigned }
        switch entity.scope {
        case .global:
            return .global
        case .territory(let field):
            return state.value(of: field).stringValue.map(ScopeKey.territory) ?? .unassigned
        case .account(let field):
            guard let account = state.value(of: field).stringValue,
                let territory = states[TestReplica.key("account", account)]?.value(of: "territory").stringValue
            else { return .unassigned }
            return .territory(territory)
        }
    }

    /// What the server logged about a record (and its account) and what a device received of
    /// it: printed when a device does not match, to find the step that went wrong.
    func trace(of state: RecordState, on device: Device) async throws -> String {
        let ids = Set([state.id] + [TestReplica.accountID(of: state)].compactMap { $0 })
        var lines = ["server log:"]
        for row in try await fixture.storage.scopeHistory(of: ids) {
            lines.append("  seq \(row.sequence) \(row.change.recordID.prefix(8)) \(row.change.dot) \(row.before ?? "-")→\(row.after ?? "-") \(row.change.operations.map { "\($0.field)=\($0.operation)" })")
        }
        lines.append("\(device.name) received:")
        lines += audit.received(by: device.name, about: ids)
        return lines.joined(separator: "\n")
    }

    /// The server's records by `entity/id`.
    func serverStates() async throws -> [String: RecordState] {
        var states: [String: RecordState] = [:]
        for state in try await fixture.storage.records() { states[TestReplica.key(state.entity, state.id)] = state }
        return states
    }

    /// The records `user` may see now, by `entity/id`.
    func expectedStates(for user: String) async throws -> [String: RecordState] {
        let scope = try await scope(of: user)
        let states = try await serverStates()
        return states.filter { scope.covers(Self.key(of: $0.value, in: states)) }
    }

    func scope(of user: String) async throws -> AccessScope {
        let account = try #require(try await fixture.storage.user(named: user))
        return try await fixture.accounts.accessScope(of: account)
    }

    /// Checks a device at rest: it holds exactly the server's records in its user's scope, in
    /// the same state — apart from records that only exist on it because the server rejected
    /// their changes (they stay, with the changes, in its outbox) — and every change it ever
    /// made is on the server or still in its outbox.
    func expectConverged(_ device: Device, made changes: [Change], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let expected = try await expectedStates(for: device.user)
        let outbox = try device.store.outbox()
        let rejectedRecords = Set(outbox.filter { $0.rejectCode != nil }.map { TestReplica.key($0.change.entity, $0.change.recordID) })
        var held: [String: RecordState] = [:]
        for state in try device.store.allStates() { held[TestReplica.key(state.entity, state.id)] = state }
        for (key, state) in held where !rejectedRecords.contains(key) && expected[key] != state {
            let trace = try await trace(of: state, on: device)
            Issue.record("\(device.name) holds \(key) \(expected[key] == nil ? "outside its scope" : "in another state")\nserver: \(String(describing: expected[key]))\ndevice: \(state)\n\(trace)", sourceLocation: sourceLocation)
        }
        for key in expected.keys where held[key] == nil {
            Issue.record("\(device.name) misses \(key), which is in its scope", sourceLocation: sourceLocation)
        }
        let server = try await serverStates()
        let pending = Set(outbox.map(\.change.dot))
        for change in changes {
            let stored = server[TestReplica.key(change.entity, change.recordID)]?.version.covers(change.dot) ?? false
            #expect(stored || pending.contains(change.dot), "\(device.name) lost \(change.entity) \(change.recordID) \(change.dot)", sourceLocation: sourceLocation)
        }
    }
}

/// What the audit saw: how many records and changes it checked, and the violations.
final class ScopeAudit: Sendable {
    private let state = Mutex<(checked: Int, violations: [String])>((0, []))
    private let responses = Mutex<[(device: String, response: SyncResponse)]>([])

    var checked: Int { state.withLock { $0.checked } }
    var violations: [String] { state.withLock { $0.violations } }

    /// What `device` received about the records `ids` (or records belonging to them).
    func received(by device: String, about ids: Set<RecordID>) -> [String] {
        let mine = responses.withLock { $0.filter { $0.device == device }.map(\.response) }
        var lines: [String] = []
        for response in mine {
            var items: [String] = []
            if response.resync { items.append("RESYNC") }
            for state in response.snapshot?.records ?? [] where ids.contains(state.id) || ids.contains(TestReplica.accountID(of: state) ?? "") {
                items.append("snapshot \(state.id.prefix(8)) v\(state.version)")
            }
            for state in response.arrivals where ids.contains(state.id) || ids.contains(TestReplica.accountID(of: state) ?? "") {
                items.append("arrival \(state.id.prefix(8)) v\(state.version)")
            }
            for entry in response.changes where ids.contains(entry.change.recordID) {
                items.append("entry seq \(entry.sequence) \(entry.change.dot)")
            }
            for eviction in response.evictions where ids.contains(eviction.id) { items.append("evict \(eviction.id.prefix(8))") }
            if items.isEmpty {
                lines.append("  page → cursor \(response.cursor.map(String.init) ?? "-") hasMore \(response.hasMore): \(response.changes.count) entries \(response.changes.first.map { "from \($0.sequence)" } ?? ""), \(response.arrivals.count) arrivals, \(response.evictions.count) evictions, \(response.results.count) pushed")
            } else {
                lines.append("  page → cursor \(response.cursor.map(String.init) ?? "-") hasMore \(response.hasMore): \(items.joined(separator: "; "))")
            }
        }
        return lines
    }

    /// Every record state and change in `response` must be in `user`'s scope now.
    func check(_ response: SyncResponse, user: String, device: String, fixture: ServerFixture) async throws {
        responses.withLock { $0.append((device, response)) }
        guard let account = try await fixture.storage.user(named: user) else { return }
        let scope = try await fixture.accounts.accessScope(of: account)
        var states: [String: RecordState] = [:]
        for state in try await fixture.storage.records() { states[TestReplica.key(state.entity, state.id)] = state }
        var seen: [(String, String)] = []
        for state in (response.snapshot?.records ?? []) + response.arrivals { seen.append((state.entity, state.id)) }
        for entry in response.changes { seen.append((entry.change.entity, entry.change.recordID)) }
        var violations: [String] = []
        for (entity, id) in seen {
            let key = TestReplica.key(entity, id)
            guard let state = states[key] else {
                violations.append("\(user) received \(key), which the server does not have")
                continue
            }
            let where_ = ScopeWorld.key(of: state, in: states)
            if !scope.covers(where_) {
                violations.append("\(user) (\(scope)) received \(key) at \(where_)")
            }
        }
        state.withLock {
            $0.checked += seen.count
            $0.violations += violations
        }
    }
}

/// Operations creating valid CRM records.
enum CRMRecords {
    static func account(_ name: String, territory: String) -> [LocalOperation] {
        [.set("name", .string(name)), .set("territory", .string(territory))]
    }

    static func contact(_ name: String, account: RecordID) -> [LocalOperation] {
        [.set("account", .string(account)), .set("name", .string(name))]
    }

    static func opportunity(_ title: String, account: RecordID) -> [LocalOperation] {
        [.set("account", .string(account)), .set("title", .string(title)), .set("stage", .string("qualification"))]
    }

    static func lead(_ company: String, territory: String) -> [LocalOperation] {
        [.set("name", .string("Contact")), .set("company", .string(company)), .set("status", .string("new")), .set("territory", .string(territory))]
    }
}
