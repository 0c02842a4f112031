import SyncCore

extension CRMSchema {
    /// A planned customer visit (客户拜访计划) and what happened when it was made.
    ///
    /// Every field is a register. The check-in stamp and its place are written together
    /// (coupled): two devices checking in the same plan offline leave one plan whose check-in
    /// is an open conflict with both stamps kept, never two visits. The check-out creates the
    /// done visit as the `activity` whose id is derived from the plan's
    /// (`VisitPlans.visitID(forPlan:)`), so two offline check-outs of one plan write the same
    /// activity record and it is counted once.
    public static let visitPlan = EntitySchema(
        name: "visit_plan",
        fields: [
            FieldSchema("account", .reference("account"), required: true),
            FieldSchema("contact", .reference("contact")),
            FieldSchema("planned_on", .date, required: true, summary: "the day of the visit"),
            FieldSchema("planned_at", .timestamp, summary: "the planned time, if set"),
            FieldSchema("route_order", .int(min: 1, max: 999), summary: "the visit's place in the day's route, set by the rep"),
            FieldSchema("purpose", .string(maxLength: 500)),
            FieldSchema("owner", .string(maxLength: 64), summary: "the rep who makes the visit"),
            FieldSchema("checked_in_at", .timestamp, summary: "when the rep arrived"),
            FieldSchema("check_in_latitude", .decimal),
            FieldSchema("check_in_longitude", .decimal),
            FieldSchema("checked_out_at", .timestamp, summary: "when the rep left: the visit is done"),
            FieldSchema("notes", .longText),
        ],
        scope: .account(field: "account"),
        listFields: ["planned_on", "route_order", "purpose", "owner", "checked_in_at", "checked_out_at"],
        summary: "a planned customer visit with its check-in and check-out (客户拜访计划)",
        coupledFields: [["checked_in_at", "check_in_latitude", "check_in_longitude"]]
    )
}

/// How visit plans and the visits they become are tied together.
public enum VisitPlans {
    /// The id of the activity a plan's check-out creates: the plan's id with the UUID version
    /// nibble set to 8 (a custom UUID). Every device derives the same id, so concurrent
    /// check-outs of one plan write one activity; no generated id (version 7 or 4) has it.
    public static func visitID(forPlan plan: RecordID) -> RecordID {
        var characters = Array(plan)
        guard characters.count == 36 else { return plan }
        characters[14] = "8"
        return String(characters)
    }
}
