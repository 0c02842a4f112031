import CRM
import FieldWork
import SyncCore
import SyncStore

/// A device store in memory with the CRM rules, an enrolled user, a product and an account
/// in territory east: the ground the workflow tests stand on.
struct FieldWorkFixture {
    let store: DeviceStore
    let work: FieldWork
    let account: RecordID
    let product: RecordID

    init() throws {
        store = try FieldWork.openStore(path: nil)
        try store.setSettings(["user": "rep1"])
        let account = RecordIDs.make(), product = RecordIDs.make()
        try store.importRecords([
            .create("product", id: product, [
                .set("sku", .string("VALVE-20")), .set("name", .string("Valve DN20")), .set("unit_price", .string("12.5")),
                .set("currency", .string("CNY")), .set("active", .bool(true)),
            ]),
            .create("account", id: account, [.set("name", .string("华东机械")), .set("territory", .string("east")), .set("city", .string("上海"))]),
        ])
        work = FieldWork(store: store)
        self.account = account
        self.product = product
    }

    private init(store: DeviceStore, account: RecordID, product: RecordID) {
        self.store = store
        self.work = FieldWork(store: store)
        self.account = account
        self.product = product
    }

    /// A second device of the same user holding what `other` holds now (its records arrive
    /// as a bootstrap would bring them): for offline edits on two devices.
    static func replica(of other: FieldWorkFixture) throws -> FieldWorkFixture {
        let store = try FieldWork.openStore(path: nil)
        try store.setSettings(["user": try other.store.setting("user") ?? "rep1"])
        try store.applyRemote([], cursor: nil, arrivals: try other.store.allStates())
        return FieldWorkFixture(store: store, account: other.account, product: other.product)
    }

    /// Syncs two devices directly: each applies the other's unsent changes, as the server's
    /// log would bring them.
    static func exchange(_ one: FieldWorkFixture, _ other: FieldWorkFixture) throws {
        let fromOne = try one.store.pendingChanges(), fromOther = try other.store.pendingChanges()
        try other.store.applyRemote(fromOne.enumerated().map { LogEntry(sequence: LogSequence($0.offset + 1), change: $0.element) }, cursor: nil)
        try one.store.applyRemote(fromOther.enumerated().map { LogEntry(sequence: LogSequence($0.offset + 1), change: $0.element) }, cursor: nil)
    }

    /// Creates a record as an import does (no rule runs), for the state a test starts from.
    @discardableResult
    func seed(_ entity: String, _ fields: [String: Value]) throws -> RecordID {
        let id = RecordIDs.make()
        try store.importRecords([.create(entity, id: id, fields.keys.sorted().map { .set($0, fields[$0] ?? .null) })])
        return id
    }

    func record(_ entity: String, _ id: RecordID) throws -> RecordSnapshot? {
        try store.record(entity, id: id)
    }

    /// The stable code of a refusal, whichever error type carries it.
    static func code(of error: any Error) -> String? {
        switch error {
        case let error as SyncCore.ValidationError: return error.code.rawValue
        case let error as StoreError: return error.code
        case let error as VisitPlanError: return error.code.rawValue
        default: return nil
        }
    }
}
