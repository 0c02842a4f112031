import SyncCore

/// The values register fields held over time, from the changes that wrote them (the device's
/// history, the server's log): what reports read to see a record as of a past day.
///
/// An assignment counts from the day its change was written (its HLC's time, on the report's
/// calendar), except a move to won or lost that stamps `closed_on` in the same change: it
/// counts from that day, so a deal recorded after the fact (`--at`, an import) closes when it
/// closed.
///
/// History differs between replicas (a device bootstrapped from a snapshot holds none of what
/// came before; the server's log is compacted), so only a write made by the day is taken as
/// knowledge: a field none of whose writes this replica holds by then reads as it is now, on
/// every replica alike. Two replicas holding the same writes up to the day agree; one lacking
/// them shows the records as they are now, as reports did before `--as-of` moved them.
public struct FieldTimeline: Sendable, Hashable {
    /// One assignment of a field.
    public struct Entry: Sendable, Hashable {
        public var value: Value
        /// When its change was written.
        public var written: Instant
        /// The business day the change itself stamps (a close day), which it counts from.
        public var stampedDay: CalendarDay?
        /// The change's clock and writer, to order writes of the same day.
        public var hlc: HLC
        public var replica: String

        public func day(utcOffsetMinutes: Int) -> CalendarDay {
            stampedDay ?? written.day(utcOffsetMinutes: utcOffsetMinutes)
        }
    }

    /// The fields whose history reports read, by entity.
    public static let trackedFields: [String: Set<String>] = [
        CRMSchema.opportunity.name: ["stage", "amount", "probability", "expected_close", "currency", "owner"],
        CRMSchema.lead.name: ["status", "converted_opportunity"],
    ]

    /// The reports that read the timeline; the others are computed without reading history.
    public static let reports: Set<ReportName> = [.pipeline, .conversion]

    private var entriesByField: [String: [Entry]] = [:]

    public init() {}

    /// The timeline of the tracked fields among `changes` (the history this replica holds) and
    /// the register values of `states` (the writes every replica holding the record holds: its
    /// current values with their clocks); any order, a write given twice counts once.
    public init(changes: some Sequence<Change>, states: some Sequence<RecordState> = [RecordState]()) {
        var seen = Set<String>()
        func add(_ entity: String, _ id: RecordID, _ field: String, _ value: Value, dot: Dot, hlc: HLC, closedOn: CalendarDay?) {
            let key = Self.key(entity, id, field)
            guard seen.insert("\(key)/\(dot)").inserted else { return }
            let closes = field == "stage" && value.stringValue.flatMap(OpportunityStage.init(rawValue:))?.isClosed == true
            entriesByField[key, default: []].append(Entry(
                value: value, written: Instant(secondsSinceEpoch: hlc.physical / 1000), stampedDay: closes ? closedOn : nil,
                hlc: hlc, replica: dot.replica.rawValue
            ))
        }
        for change in changes {
            guard let tracked = Self.trackedFields[change.entity] else { continue }
            let closedOn = change.assigned("closed_on")?.stringValue.flatMap(CalendarDay.init)
            for operation in change.operations where tracked.contains(operation.field) {
                guard case .assign(let value) = operation.operation else { continue }
                add(change.entity, change.recordID, operation.field, value, dot: change.dot, hlc: change.hlc, closedOn: closedOn)
            }
        }
        for state in states {
            guard let tracked = Self.trackedFields[state.entity] else { continue }
            let closedOn = state.value(of: "closed_on").stringValue.flatMap(CalendarDay.init)
            for field in tracked.sorted() {
                for sibling in state.fields[field]?.register?.siblings ?? [] {
                    add(state.entity, state.id, field, sibling.value, dot: sibling.dot, hlc: sibling.hlc, closedOn: closedOn)
                }
            }
        }
        // Clock order, ties by replica: the last write is the one a reader displays.
        for key in entriesByField.keys { entriesByField[key]?.sort { ($0.hlc, $0.replica) < ($1.hlc, $1.replica) } }
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
        /// The history this replica holds has no write of the field by then.
        case unknown
    }

    public func known(_ entity: String, _ id: RecordID, _ field: String, on day: CalendarDay, utcOffsetMinutes: Int) -> Known {
        let until = entries(entity, id, field).filter { $0.day(utcOffsetMinutes: utcOffsetMinutes) <= day }
        guard let last = until.last else { return .unknown }
        var since = last.day(utcOffsetMinutes: utcOffsetMinutes)
        for entry in until.reversed() {
            guard entry.value == last.value else { break }
            since = min(since, entry.day(utcOffsetMinutes: utcOffsetMinutes))
        }
        return .value(last.value, since: since)
    }
}
