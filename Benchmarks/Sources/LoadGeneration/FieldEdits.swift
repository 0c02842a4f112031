import CRM
import Foundation
import SyncCore
import SyncStore

/// The edits a rep makes in a day, shaped like the fixtures and aimed at records in the
/// device's own scope: visits logged against accounts, opportunities moved along the
/// pipeline, account and contact details corrected, loyalty points added.
public struct FieldEdits {
    let user: String
    private var accounts: [RecordID] = []
    private var contacts: [RecordID] = []
    private var opportunities: [RecordID] = []
    /// The user's first territory, for leads when the scope holds no account yet.
    private var territory: String?

    public init(user: String) {
        self.user = user
    }

    /// Reads which records the device holds (after a bootstrap).
    public mutating func refresh(from store: DeviceStore) throws {
        accounts = try store.records("account", limit: 1_000_000).map(\.id)
        contacts = try store.records("contact", limit: 1_000_000).map(\.id)
        opportunities = try store.records("opportunity", limit: 1_000_000).map(\.id)
        territory = try store.setting("territories")?.split(separator: ",").first.map(String.init)
    }

    /// One edit, or nil when the device has nothing it may edit. A territory with no
    /// account yet (a new region, an expo) gets new leads.
    public func next(in store: DeviceStore, rng: inout SplitMix64) throws -> LocalEdit? {
        guard let account = accounts.randomElement(using: &rng) else {
            return territory.map { lead(in: $0, rng: &rng) }
        }
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case 0..<40:
            return visit(account: account, rng: &rng)
        case 40..<60:
            if let move = try stageMove(in: store, rng: &rng) { return move }
            return visit(account: account, rng: &rng)
        case 60..<85:
            return accountEdit(account, rng: &rng)
        default:
            guard let contact = contacts.randomElement(using: &rng) else { return accountEdit(account, rng: &rng) }
            return contactEdit(contact, rng: &rng)
        }
    }

    private func visit(account: RecordID, rng: inout SplitMix64) -> LocalEdit {
        let outcomes = ["客户认可方案，需要正式报价", "Demo went well; procurement wants a quote", "设备老化，有改造需求", "Follow up after budget review", "客户暂无需求，保持联系"]
        let subjects = ["现场技术交流 On-site technical review", "季度回访 Quarterly check-in", "Price negotiation", "新品推介 Product introduction"]
        let now = Date()
        return LocalEdit.create("activity", [
            .set("account", .string(account)),
            .set("type", .string(["visit", "visit", "call", "meeting"].randomElement(using: &rng) ?? "visit")),
            .set("subject", .string(subjects.randomElement(using: &rng) ?? "")),
            .set("at", .string(Self.timestamp(now))),
            .set("duration_minutes", .int(Int64([15, 30, 45, 60, 90, 120].randomElement(using: &rng) ?? 30))),
            .set("outcome", .string(outcomes.randomElement(using: &rng) ?? "")),
            .set("next_follow_up", .string(Self.day(now.addingTimeInterval(Double(Int.random(in: 1...21, using: &rng)) * 86_400)))),
            .set("latitude", .string(Self.decimal(Double.random(in: 22...40, using: &rng)))),
            .set("longitude", .string(Self.decimal(Double.random(in: 104...122, using: &rng)))),
            .set("owner", .string(user)),
        ])
    }

    private func lead(in territory: String, rng: inout SplitMix64) -> LocalEdit {
        let number = Int.random(in: 1...99_999, using: &rng)
        return LocalEdit.create("lead", [
            .set("name", .string(["王芳", "李强", "Chen Jie", "Maria Lopez"].randomElement(using: &rng) ?? "王芳")),
            .set("company", .string("展会客户 Expo visitor \(number) Ltd.")),
            .set("phone", .string("139\(String(format: "%08d", number))")),
            .set("source", .string("trade_show")),
            .set("status", .string("new")),
            .set("territory", .string(territory)),
            .set("owner", .string(user)),
            .set("created_on", .string(Self.day(Date()))),
        ])
    }

    /// Moves an open opportunity to a neighbouring open stage, as the rules allow.
    private func stageMove(in store: DeviceStore, rng: inout SplitMix64) throws -> LocalEdit? {
        guard let id = opportunities.randomElement(using: &rng),
              let record = try store.record("opportunity", id: id),
              case .string(let text)? = record.values["stage"],
              let stage = OpportunityStage(rawValue: text),
              let next = stage.allowedNextStages.filter(\.isOpen).randomElement(using: &rng) else { return nil }
        return LocalEdit.update("opportunity", id: id, [.set("stage", .string(next.rawValue))])
    }

    private func accountEdit(_ id: RecordID, rng: inout SplitMix64) -> LocalEdit {
        let operations: [LocalOperation] = switch Int.random(in: 0..<5, using: &rng) {
        case 0: [.set("phone", .string("021-\(Int.random(in: 5000_0000...6999_9999, using: &rng))"))]
        // The tier is the classification's: written with its day, as `classify --apply` does.
        case 1: [.set("tier", .string(["A", "B", "C"].randomElement(using: &rng) ?? "B")), .set("classified_on", .string(Self.day(Date())))]
        case 2: [.add("tags", ["key", "visited", "expo-2026", "price-sensitive"].randomElement(using: &rng) ?? "visited")]
        case 3: [.increment("samples_given", by: Int64(Int.random(in: 1...50, using: &rng)))]
        default: [.set("notes", .string("拜访记录 \(Self.day(Date())): 关注交付周期 / delivery lead time"))]
        }
        return LocalEdit.update("account", id: id, operations)
    }

    private func contactEdit(_ id: RecordID, rng: inout SplitMix64) -> LocalEdit {
        let operation: LocalOperation = switch Int.random(in: 0..<3, using: &rng) {
        case 0: .set("phone", .string("13\(Int.random(in: 1_0000_0000...9_9999_9999, using: &rng))"))
        case 1: .set("title", .string(["采购经理 Purchasing manager", "技术总监 CTO", "厂长 Plant manager"].randomElement(using: &rng) ?? ""))
        default: .set("preferred_channel", .string(["phone", "email", "wechat", "visit"].randomElement(using: &rng) ?? "wechat"))
        }
        return LocalEdit.update("contact", id: id, [operation])
    }

    /// A coordinate as the schema's canonical decimal text (no trailing zeros).
    static func decimal(_ value: Double) -> String {
        let text = String(format: "%.4f", value)
        return Decimals.canonical(text) ?? text
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func day(_ date: Date) -> String {
        String(timestamp(date).prefix(10))
    }
}
