import Foundation
import SyncCore

/// What the admin templates render: plain values, already formatted for people. Mustache reads
/// them by reflection, so property names are the template's names.
enum AdminViews {
    struct Page {
        var admin: String?
        var csrf: String?
        var flash: String?
        var error: String?
    }

    struct Message {
        var admin: String?
        var csrf: String?
        var flash: String?
        var error: String?
        var heading: String
        var text: String
        /// A one-time code shown once.
        var code: String?
        var link: String
        var linkText: String
    }

    struct Dashboard {
        var admin: String?
        var csrf: String?
        var flash: String?
        var error: String?
        var openConflicts: Int
        var openByKind: [Count]
        var users: Int
        var activeDevices: Int
        var devices: Int
        /// "of N devices synced in the last 24 h", after the count of active devices.
        var devicesSynced: String
        var pipelineText: String
    }

    struct UserRow {
        var name: String
        var role: String
        var territories: String
        var team: String
        var devices: Int
    }

    struct DeviceRow {
        var replica: String
        var short: String
        var name: String
        var user: String
        var enrolled: String
        var lastSeen: String
        var status: String
        var statusLabel: String
        var canRevoke: Bool
        var canWipe: Bool
    }

    struct People {
        var admin: String?
        var csrf: String?
        var flash: String?
        var error: String?
        var users: [UserRow]
        var devices: [DeviceRow]
    }

    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Tab {
        var name: String
        var label: String
        var count: Int
        var href: String
        var selected: Bool
    }

    struct Count {
        var name: String
        var label: String
        var count: Int
    }

    struct ValueChip {
        var label: String
        /// The chip's classes: "value", plus "winner" for the displayed or kept value and
        /// "rejected" for a value the outcome dropped.
        var style: String
    }

    /// How a competing value stands: displayed while open, kept or rejected once settled.
    struct Badge {
        var text: String
        var style: String
        /// The class of the competitor's card.
        var card: String

        static func displayed(_ t: AdminText) -> Badge { Badge(text: t(.badgeDisplayed), style: "shown", card: "winner") }
        static func kept(_ t: AdminText) -> Badge { Badge(text: t(.badgeKept), style: "kept", card: "winner") }
        static func rejected(_ t: AdminText) -> Badge { Badge(text: t(.badgeRejected), style: "rejected", card: "rejected") }
    }

    struct Row {
        var id: Int64
        var kind: String
        var kindLabel: String
        var entity: String
        var record: String
        var shortID: String
        var field: String
        var values: [ValueChip]
        var users: String
        var territory: String
        var openedAt: String
        var age: String
        var status: String
        var statusLabel: String
        /// An open duplicate pair, which the list's bulk merge can select.
        var mergeable: Bool
    }

    struct ConflictListPage {
        var admin: String?
        var csrf: String?
        var flash: String?
        var error: String?
        var total: Int
        var page: Int
        /// "N matching · page P of Q".
        var pageInfo: String
        var status: String
        var statusTabs: [Tab]
        var kinds: [Option]
        var entities: [Option]
        var ages: [Option]
        var territories: [Option]
        var user: String
        var query: String
        var pages: Int
        var sizes: [Option]
        var hasCounts: Bool
        var entityCounts: [Count]
        var kindCounts: [Count]
        var hasRows: Bool
        var rows: [Row]
        var hasMergeable: Bool
        var previous: String?
        var next: String?
    }

    struct Competitor {
        var conflictID: Int64
        var index: Int
        var recordText: String
        var label: String
        var badge: Badge?
        var user: String
        var device: String
        var hlc: String
        var receivedAt: String
        var dotText: String
        var dotShort: String
        var sequence: Int64?
        var canChoose: Bool
    }

    struct SimpleAction {
        var name: String
        var action: String
        var survivor: String?
        var label: String
        var explanation: String
        var style: String
    }

    struct CompareRow {
        var name: String
        var before: String
        var after: String
        var related: String
        var changed: Bool
        var conflicted: Bool
    }

    /// One field of a field-by-field duplicate merge: both records' values, and which one the
    /// merge keeps by default when they differ.
    struct MergeRow {
        var name: String
        var left: String
        var right: String
        var differs: Bool
        var leftChecked: Bool
        var rightChecked: Bool
    }

    struct MergeForm {
        var leftID: String
        var rightID: String
        var leftLabel: String
        var rightLabel: String
        /// The record created first stays by default.
        var leftSurvives: Bool
        var rows: [MergeRow]
    }

