import CRM
import Synchronization
import SyncCore
import SyncStore

/// The records that exist somewhere (created by some replica), in creation order, so that a
/// seeded run picks the same ones every time.
final class RecordCatalog: Sendable {
    private let references = Mutex<[RecordReference]>([])

    init() {}

    func add(_ reference: RecordReference) {
        references.withLock { $0.append(reference) }
    }

    var all: [RecordReference] { references.withLock { $0 } }

    func of(_ entity: String) -> [RecordReference] {
        references.withLock { $0.filter { $0.entity == entity } }
    }
}

/// Random CRM edits through the public `DeviceStore` API: creations, register edits (often of
/// a few hot fields of a few hot accounts, so that devices edit the same field concurrently),
/// counters, tags, deletes and restores.
///
/// Choices depend only on the generator and on causal facts of the device (whether it holds a
/// record, whether the record is deleted), never on a displayed value that an HLC tie could
/// decide, so a seed replays the same edits.
struct EditGenerator: Sendable {
    static let territories = ["east", "west", "north"]
    static let cities = ["Shanghai", "Hangzhou", "Suzhou", "Nanjing", "Ningbo"]
    static let tags = ["vip", "key", "new", "risk", "b2b", "export"]
    static let stages = ["qualification", "needs_analysis", "proposal", "negotiation"]
    /// The day a tier is classified as of: a rep writes the tier only with it (field-level rights).
    static let classifiedOn = LocalOperation.set("classified_on", .string("2026-11-23"))

    /// How many of the first accounts are edited much more often than the rest.
    var hotAccounts = 3

    /// One edit batch for `store` (usually one edit; sometimes two or three in one
    /// transaction). Creations are added to `catalog` by the caller once applied.
    func edits(for store: DeviceStore, catalog: RecordCatalog, rng: inout SplitMix64) throws -> [LocalEdit] {
        let count = rng.chance(0.1) ? rng.int(2...3) : 1
        var batch: [LocalEdit] = []
        for _ in 0..<count {
            if let edit = try edit(for: store, catalog: catalog, rng: &rng),
               !batch.contains(where: { $0.entity == edit.entity && $0.recordID == edit.recordID }) {
                batch.append(edit)
            }
        }
        return batch
    }

    private func edit(for store: DeviceStore, catalog: RecordCatalog, rng: inout SplitMix64) throws -> LocalEdit? {
        let accounts = catalog.of("account")
        if accounts.count < 4 || rng.chance(0.12) {
            return createAccount(rng: &rng)
        }
        switch rng.weighted([10, 8, 4, 30, 12, 12, 5, 4, 4, 3]) {
        case 0: return try createChild("contact", store: store, accounts: accounts, rng: &rng)
        case 1: return try createChild("opportunity", store: store, accounts: accounts, rng: &rng)
        case 2: return try createChild("survey", store: store, accounts: accounts, rng: &rng)
        case 3: return try registerEdit(store: store, catalog: catalog, rng: &rng)
        case 4:
            guard let account = try visible(store, hotOrAny(accounts, rng: &rng)) else { return nil }
            // Samples handed out, and now and then some handed back: a PN-counter moved by
            // several reps offline.
            let amount = Int64(rng.chance(0.2) ? -rng.int(1...5) : rng.int(1...50))
            return .update("account", id: account.id, [.increment("samples_given", by: amount)])
        case 5:
            guard let account = try visible(store, hotOrAny(accounts, rng: &rng)) else { return nil }
            let tag = rng.pick(Self.tags)
            return .update("account", id: account.id, [rng.chance(0.6) ? .add("tags", tag) : .remove("tags", tag)])
        case 6:
            guard let account = try visible(store, rng.pick(accounts)) else { return nil }
            return .delete("account", id: account.id)
        case 7:
            let children = catalog.of("contact") + catalog.of("survey")
            guard !children.isEmpty, let child = try visible(store, rng.pick(children)) else { return nil }
            return .delete(child.entity, id: child.id)
        case 8:
            // Restore: an empty edit of a deleted (or delete-conflicted) record brings it back.
            let reference = rng.pick(catalog.all)
            guard let record = try store.record(reference.entity, id: reference.id), record.deleted || record.deleteConflict else { return nil }
            return LocalEdit(entity: reference.entity, recordID: reference.id, operations: [])
        default:
            // A counter and a tag and a register in one change.
            guard let account = try visible(store, hotOrAny(accounts, rng: &rng)) else { return nil }
            return .update("account", id: account.id, [
                .increment("samples_given", by: Int64(rng.int(1...9))), .add("tags", rng.pick(Self.tags)),
                .set("tier", .string(rng.pick(["A", "B", "C"]))), Self.classifiedOn,
            ])
        }
    }

    func createAccount(rng: inout SplitMix64) -> LocalEdit {
        var operations: [LocalOperation] = [
            .set("name", .string("Account \(rng.int(1000...9999))")),
            .set("territory", .string(rng.pick(Self.territories))),
        ]
        if rng.chance(0.5) { operations.append(.set("city", .string(rng.pick(Self.cities)))) }
        if rng.chance(0.3) { operations.append(.increment("samples_given", by: Int64(rng.int(1...100)))) }
        if rng.chance(0.3) { operations.append(.add("tags", rng.pick(Self.tags))) }
        return .create("account", id: rng.recordID(), operations)
    }

