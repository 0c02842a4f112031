import CRM
import Foundation
import SyncCore
import SyncStore
import Testing

/// A fresh store per test: in memory, or in a temporary directory removed when the test ends.
enum Stores {
    static let schema = CRMSchema.schema

    /// A clock the test moves by hand, so HLCs are reproducible.
    // @unchecked Sendable: `now` is only read and written under `lock`.
    final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private var now: Int64

        init(_ start: Int64 = 1_795_000_000_000) { now = start }

        func advance(_ milliseconds: Int64 = 1000) { lock.withLock { now += milliseconds } }

        var read: @Sendable () -> Int64 { { self.lock.withLock { self.now } } }
    }

    static func memory(rule: EditRule? = nil, clock: ManualClock = ManualClock()) throws -> DeviceStore {
        try DeviceStore(path: nil, schema: schema, rule: rule, physicalClock: clock.read)
    }
}

/// A temporary directory for file stores; removed on deinit.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("syncstore-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Everything a refused operation must leave untouched.
struct StoreFingerprint: Equatable {
    var dump: Data
    var status: StoreStatus
    var outbox: [OutboxEntry]
    var conflicts: [ConflictEntry]
    var cursor: LogSequence?

    init(_ store: DeviceStore) throws {
        dump = try store.canonicalDump()
        status = try store.status()
        outbox = try store.outbox()
        conflicts = try store.openConflicts()
        cursor = try store.cursor()
    }
}

/// Records the tests create.
enum Sample {
    static func account(_ id: RecordID = RecordIDs.make(), name: String = "上海华科电子有限公司", territory: String = "east") -> LocalEdit {
        .create("account", id: id, [.set("name", .string(name)), .set("territory", .string(territory))])
    }

    static func contact(_ id: RecordID = RecordIDs.make(), account: RecordID, name: String = "王军") -> LocalEdit {
        .create("contact", id: id, [.set("account", .string(account)), .set("name", .string(name))])
    }

    static func opportunity(_ id: RecordID = RecordIDs.make(), account: RecordID, stage: String = "proposal", amount: String = "1200.5") -> LocalEdit {
        .create("opportunity", id: id, [
            .set("account", .string(account)), .set("title", .string("Servo replacement")),
            .set("stage", .string(stage)), .set("amount", .string(amount)),
        ])
    }

    /// The changes a store has not pushed yet, as the server would hand them to another device.
    static func logEntries(from store: DeviceStore, startingAt sequence: LogSequence = 1) throws -> [LogEntry] {
        try store.outbox().enumerated().map { LogEntry(sequence: sequence + LogSequence($0.offset), change: $0.element.change) }
    }
}

/// Runs `body` and returns the StoreError it throws, failing the test if it throws none.
func storeError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> StoreError? {
    do {
        try body()
        Issue.record("expected a StoreError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