    struct DetailPage {
        var admin: String?
        var csrf: String?
        var flash: String?
        var error: String?
        var id: Int64
        var kind: String
        var kindLabel: String
        var record: String
        var entity: String
        var recordID: String
        var field: String?
        var status: String
        var statusLabel: String
        var reason: String
        var territory: String?
        /// When, by whom, at which log position.
        var openedLine: String
        var displayed: String
        /// Who settled a closed entry ("chosen by root", "written by alice"); nil while open
        /// or dismissed, when `displayed` is what readers see.
        var outcomeBy: String?
        /// When, by whom and how it closed; nil while open.
        var closedLine: String?
        var historyHref: String
        var competitors: [Competitor]
        var isOpen: Bool
        var canEnterValue: Bool
        var simpleActions: [SimpleAction]
        var beforeSequence: Int64?
        var afterSequence: Int64?
        var hasRelated: Bool
        var relatedTitle: String
        var rows: [CompareRow]
        var merge: MergeForm?
    }

    struct HistoryField {
        var field: String
        /// What the writer had seen (for an assignment), else what readers saw before.
        var old: String
        /// What the change wrote (for an assignment), else what readers saw after.
        var new: String
        /// What readers saw after, when it is not what the change wrote (a concurrent write won).
        var shown: String?
        /// The writes of the field made concurrently with this one, by whom.
        var concurrent: String?
    }

    struct HistoryRow {
        var sequence: Int64
        var receivedAt: String
        var user: String
        var device: String
        var hlc: String
        var what: String?
        var conflicted: Bool
        var fields: [HistoryField]
    }

    struct HistoryPage {
        var admin: String?
        var csrf: String?
        var flash: String?
        var error: String?
        var entity: String
        var id: String
        var shortID: String
        var label: String
        var deleted: Bool
        var entries: [HistoryRow]
    }

    // MARK: Builders

    static func kindLabel(_ kind: ConflictKind, _ t: AdminText) -> String {
        switch kind {
        case .concurrentValues: return t(.kindConcurrentValues)
        case .deleteVsEdit: return t(.kindDeleteVsEdit)
        case .orphanReference: return t(.kindOrphanReference)
        case .probableDuplicate: return t(.kindProbableDuplicate)
        }
    }

    static func statusLabel(_ status: ConflictStatus, _ t: AdminText) -> String {
        switch status {
        case .open: return t(.statusOpen)
        case .resolvedByEdit: return t(.statusResolvedByEdit)
        case .resolvedByAdmin: return t(.statusResolvedByAdmin)
        case .dismissed: return t(.statusDismissed)
        }
    }

