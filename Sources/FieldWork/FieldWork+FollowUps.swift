import CRM
import SyncCore
import SyncStore

/// Follow-ups (待跟进): an activity's `next_follow_up` day, open until `follow_up_done`.
extension FieldWork {
    /// Marks an activity's follow-up done. Refused (`followup_not_open`) when the activity has
    /// no follow-up or it is done already.
    public func completeFollowUp(_ activityText: String) throws -> AppliedEdit {
        let activity = try openFollowUp(activityText)
        return try bench.apply(.update(activity.name, id: activity.record.id, [.set("follow_up_done", .bool(true))]))
    }

    /// Moves an open follow-up to `day` (it stays open). Refused (`followup_not_open`) when
    /// the activity has no open follow-up, and for a day before `today`.
    public func snoozeFollowUp(_ activityText: String, until day: CalendarDay, today: CalendarDay = FieldTime.now().day) throws -> AppliedEdit {
        let activity = try openFollowUp(activityText)
        guard day >= today else {
            throw VisitPlanError(.noOpenFollowUp, .snoozeInPast, ["day": day, "today": today])
        }
        return try bench.apply(.update(activity.name, id: activity.record.id, [.set("next_follow_up", .string(day.description))]))
    }

    private func openFollowUp(_ text: String) throws -> (name: String, record: RecordSnapshot) {
        let schema = try bench.entity(CRMSchema.activity.name)
        let record = try bench.liveRecord(schema, text)
        guard let due = record.value("next_follow_up").stringValue else {
            throw VisitPlanError(.noOpenFollowUp, .activityWithoutFollowUp, ["id": record.id.prefix(8)])
        }
        if record.value("follow_up_done") == .bool(true) {
            throw VisitPlanError(.noOpenFollowUp, .followUpDone, ["id": record.id.prefix(8), "due": due])
        }
        return (schema.name, record)
    }
}