    private func createChild(_ entity: String, store: DeviceStore, accounts: [RecordReference], rng: inout SplitMix64) throws -> LocalEdit? {
        guard let account = try visible(store, rng.pick(accounts)) else { return nil }
        let reference = LocalOperation.set("account", .string(account.id))
        switch entity {
        case "contact":
            return .create("contact", id: rng.recordID(), [reference, .set("name", .string("Contact \(rng.int(100...999))")), .set("phone", .string(phone(&rng)))])
        case "opportunity":
            return .create("opportunity", id: rng.recordID(), [
                reference, .set("title", .string("Deal \(rng.int(100...999))")), .set("stage", .string("qualification")),
                .set("amount", .string("\(rng.int(1...900))000")),
            ])
        default:
            return .create("survey", id: rng.recordID(), [reference, .set("kind", .string("nps")), .set("score", .int(Int64(rng.int(0...10))))])
        }
    }

    private func registerEdit(store: DeviceStore, catalog: RecordCatalog, rng: inout SplitMix64) throws -> LocalEdit? {
        switch rng.weighted([70, 15, 10, 5]) {
        case 0:
            guard let account = try visible(store, hotOrAny(catalog.of("account"), rng: &rng)) else { return nil }
            // Few fields, few values: concurrent edits of the same field are common.
            let field = rng.pick(["phone", "tier", "tier", "city", "notes", "credit_limit", "owner", "name"])
            let value: Value
            switch field {
            case "tier": value = .string(rng.pick(["A", "B", "C"]))
            case "city": value = .string(rng.pick(Self.cities))
            case "phone": value = rng.chance(0.1) ? .null : .string(phone(&rng))
            case "credit_limit": value = .string("\(rng.int(1...500))\(rng.chance(0.5) ? ".5" : "")")
            case "owner": value = .string("rep\(rng.int(1...20))")
            case "name": value = .string("Account \(rng.int(1000...9999))")
            default: value = .string("note \(rng.int(1...1_000_000))")
            }
            // The tier is the classification's: written with its day, as `classify --apply` does.
            return .update("account", id: account.id, [.set(field, value)] + (field == "tier" ? [Self.classifiedOn] : []))
        case 1:
            let contacts = catalog.of("contact")
            guard !contacts.isEmpty, let contact = try visible(store, rng.pick(contacts)) else { return nil }
            return .update("contact", id: contact.id, [.set(rng.pick(["phone", "title"]), .string(phone(&rng)))])
        case 2:
            let opportunities = catalog.of("opportunity")
            guard !opportunities.isEmpty, let opportunity = try visible(store, rng.pick(opportunities)) else { return nil }
            return .update("opportunity", id: opportunity.id, [.set("amount", .string("\(rng.int(1...900))500")), .set("probability", .int(Int64(rng.int(0...100))))])
        default:
            let surveys = catalog.of("survey")
            guard !surveys.isEmpty, let survey = try visible(store, rng.pick(surveys)) else { return nil }
            // On the survey's own scale (CSAT 1–5, NPS 0–10), as the device's rules and the
            // server's re-check of them require.
            let kind = try store.record("survey", id: survey.id)?.value("kind")
            let scale = kind == .string("csat") ? CRMRules.csatScores : CRMRules.npsScores
            return .update("survey", id: survey.id, [.set("score", .int(Int64(rng.int(Int(scale.lowerBound)...Int(scale.upperBound)))))])
        }
    }

    private func hotOrAny(_ accounts: [RecordReference], rng: inout SplitMix64) -> RecordReference {
        rng.chance(0.4) ? accounts[rng.int(0...min(hotAccounts, accounts.count) - 1)] : rng.pick(accounts)
    }

    /// The record if this device holds it and it is not deleted.
    private func visible(_ store: DeviceStore, _ reference: RecordReference) throws -> RecordReference? {
        guard let record = try store.record(reference.entity, id: reference.id), !record.deleted else { return nil }
        return reference
    }

    private func phone(_ rng: inout SplitMix64) -> String {
        "+86 21 5555 \(rng.int(1000...9999))"
    }
}

extension DeviceStore {
    /// Applies a generated batch: records the accepted changes, the increments and the
    /// creations; returns false when the store refused the batch (a domain refusal such as an
    /// edit of a record deleted meanwhile). Other errors propagate.
    @discardableResult
    func applyTracked(_ edits: [LocalEdit], ledger: WriteLedger, catalog: RecordCatalog) throws -> Bool {
        guard !edits.isEmpty else { return false }
        do {
            let changes = try apply(edits)
            ledger.record(changes)
            ledger.recordIntents(of: edits)
            for edit in edits where edit.isCreation {
                catalog.add(RecordReference(entity: edit.entity, id: edit.recordID))
            }
            return true
        } catch is StoreError {
            return false
        }
    }
}