    static func time(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "—" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    static func hlc(_ hlc: HLC) -> String {
        hlc == .zero ? "—" : time(hlc.physical) + (hlc.logical > 0 ? " +\(hlc.logical)" : "")
    }

    static func device(_ author: ChangeAuthorInfo, serverReplica: String, _ t: AdminText) -> String {
        if author.device == serverReplica { return t(.server) }
        let short = author.device.map { String($0.prefix(8)) } ?? "?"
        return author.deviceName.map { "\($0) (\(short))" } ?? short
    }

    static func badge(_ competitor: CompetingValue, of entry: ConflictLogEntry, _ t: AdminText) -> Badge? {
        guard entry.isSettled else { return competitor.isDisplayed ? .displayed(t) : nil }
        return competitor.isDisplayed ? .kept(t) : .rejected(t)
    }

    static func outcomeBy(_ entry: ConflictLogEntry, _ t: AdminText) -> String? {
        switch entry.status {
        case .open, .dismissed: return nil
        case .resolvedByAdmin: return t(.chosenBy, ["name": entry.closedBy ?? t(.anAdmin)])
        case .resolvedByEdit: return t(.writtenBy, ["name": entry.closedBy ?? t(.aDevice)])
        }
    }

    /// The list's chips: each competing value, and the outcome when no competing value was kept.
    static func chips(_ entry: ConflictLogEntry, _ t: AdminText) -> [ValueChip] {
        var chips = entry.competitors.map { competitor in
            ValueChip(label: competitor.label, style: "value" + (badge(competitor, of: entry, t).map { " " + $0.card } ?? ""))
        }
        if entry.isSettled, !entry.competitors.contains(where: \.isDisplayed), let outcome = entry.displayed {
            chips.append(ValueChip(label: "→ \(t.phrase(outcome))", style: "value winner"))
        }
        return chips
    }

    static func row(_ entry: ConflictLogEntry, now: Int64, _ t: AdminText) -> Row {
        Row(
            id: entry.id, kind: entry.key.kind.rawValue, kindLabel: kindLabel(entry.key.kind, t), entity: entry.key.entity,
            record: entry.recordLabel ?? String(entry.key.recordID.prefix(8)), shortID: String(entry.key.recordID.prefix(8)),
            field: entry.key.field.isEmpty ? "—" : entry.key.field,
            values: chips(entry, t),
            users: entry.users.joined(separator: ", "), territory: entry.territory ?? "—",
            openedAt: time(entry.openedAt), age: t(.ago, ["age": t.age(now - entry.openedAt)]),
            status: entry.status.rawValue, statusLabel: statusLabel(entry.status, t),
            mergeable: entry.status == .open && entry.key.kind == .probableDuplicate
        )
    }

    static func detail(_ detail: ConflictDetail, schema: Schema, serverReplica: String, page: Page, _ t: AdminText) -> DetailPage {
        let entry = detail.conflict
        let actions = Set(detail.actions)
        let competitors = entry.competitors.enumerated().map { index, competitor in
            Competitor(
                conflictID: entry.id, index: index,
                recordText: competitor.recordID == entry.key.recordID ? "" : "\(competitor.entity) \(competitor.recordID.prefix(8))",
                label: competitor.label, badge: badge(competitor, of: entry, t),
                user: competitor.author.user ?? "?", device: device(competitor.author, serverReplica: serverReplica, t),
                hlc: hlc(competitor.hlc), receivedAt: time(competitor.author.receivedAt),
                dotText: "\(competitor.dot.replica.rawValue):\(competitor.dot.counter)",
                dotShort: "\(competitor.dot.replica.short):\(competitor.dot.counter)", sequence: competitor.author.sequence,
                canChoose: actions.contains(.choose) && competitor.recordID == entry.key.recordID && competitor.field == entry.key.field
            )
        }
        var simple: [SimpleAction] = []
        if actions.contains(.keep) {
            simple.append(SimpleAction(name: "keep", action: "keep", survivor: nil, label: t(.keepRecord), explanation: t(.keepRecordHelp), style: "primary"))
        }
        if actions.contains(.restoreTarget), let related = entry.related {
            simple.append(SimpleAction(
                name: "restore", action: "restore_target", survivor: nil, label: t(.restoreTarget, ["entity": related.entity]),
                explanation: t(.restoreTargetHelp, ["entity": related.entity]), style: "primary"
            ))
        }
        var merge: MergeForm?
        if actions.contains(.merge), let related = detail.related, let record = detail.after, let defaults = detail.mergeDefaults {
            merge = mergeForm(record: record, twin: related, defaults: defaults, competitors: entry.competitors, schema: schema)
        }
        if actions.contains(.delete) {
            simple.append(SimpleAction(
                name: "delete", action: "delete", survivor: nil, label: t(.deleteRecord, ["entity": entry.key.entity]), explanation: t(.deleteRecordHelp), style: "danger"
            ))
        }
        let related = detail.related
        var names: [String] = []
        for field in schema.entity(entry.key.entity)?.fields ?? [] { names.append(field.name) }
        for name in Set((detail.before?.values.keys.map { $0 } ?? []) + (detail.after?.values.keys.map { $0 } ?? [])).sorted() where !names.contains(name) {
            names.append(name)
        }
        var rows: [CompareRow] = []
        for name in names {
            let before = detail.before?.values[name]
            let after = detail.after?.values[name]
            let other = related?.values[name]
            guard before != nil || after != nil || other != nil else { continue }
            let competing = name == entry.key.field && entry.key.kind == .concurrentValues && entry.status == .open
                ? entry.competitors.filter { !$0.isDisplayed }.map(\.label) : []
            rows.append(CompareRow(
                name: name, before: text(before),
                after: text(after) + (competing.isEmpty ? "" : " (\(t(.competing, ["values": competing.joined(separator: ", ")])))"), related: text(other),
                changed: before != after, conflicted: detail.after?.conflictedFields.contains(name) == true
            ))
        }
        let yesNo = { (deleted: Bool) in deleted ? t(.yes) : t(.no) }
        rows.append(CompareRow(
            name: t(.deletedRow), before: detail.before.map { yesNo($0.deleted) } ?? "—",
            after: detail.after.map { yesNo($0.deleted) } ?? "—", related: related.map { yesNo($0.deleted) } ?? "—",
            changed: detail.before?.deleted != detail.after?.deleted, conflicted: detail.after?.deleteConflict == true
        ))
        return DetailPage(
            admin: page.admin, csrf: page.csrf, flash: page.flash, error: page.error,
            id: entry.id, kind: entry.key.kind.rawValue, kindLabel: kindLabel(entry.key.kind, t),
            record: entry.recordLabel ?? "\(entry.key.entity) \(entry.key.recordID.prefix(8))",
            entity: entry.key.entity, recordID: entry.key.recordID, field: entry.key.field.isEmpty ? nil : entry.key.field,
            status: entry.status.rawValue, statusLabel: statusLabel(entry.status, t), reason: entry.reason.map(t.phrase) ?? "",
            territory: entry.territory,
            openedLine: (entry.openedBy.map { t(.openedBy, ["time": time(entry.openedAt), "user": $0]) } ?? time(entry.openedAt))
                + " (\(t(.log)) #\(entry.openedSequence))",
            displayed: entry.displayed.map(t.phrase) ?? "—", outcomeBy: outcomeBy(entry, t),
            closedLine: entry.closedAt.map { closed in
                (entry.closedBy.map { t(.openedBy, ["time": time(closed), "user": $0]) } ?? time(closed))
                    + (entry.resolution.map { " · " + t.phrase($0) } ?? "")
            },
            historyHref: "/admin/records/\(FormBody.encode(entry.key.entity))/\(FormBody.encode(entry.key.recordID))/history",
            competitors: competitors, isOpen: entry.status == .open, canEnterValue: actions.contains(.value),
            simpleActions: simple, beforeSequence: detail.before?.sequence, afterSequence: detail.after?.sequence,
            hasRelated: related != nil, relatedTitle: related.map { t(.relatedNow, ["entity": $0.entity, "id": $0.id.prefix(8)]) } ?? "",
            rows: rows, merge: merge
        )
    }

    /// The field-by-field merge of a duplicate pair: every field either record has, the rows
    /// whose values differ with a choice (checked on the merge's default), the others quiet.
    static func mergeForm(record: RecordView, twin: RecordView, defaults: [String: RecordID], competitors: [CompetingValue], schema: Schema) -> MergeForm {
        let created = Dictionary(competitors.map { ($0.recordID, $0.hlc) }, uniquingKeysWith: { first, _ in first })
        let label = { (view: RecordView) in
            competitors.first { $0.recordID == view.id }?.label ?? "\(view.entity) \(view.id.prefix(8))"
        }
        var rows: [MergeRow] = []
        for field in schema.entity(record.entity)?.fields ?? [] where field.kind == .register {
            let left = record.values[field.name], right = twin.values[field.name]
            guard (left ?? .null) != .null || (right ?? .null) != .null else { continue }
            let pick = defaults[field.name]
            rows.append(MergeRow(
                name: field.name, left: text(left), right: text(right), differs: pick != nil,
                leftChecked: pick == record.id, rightChecked: pick == twin.id
            ))
        }
        return MergeForm(
            leftID: record.id, rightID: twin.id, leftLabel: label(record), rightLabel: label(twin),
            leftSurvives: (created[record.id] ?? .zero) <= (created[twin.id] ?? .zero), rows: rows
        )
    }

    static func history(_ history: RecordHistory, schema: Schema, serverReplica: String, page: Page, _ t: AdminText) -> HistoryPage {
        let writers = Dictionary(history.entries.map { ($0.dot, "\($0.author.user ?? "?") (\(t(.log)) #\($0.sequence))") }, uniquingKeysWith: { first, _ in first })
        let labelField = schema.entity(history.entity)?.listFields.first
        let label = labelField.flatMap { history.current?.values[$0] }.map { text($0) } ?? history.entity
        return HistoryPage(
            admin: page.admin, csrf: page.csrf, flash: page.flash, error: page.error,
            entity: history.entity, id: history.id, shortID: String(history.id.prefix(8)), label: label,
            deleted: history.current?.deleted ?? false,
            entries: history.entries.reversed().map { entry in
                HistoryRow(
                    sequence: entry.sequence, receivedAt: time(entry.author.receivedAt), user: entry.author.user ?? "?",
                    device: device(entry.author, serverReplica: serverReplica, t), hlc: hlc(entry.hlc),
                    what: entry.created ? t(.created) : entry.deleted ? t(.deleted) : entry.fields.isEmpty ? t(.kept) : nil,
                    conflicted: entry.conflicted,
                    fields: entry.fields.map { historyField($0, writers: writers, t) }
                )
            }
        )
    }

    /// A field of a history entry: for an assignment, what its writer had seen → what it wrote,
    /// with what readers saw instead when a concurrent write won, and who wrote concurrently.
    static func historyField(_ change: FieldChange, writers: [Dot: String], _ t: AdminText) -> HistoryField {
        guard let seen = change.seen, let wrote = change.wrote else {
            return HistoryField(field: change.field, old: text(change.old), new: text(change.new))
        }
        let concurrent = (change.concurrentWith ?? []).map { writers[$0] ?? "\($0.replica.short):\($0.counter)" }
        return HistoryField(
            field: change.field, old: seen.isEmpty ? "—" : seen.map { text($0) }.joined(separator: " | "), new: text(wrote),
            shown: change.new == wrote ? nil : text(change.new),
            concurrent: concurrent.isEmpty ? nil : t(.concurrentWith, ["writers": concurrent.joined(separator: ", ")])
        )
    }

    static func text(_ value: Value?) -> String {
        guard let value, value != .null else { return "—" }
        return value.description
    }
}
