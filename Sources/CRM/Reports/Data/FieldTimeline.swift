import SyncCore

/// The values register fields held over time, from the changes that wrote them (the device's
/// history, the server's log): what reports read to see a record as of a past day.
///
/// An assignment counts from the day its change was written (its HLC's time, on the report's
/// calendar), except a move to won or lost that stamps `closed_on` in the same change: it
/// counts from that day, so a deal recorded after the fact (`--at`, an import) closes when it
/// closed. History may be incomplete (compacted, or a record that arrived in a snapshot): the
/// `OpportunityAsOf` rules say what is then known and what is not.
public struct FieldTimeline: Sendable, Hashable {
    /// One assignment of a field.
    public struct Entry: Sendable, Hashable {
        public var value: Value
        /// When its change was written.
        public var written: Instant
        /// The business day the change itself stamps (a close day), which it counts from.
        public var stampedDay: CalendarDay?
        /// The change's clock, to order writes of the same day.
        public var hlc: HLC

        public func day(utcOffsetMinutes: Int) -> CalendarDay {
            stampedDay ?? written.day(utcOffsetMinutes: utcOffsetMinutes)
        }
    }

    /// The fields whose history reports read, by entity.
    public static let trackedFields: [String: Set<String>] = [
        CRMSchema.opportunity.name: ["stage", "amount", "probability", "expected_close", "currency", "owner"],
        CRMSchema.lead.name: ["status", "converted_opportunity"],
    ]

    private var entriesByField: [String: [Entry]] = [:]

    public init() {}

    /// The timeline of the tracked fields among `changes` (any order, duplicates ignored).
    public init(changes: some Sequence<Change>) {
        var seen = Set<Dot>()
        for change in changes where seen.insert(change.dot).inserted {
            guard let tracked = Self.trackedFields[change.entity] else { continue }
            let closedOn = change.assigned("closed_on")?.stringValue.flatMap(CalendarDay.init)
            for operation in change.operations where tracked.contains(operation.field) {
                guard case .assign(let value) = operation.operation else { continue }
                let closes = operation.field == "stage" && value.stringValue.flatMap(OpportunityStage.init(rawValue:))?.isClosed == true
                let entry = Entry(
                    value: value, written: Instant(secondsSinceEpoch: change.hlc.physical / 1000),
                    stampedDay: closes ? closedOn : nil, hlc: change.hlc
                )
                entriesByField[Self.key(change.entity, change.recordID, operation.field), default: []].append(entry)
            }
        }
        for key in entriesByField.keys { entriesByField[key]?.sort { $0.hlc < $1.hlc } }
    }

    private static func key(_ entity: String, _ id: RecordID, _ field: String) -> String { "\(entity)/\(id)/\(field)" }

    public var isEmpty: Bool { entriesByField.isEmpty }

    /// Every assignment of a field, in clock order.
    public func entries(_ entity: String, _ id: RecordID, _ field: String) -> [Entry] {
        entriesByField[Self.key(entity, id, field)] ?? []
    }

    /// What the history says of a field on `day`.
    public enum Known: Hashable, Sendable {
        /// The last value written by the end of that day, and the day the field took it (the
        /// first of the writes of that value in a row).
        case value(Value, since: CalendarDay)
        /// Every write of the field came later.
        case writtenLater(first: Value)
        /// The history has no write of the field.
        case noHistory
    }

    public func known(_ entity: String, _ id: RecordID, _ field: String, on day: CalendarDay, utcOffsetMinutes: Int) -> Known {
        let all = entries(entity, id, field)
        guard let first = all.first else { return .noHistory }
        let until = all.filter { $0.day(utcOffsetMinutes: utcOffsetMinutes) <= day }
        guard let last = until.last else { return .writtenLater(first: first.value) }
        var since = last.day(utcOffsetMinutes: utcOffsetMinutes)
        for entry in until.reversed() {
            guard entry.value == last.value else { break }
            since = min(since, entry.day(utcOffsetMinutes: utcOffsetMinutes))
        }
        return .value(last.value, since: since)
    }
}
