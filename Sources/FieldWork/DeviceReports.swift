import CRM
import Foundation
import SyncCore
import SyncStore

/// Reports over the device's own records, unsynced local edits included and counted.
public struct DeviceReports {
    public let store: DeviceStore

    public init(store: DeviceStore) {
        self.store = store
    }

    /// Every visible record on the device, with the ids of the records that have changes
    /// still in the outbox (not yet acknowledged by the server), and, `withHistory`, the
    /// history of the fields reports read as of a past day (`FieldTimeline.reports`).
    public func dataSet(withHistory: Bool = false) throws -> CRMDataSet {
        let unsynced = Set(try store.outbox().map(\.change.recordID))
        let states = try store.allStates()
        var dataSet = CRMDataSet(states: states, schema: store.schema, unsyncedRecordIDs: unsynced)
        guard withHistory else { return dataSet }
        dataSet.timeline = FieldTimeline(changes: try store.historyChanges(of: Array(FieldTimeline.trackedFields.keys).sorted()), states: states)
        return dataSet
    }

    /// Computes one report now.
    public func document(_ name: ReportName, parameters: ReportParameters) throws -> ReportDocument {
        ReportDocument.compute(name, over: try dataSet(withHistory: FieldTimeline.reports.contains(name)), parameters: parameters, now: Self.now(), source: .device)
    }

    /// The device's current time, to the second.
    public static func now() -> Instant {
        Instant(secondsSinceEpoch: DeviceStore.systemMilliseconds() / 1000)
    }
}
