import SyncCore

/// Which accounts a bootstrapping device receives first: those a rep has to act on today.
///
/// An account is a priority account when one of its live activities shows a follow-up due on
/// or before the device's day and not marked done, or happens (`at`) on that day, or when one
/// of its live visit plans is planned (`planned_on`) on that day: today's route. "Shows": the
/// value the rep sees, a conflicted register's displayed sibling (`days(of:isDeleted:)`). The device then
/// receives these accounts with every record that belongs to them (contacts, opportunities,
/// activities…) before the rest of its territory, and can work with them while the rest
/// arrives. The choice is a hint for ordering only: the bootstrap is exact whatever it picks
/// (see SyncServer/README.md, "Bootstrap").
public struct BootstrapPriority: Sendable, Hashable {
    /// The entity whose records point at the priority accounts.
    public var entity: String
    /// A date field: due on or before the day.
    public var dueField: String
    /// A bool field: true takes the record out (the follow-up is done).
    public var doneField: String?
    /// A timestamp field: on the day.
    public var plannedField: String?
    /// Another entity whose records plan a visit to their account, and its day field: on the day.
    public var planEntity: String?
    public var planDayField: String?
    /// The most accounts chosen, earliest due first (the list travels with every page).
    public var maxAccounts: Int

    public init(
        entity: String, dueField: String, doneField: String?, plannedField: String?, planEntity: String? = nil, planDayField: String? = nil,
        maxAccounts: Int = 200
    ) {
        self.entity = entity
        self.dueField = dueField
        self.doneField = doneField
        self.plannedField = plannedField
        self.planEntity = planEntity
        self.planDayField = planDayField
        self.maxAccounts = maxAccounts
    }

    /// The most priority accounts a bootstrap cursor may carry: it travels with every page.
    public static let maxAccountsInCursor = 500

    /// The CRM's rule: activities with `next_follow_up` due and not `follow_up_done`, or `at`
    /// today; visit plans with `planned_on` today.
    public static let crm = BootstrapPriority(
        entity: "activity", dueField: "next_follow_up", doneField: "follow_up_done", plannedField: "at",
        planEntity: "visit_plan", planDayField: "planned_on"
    )

    /// The rule if `schema` has the fields it names, else nil (no priority phase).
    public func applicable(to schema: Schema) -> BootstrapPriority? {
        guard let entity = schema.entity(entity), entity.field(dueField) != nil else { return nil }
        var rule = self
        if let doneField, entity.field(doneField) == nil { rule.doneField = nil }
        if let plannedField, entity.field(plannedField) == nil { rule.plannedField = nil }
        if let planEntity, let planDayField, schema.entity(planEntity)?.field(planDayField) == nil {
            rule.planEntity = nil
            rule.planDayField = nil
        }
        return rule
    }

    /// The two days a record state contributes to the choice, from the values the rep sees
    /// (a register's displayed sibling): `due`, the due date of an open follow-up (an
    /// activity's `next_follow_up` unless `follow_up_done` shows true), and `day`, the day the
    /// record happens (the first ten characters of an activity's `at` or a visit plan's
    /// `planned_on`). Both nil for other entities and for deleted records. The server stores
    /// them with the record (`records.priority_due`, `records.priority_day`, indexed), so
    /// choosing the priority accounts reads two small indexes instead of every state.
    public func days(of state: RecordState, isDeleted: Bool) -> (due: String?, day: String?) {
        guard !isDeleted else { return (nil, nil) }
        func text(_ field: String?) -> String? {
            guard let field, case .string(let value) = state.value(of: field) else { return nil }
            return value
        }
        if state.entity == entity {
            let done = doneField.map { state.value(of: $0) == .bool(true) } ?? false
            return (done ? nil : text(dueField), text(plannedField).map { String($0.prefix(10)) })
        }
        if state.entity == planEntity {
            return (nil, text(planDayField).map { String($0.prefix(10)) })
        }
        return (nil, nil)
    }
}
